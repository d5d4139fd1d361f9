{{/* The name every object carries, and its labels. */}}
{{- define "bwledger.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "bwledger.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "bwledger.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "bwledger.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* A component's ServiceAccount: one each, with only the rights that component uses. */}}
{{- define "bwledger.serviceAccountName" -}}
{{ include "bwledger.fullname" .root }}-{{ .component }}
{{- end -}}

{{/* The Secret whose properties file a component's Kafka clients read: its own, the shared one, or the chart's. */}}
{{- define "bwledger.kafkaSecret" -}}
{{- $own := index .root.Values .component "kafkaPropertiesSecret" -}}
{{- if $own -}}
{{ $own }}
{{- else if .root.Values.kafka.propertiesSecret.name -}}
{{ .root.Values.kafka.propertiesSecret.name }}
{{- else if .root.Values.kafka.properties -}}
{{ include "bwledger.fullname" .root }}-kafka
{{- end -}}
{{- end -}}

{{/* What every component is told about Kafka (KafkaOptions): where, and its client properties file. */}}
{{- define "bwledger.kafkaEnv" -}}
- name: BW_BOOTSTRAP_SERVERS
  value: {{ .root.Values.kafka.bootstrapServers | quote }}
- name: BW_TOPIC_PREFIX
  value: {{ .root.Values.kafka.topicPrefix | quote }}
- name: BW_PARTITIONS
  value: {{ .root.Values.kafka.partitions | quote }}
{{- if include "bwledger.kafkaSecret" . }}
- name: BW_KAFKA_PROPERTIES_FILE
  value: /etc/bwledger/kafka/{{ .root.Values.kafka.propertiesSecret.key }}
{{- end }}
{{- end -}}

{{/* Who may call, and the serving certificate every API and /metrics speak TLS with. */}}
{{- define "bwledger.servingEnv" -}}
- name: BW_AUTH
  value: kubernetes
- name: BW_AUTH_CACHE_TTL
  value: {{ .Values.auth.cacheTtl | quote }}
{{- if include "bwledger.tls" . }}
- name: BW_TLS_CERT_FILE
  value: /etc/bwledger/tls/tls.crt
- name: BW_TLS_KEY_FILE
  value: /etc/bwledger/tls/tls.key
{{- end }}
{{- end -}}

{{/* "true" when the APIs speak TLS: a generated certificate, or one of the user's. */}}
{{- define "bwledger.tls" -}}
{{- if or .Values.tls.generate .Values.tls.servingSecret -}}true{{- end -}}
{{- end -}}

{{- define "bwledger.servingSecret" -}}
{{ .Values.tls.servingSecret | default (printf "%s-tls" (include "bwledger.fullname" .)) }}
{{- end -}}

{{- define "bwledger.schedulerSecret" -}}
{{ .Values.tls.schedulerSecret | default (printf "%s-scheduler-tls" (include "bwledger.fullname" .)) }}
{{- end -}}

{{/* The volumes a component mounts: its Kafka properties and the serving certificate. */}}
{{- define "bwledger.secretVolumes" -}}
{{- with include "bwledger.kafkaSecret" . }}
- name: kafka
  secret:
    secretName: {{ . }}
{{- end }}
{{- if include "bwledger.tls" .root }}
- name: tls
  secret:
    secretName: {{ include "bwledger.servingSecret" .root }}
    items:
      - {key: tls.crt, path: tls.crt}
      - {key: tls.key, path: tls.key}
      - {key: ca.crt, path: ca.crt}
{{- end }}
{{- end -}}

{{- define "bwledger.secretMounts" -}}
{{- if include "bwledger.kafkaSecret" . }}
- {name: kafka, mountPath: /etc/bwledger/kafka, readOnly: true}
{{- end }}
{{- if include "bwledger.tls" .root }}
- {name: tls, mountPath: /etc/bwledger/tls, readOnly: true}
{{- end }}
{{- end -}}

{{/* The probes every component serves apart from its API, open to the kubelet. */}}
{{- define "bwledger.probes" -}}
livenessProbe:
  httpGet: {path: /healthz, port: probes}
  periodSeconds: 10
readinessProbe:
  httpGet: {path: /readyz, port: probes}
  periodSeconds: 5
{{- end -}}

{{/* The annotation keys ingest carries and the ledger reads. */}}
{{- define "bwledger.annotationEnv" -}}
- name: BW_EGRESS_ANNOTATIONS
  value: {{ join "," .Values.annotations.egress | quote }}
- name: BW_INGRESS_ANNOTATIONS
  value: {{ join "," .Values.annotations.ingress | quote }}
{{- end -}}

{{/* Non-root, read-only, nothing added: the state the components write lives on volumes. */}}
{{- define "bwledger.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "bwledger.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: ["ALL"]
{{- end -}}

{{/* JVM sized for its container: heap from the memory limit; RocksDB and the JDK need a writable /tmp. */}}
{{- define "bwledger.jvmEnv" -}}
- name: JAVA_TOOL_OPTIONS
  value: "-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
{{- end -}}

{{/*
  The data of the serving and the scheduler's TLS Secrets: what the Secrets given hold (found by
  lookup on an upgrade), or, when they hold nothing, a new CA and the two certificates it signs.
  Takes a dict: serving, scheduler (the Secrets found, or empty), names (the serving certificate's
  DNS names), days, ca (the CA's name).
*/}}
{{- define "bwledger.tlsData" -}}
{{- if and .serving .serving.data .scheduler .scheduler.data -}}
serving: {{ toJson .serving.data }}
scheduler: {{ toJson .scheduler.data }}
{{- else -}}
{{- $ca := genCA .ca .days -}}
{{- $server := genSignedCert (index .names 0) (list "127.0.0.1") .names .days $ca -}}
{{- $client := genSignedCert "bwledger-scheduler" nil nil .days $ca -}}
serving:
  tls.crt: {{ $server.Cert | b64enc }}
  tls.key: {{ $server.Key | b64enc }}
  ca.crt: {{ $ca.Cert | b64enc }}
scheduler:
  tls.crt: {{ $client.Cert | b64enc }}
  tls.key: {{ $client.Key | b64enc }}
  ca.crt: {{ $ca.Cert | b64enc }}
{{- end -}}
{{- end -}}

{{- /*
  Whether the projector serves admission webhooks.
*/}}
{{- define "bwledger.admission" -}}
{{- if or .Values.admission.validate .Values.admission.tolerate -}}true{{- end -}}
{{- end -}}

{{- /*
  The webhook configurations, given the root and the CA bundle (base64 PEM) that signed the
  projector's serving certificate. Rendered where that CA is known: beside the generated certificates,
  or from admission.caBundle.
*/}}
{{- define "bwledger.admissionWebhooks" -}}
{{- $root := .root }}
{{- $fullname := include "bwledger.fullname" $root }}
{{- $excluded := dict "key" "kubernetes.io/metadata.name" "operator" "NotIn" "values" (list "kube-system" $root.Release.Namespace) }}
{{- $service := dict "namespace" $root.Release.Namespace "name" (printf "%s-projector" $fullname) "port" 8444 }}
{{- $rules := list (dict "apiGroups" (list "") "apiVersions" (list "v1") "operations" (list "CREATE") "resources" (list "pods") "scope" "Namespaced") }}
{{- if $root.Values.admission.validate }}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "bwledger.labels" $root | nindent 4 }}
webhooks:
  - name: annotations.bandwidth.vaclab.org
    admissionReviewVersions: ["v1"]
    sideEffects: None
    failurePolicy: {{ $root.Values.admission.validateFailurePolicy }}
    timeoutSeconds: 5
    clientConfig:
      service: {{ merge (dict "path" "/admission/validate") $service | toJson }}
      caBundle: {{ .caBundle }}
    rules: {{ $rules | toJson }}
    namespaceSelector:
      matchExpressions: [{{ $excluded | toJson }}]
  - name: fits.bandwidth.vaclab.org
    admissionReviewVersions: ["v1"]
    sideEffects: None
    failurePolicy: {{ $root.Values.admission.validateFailurePolicy }}
    timeoutSeconds: 5
    clientConfig:
      service: {{ merge (dict "path" "/admission/fits") $service | toJson }}
      caBundle: {{ .caBundle }}
    rules: {{ $rules | toJson }}
    namespaceSelector:
      matchLabels: {{ dict $root.Values.admission.fitsLabel "true" | toJson }}
      matchExpressions: [{{ $excluded | toJson }}]
{{- end }}
{{- if $root.Values.admission.tolerate }}
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: {{ $fullname }}
  labels:
    {{- include "bwledger.labels" $root | nindent 4 }}
webhooks:
  - name: tolerate.bandwidth.vaclab.org
    admissionReviewVersions: ["v1"]
    sideEffects: None
    reinvocationPolicy: Never
    failurePolicy: {{ $root.Values.admission.tolerateFailurePolicy }}
    timeoutSeconds: 5
    clientConfig:
      service: {{ merge (dict "path" "/admission/tolerate") $service | toJson }}
      caBundle: {{ .caBundle }}
    rules: {{ $rules | toJson }}
    namespaceSelector:
      matchExpressions: [{{ $excluded | toJson }}]
{{- end }}
{{- end -}}
