/**
 * Every metric the daemon exports, defined in one place with the Go conductor's names, labels and
 * buckets (spec §10, plus the Base fork's commit/FSM/store histograms). Modules receive a `Metrics`
 * object (never a global), so tests can use a fresh registry per instance.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

const NS = 'op_conductor';
const LOOP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BINARY_COMMIT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5];
const MARSHAL_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025];
const RAFT_APPLY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5];
const PAYLOAD_SIZE_BUCKETS = [1e3, 1e4, 5e4, 1e5, 5e5, 1e6, 1.5e6, 2e6, 2.5e6];
const FSM_APPLY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025];
const LOG_STORE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05];

export interface MetricsOptions {
  /** Collect process_* default metrics (off in unit tests to keep registries cheap). */
  readonly defaultMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const r = [registry];
  const rpcLabels = ['rpc', 'method'] as const;
  const m = {
    registry,
    info: new Gauge({
      name: `${NS}_info`,
      help: 'Pseudo-metric tracking version and config info',
      labelNames: ['version'],
      registers: r,
    }),
    up: new Gauge({ name: `${NS}_up`, help: '1 if the op-conductor has finished starting up', registers: r }),
    healthChecks: new Counter({
      name: `${NS}_healthchecks_count`,
      help: 'Number of healthchecks',
      labelNames: ['success', 'error'],
      registers: r,
    }),
    leaderTransfers: new Counter({
      name: `${NS}_leader_transfers_count`,
      help: 'Number of leader transfers',
      labelNames: ['success'],
      registers: r,
    }),
    sequencerStarts: new Counter({
      name: `${NS}_sequencer_starts_count`,
      help: 'Number of sequencer starts',
      labelNames: ['success'],
      registers: r,
    }),
    sequencerStops: new Counter({
      name: `${NS}_sequencer_stops_count`,
      help: 'Number of sequencer stops',
      labelNames: ['success'],
      registers: r,
    }),
    stateChanges: new Counter({
      name: `${NS}_state_changes_count`,
      help: 'Number of state changes',
      labelNames: ['leader', 'healthy', 'active'],
      registers: r,
    }),
    loopExecutionTime: new Histogram({
      name: `${NS}_loop_execution_time`,
      help: 'Time (in seconds) to execute conductor loop iteration',
      buckets: LOOP_BUCKETS,
      registers: r,
    }),
    rollupBoostConnectionAttempts: new Counter({
      name: `${NS}_rollup_boost_connection_attempts_count`,
      help: 'Number of rollup boost connection attempts',
      labelNames: ['success', 'source'],
      registers: r,
    }),
    websocketClientsConnected: new Gauge({
      name: `${NS}_websocket_clients_connected`,
      help: 'Number of websocket clients connected',
      registers: r,
    }),
    rpcServerRequests: new Counter({
      name: `${NS}_rpc_server_requests_total`,
      help: 'Total requests to the RPC server',
      labelNames: rpcLabels,
      registers: r,
    }),
    rpcServerRequestDuration: new Histogram({
      name: `${NS}_rpc_server_request_duration_seconds`,
      help: 'Histogram of RPC server request durations',
      labelNames: rpcLabels,
      buckets: LOOP_BUCKETS,
      registers: r,
    }),
    rpcServerResponses: new Counter({
      name: `${NS}_rpc_server_responses_total`,
      help: 'Total responses from the RPC server',
      labelNames: ['rpc', 'method', 'error'],
      registers: r,
    }),
    rpcServerParamsSize: new Counter({
      name: `${NS}_rpc_server_params_size_total`,
      help: 'Total size of RPC request params in bytes',
      labelNames: rpcLabels,
      registers: r,
    }),
    rpcServerResultsSize: new Counter({
      name: `${NS}_rpc_server_results_size_total`,
      help: 'Total size of RPC results in bytes',
      labelNames: rpcLabels,
      registers: r,
    }),
    binaryCommitDuration: new Histogram({
      name: `${NS}_binary_commit_request_duration_seconds`,
      help: 'Duration of binary SSZ commit requests',
      labelNames: ['success'],
      buckets: BINARY_COMMIT_BUCKETS,
      registers: r,
    }),
    commitMarshalDuration: new Histogram({
      name: `${NS}_commit_marshal_duration_seconds`,
      help: 'Time to SSZ-encode a payload for commit',
      buckets: MARSHAL_BUCKETS,
      registers: r,
    }),
    commitRaftApplyDuration: new Histogram({
      name: `${NS}_commit_raft_apply_duration_seconds`,
      help: 'Time for raft Apply of a payload to commit',
      buckets: RAFT_APPLY_BUCKETS,
      registers: r,
    }),
    commitPayloadSize: new Histogram({
      name: `${NS}_commit_payload_size_bytes`,
      help: 'Size of committed payloads in bytes',
      buckets: PAYLOAD_SIZE_BUCKETS,
      registers: r,
    }),
    fsmApplyDuration: new Histogram({
      name: `${NS}_fsm_apply_duration_seconds`,
      help: 'Time for the FSM to apply a log entry',
      buckets: FSM_APPLY_BUCKETS,
      registers: r,
    }),
    raftLogStoreDuration: new Histogram({
      name: `${NS}_raft_log_store_duration_seconds`,
      help: 'Time to durably store raft log entries',
      buckets: LOG_STORE_BUCKETS,
      registers: r,
    }),
    // Raft state gauges (ours; Go exports hashicorp's go-metrics only on a Base branch). Set by the Raft host's
    // stats sampler so dashboards and the devnet can show term, indexes and leadership per node.
    raftTerm: new Gauge({ name: `${NS}_raft_term`, help: 'Current Raft term', registers: r }),
    raftCommitIndex: new Gauge({ name: `${NS}_raft_commit_index`, help: 'Raft commit index', registers: r }),
    raftAppliedIndex: new Gauge({
      name: `${NS}_raft_applied_index`,
      help: 'Last Raft index applied to the FSM',
      registers: r,
    }),
    raftLastLogIndex: new Gauge({
      name: `${NS}_raft_last_log_index`,
      help: 'Last Raft log index stored',
      registers: r,
    }),
    raftLeader: new Gauge({
      name: `${NS}_raft_leader`,
      help: '1 while this node is the Raft leader',
      registers: r,
    }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
