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

{{/* What every component is told about Kafka (KafkaOptions). */}}
{{- define "bwledger.kafkaEnv" -}}
- name: BW_BOOTSTRAP_SERVERS
  value: {{ .Values.kafka.bootstrapServers | quote }}
- name: BW_TOPIC_PREFIX
  value: {{ .Values.kafka.topicPrefix | quote }}
- name: BW_PARTITIONS
  value: {{ .Values.kafka.partitions | quote }}
{{- if .Values.kafka.propertiesSecret.name }}
- name: BW_KAFKA_PROPERTIES
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.propertiesSecret.name }}
      key: {{ .Values.kafka.propertiesSecret.key }}
{{- else if .Values.kafka.properties }}
- name: BW_KAFKA_PROPERTIES
  value: {{ include "bwledger.pairs" .Values.kafka.properties | quote }}
{{- end }}
{{- end -}}

{{- define "bwledger.pairs" -}}
{{- $pairs := list -}}
{{- range $key, $value := . -}}
{{- $pairs = append $pairs (printf "%s=%v" $key $value) -}}
{{- end -}}
{{- join "," $pairs -}}
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
