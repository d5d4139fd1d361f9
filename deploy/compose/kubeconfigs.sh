#!/bin/sh
# A kubeconfig for each of Compose's Kubernetes clients, from its ServiceAccount's token (rbac.yaml),
# into /kubeconfigs: the components and the scheduler get the rights the chart gives them, never
# the admin kubeconfig k3s wrote, which only this script reads.
set -eu
admin="kubectl --kubeconfig /output/kubeconfig.yaml --server https://k3s:6443"
ca=$(sed -n 's/^ *certificate-authority-data: *//p' /output/kubeconfig.yaml)
for account in ingest ledger projector scheduler; do
  # The token controller fills the Secret a moment after k3s applies rbac.yaml.
  until token=$($admin -n bwledger get secret "$account-token" -o jsonpath='{.data.token}' 2>/dev/null) \
      && [ -n "$token" ]; do
    sleep 1
  done
  cat > "/kubeconfigs/$account.yaml" <<CONFIG
apiVersion: v1
kind: Config
clusters:
  - name: k3s
    cluster: {server: "https://k3s:6443", certificate-authority-data: "$ca"}
users:
  - name: $account
    user: {token: "$(echo "$token" | base64 -d)"}
contexts:
  - name: $account
    context: {cluster: k3s, user: $account, namespace: bwledger}
current-context: $account
CONFIG
  # The components run as another user than this one; the volume is this Compose project's alone.
  chmod 644 "/kubeconfigs/$account.yaml"
done
