#!/bin/sh
# The certificates of docker-compose.yml, made once into /certs, laid out as the Helm chart's
# Secrets are: serving/ (every component's API: tls.crt, tls.key, and ca.crt, the CA whose clients
# the extender serves) and scheduler/ (the second scheduler's client certificate).
set -eu
cd /certs
if [ -f serving/tls.crt ]; then
  exit 0
fi
apk add --no-cache openssl >/dev/null
mkdir -p serving scheduler
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=bwledger-compose-ca \
  -keyout ca.key -out ca.crt 2>/dev/null

# issue DIR COMMON_NAME EXTENSIONS: a key and a certificate the CA signs, into DIR.
issue() {
  openssl req -newkey rsa:2048 -nodes -subj "/CN=$2" -keyout "$1/tls.key" -out "$1/tls.csr" 2>/dev/null
  printf '%b\n' "$3" > "$1/extensions"
  openssl x509 -req -in "$1/tls.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
    -extfile "$1/extensions" -out "$1/tls.crt" 2>/dev/null
  rm "$1/tls.csr" "$1/extensions"
  cp ca.crt "$1/ca.crt"
}
# The serving certificate is a client one too: a projector replica shows it passing extender calls on.
issue serving bwledger \
  "subjectAltName=DNS:projector,DNS:ingest,DNS:ledger,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth"
issue scheduler bwledger-scheduler "extendedKeyUsage=clientAuth"
rm ca.key ca.srl
# The components and kube-scheduler run as other users than this one; the volume is this Compose
# project's alone.
chmod 644 serving/tls.key scheduler/tls.key
