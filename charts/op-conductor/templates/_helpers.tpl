{{- define "op-conductor.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "op-conductor.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "op-conductor.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* The stable Raft address of pod N: its own per-ordinal Service (hashicorp raft stores addresses literally). */}}
{{- define "op-conductor.consensusHost" -}}
{{- printf "%s-consensus-%d.%s.svc.cluster.local" (include "op-conductor.fullname" .root) (int .ordinal) .root.Release.Namespace -}}
{{- end -}}

{{/*
op-conductor.sidecar: the conductor container alone, for users who keep their own op-node chart.
Usage: {{- include "op-conductor.sidecar" . | nindent 8 }} inside a pod spec's containers list of a StatefulSet whose
pods are named <fullname>-<ordinal>. It expects a volume named "raft" mounted at conductor.raft.storageDir.
*/}}
{{- define "op-conductor.sidecar" -}}
{{- $c := .Values.conductor -}}
- name: op-conductor
  image: {{ printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) | quote }}
  imagePullPolicy: {{ .Values.image.pullPolicy }}
  command: ["/bin/sh", "-c"]
  args:
    - |
      ORDINAL="${HOSTNAME##*-}"
      export OP_CONDUCTOR_RAFT_SERVER_ID="${HOSTNAME}"
      export OP_CONDUCTOR_CONSENSUS_ADVERTISED="{{ include "op-conductor.fullname" . }}-consensus-${ORDINAL}.{{ .Release.Namespace }}.svc.cluster.local:{{ $c.consensusPort }}"
      {{- if eq .Values.firstBoot.mode "bootstrap-pod" }}
      # Sticky bootstrap on pod 0: the first boot bootstraps and starts paused; later boots ignore it.
      if [ "${ORDINAL}" = "0" ]; then export OP_CONDUCTOR_RAFT_BOOTSTRAP=true; fi
      {{- end }}
      exec op-conductor {{ join " " $c.extraArgs }}
  env:
    - { name: OP_CONDUCTOR_CONSENSUS_ADDR, value: "0.0.0.0" }
    - { name: OP_CONDUCTOR_CONSENSUS_PORT, value: {{ $c.consensusPort | quote }} }
    - { name: OP_CONDUCTOR_RAFT_STORAGE_DIR, value: {{ $c.raft.storageDir | quote }} }
    - { name: OP_CONDUCTOR_RAFT_STORE, value: {{ $c.raft.store | quote }} }
    - { name: OP_CONDUCTOR_RAFT_HEARTBEAT_TIMEOUT, value: {{ $c.raft.heartbeatTimeout | quote }} }
    - { name: OP_CONDUCTOR_RAFT_LEASE_TIMEOUT, value: {{ $c.raft.leaseTimeout | quote }} }
    - { name: OP_CONDUCTOR_RAFT_ELECTION_TIMEOUT, value: {{ $c.raft.electionTimeout | quote }} }
    - { name: OP_CONDUCTOR_RAFT_SNAPSHOT_INTERVAL, value: {{ $c.raft.snapshotInterval | quote }} }
    - { name: OP_CONDUCTOR_RAFT_SNAPSHOT_THRESHOLD, value: {{ $c.raft.snapshotThreshold | quote }} }
    - { name: OP_CONDUCTOR_RAFT_TRAILING_LOGS, value: {{ $c.raft.trailingLogs | quote }} }
    - { name: OP_CONDUCTOR_NODE_RPC, value: {{ $c.nodeRpc | quote }} }
    - { name: OP_CONDUCTOR_EXECUTION_RPC, value: {{ $c.executionRpc | quote }} }
    - { name: OP_CONDUCTOR_HEALTHCHECK_INTERVAL, value: {{ $c.healthcheck.interval | quote }} }
    - { name: OP_CONDUCTOR_HEALTHCHECK_UNSAFE_INTERVAL, value: {{ $c.healthcheck.unsafeInterval | quote }} }
    - { name: OP_CONDUCTOR_HEALTHCHECK_MIN_PEER_COUNT, value: {{ $c.healthcheck.minPeerCount | quote }} }
    - { name: OP_CONDUCTOR_HEALTHCHECK_SAFE_ENABLED, value: {{ $c.healthcheck.safeEnabled | quote }} }
    - { name: OP_CONDUCTOR_HEALTHCHECK_SAFE_INTERVAL, value: {{ $c.healthcheck.safeInterval | quote }} }
    - { name: OP_CONDUCTOR_PAUSED, value: {{ $c.paused | quote }} }
    - { name: OP_CONDUCTOR_RPC_ADDR, value: "0.0.0.0" }
    - { name: OP_CONDUCTOR_RPC_PORT, value: {{ $c.rpcPort | quote }} }
    - { name: OP_CONDUCTOR_RPC_ENABLE_PROXY, value: {{ $c.enableProxy | quote }} }
    - { name: OP_CONDUCTOR_METRICS_ENABLED, value: "true" }
    - { name: OP_CONDUCTOR_METRICS_ADDR, value: "0.0.0.0" }
    - { name: OP_CONDUCTOR_METRICS_PORT, value: {{ $c.metricsPort | quote }} }
    - { name: OP_CONDUCTOR_LOG_LEVEL, value: {{ $c.log.level | quote }} }
    - { name: OP_CONDUCTOR_LOG_FORMAT, value: {{ $c.log.format | quote }} }
    {{- if $c.rollupBoostWsUrl }}
    - { name: OP_CONDUCTOR_ROLLUPBOOST_WS_URL, value: {{ $c.rollupBoostWsUrl | quote }} }
    - { name: OP_CONDUCTOR_WEBSOCKET_SERVER_PORT, value: {{ $c.websocketPort | quote }} }
    {{- end }}
    {{- if $c.adminJwtSecret.secretName }}
    - { name: OP_CONDUCTOR_RPC_ADMIN_JWT_SECRET, value: "/secrets/admin-jwt/{{ $c.adminJwtSecret.key }}" }
    {{- end }}
    {{- with $c.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  ports:
    - { name: rpc, containerPort: {{ $c.rpcPort }}, protocol: TCP }
    - { name: consensus, containerPort: {{ $c.consensusPort }}, protocol: TCP }
    - { name: metrics, containerPort: {{ $c.metricsPort }}, protocol: TCP }
    {{- if $c.rollupBoostWsUrl }}
    - { name: flashblocks, containerPort: {{ $c.websocketPort }}, protocol: TCP }
    {{- end }}
  # Liveness tests the process only; readiness never depends on leadership, so followers keep receiving
  # Raft and RPC traffic (the Services also publish not-ready addresses).
  livenessProbe:
    httpGet: { path: /healthz, port: rpc }
    initialDelaySeconds: 10
    periodSeconds: 10
    failureThreshold: 6
  readinessProbe:
    tcpSocket: { port: rpc }
    periodSeconds: 5
  securityContext:
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    capabilities: { drop: [ALL] }
  volumeMounts:
    - { name: raft, mountPath: {{ $c.raft.storageDir | quote }} }
    {{- if $c.adminJwtSecret.secretName }}
    - { name: admin-jwt, mountPath: /secrets/admin-jwt, readOnly: true }
    {{- end }}
  resources:
    {{- toYaml $c.resources | nindent 4 }}
{{- end -}}
