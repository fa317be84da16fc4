/**
 * Health verdict errors with the Go conductor's exact texts (`health/monitor.go`). The text appears
 * verbatim in logs and in the `error` label of `op_conductor_healthchecks_count`, and the control loop
 * branches on the code (connection-down disables the stall rescue; partial rollup-boost disables
 * wait-for-recovery).
 */
export const HealthErrorCode = {
  SequencerNotHealthy: 'SEQUENCER_NOT_HEALTHY',
  SequencerConnectionDown: 'SEQUENCER_CONNECTION_DOWN',
  SupervisorConnectionDown: 'SUPERVISOR_CONNECTION_DOWN',
  RollupBoostConnectionDown: 'ROLLUP_BOOST_CONNECTION_DOWN',
  RollupBoostPartiallyHealthy: 'ROLLUP_BOOST_PARTIALLY_HEALTHY',
  RollupBoostNotHealthy: 'ROLLUP_BOOST_NOT_HEALTHY',
  /** The EL p2p check returns the raw RPC error (not mapped), as Go does. */
  ExecutionP2pRpc: 'EXECUTION_P2P_RPC',
} as const;
export type HealthErrorCode = (typeof HealthErrorCode)[keyof typeof HealthErrorCode];

const TEXT: Readonly<Record<Exclude<HealthErrorCode, 'EXECUTION_P2P_RPC'>, string>> = {
  SEQUENCER_NOT_HEALTHY: 'sequencer is not healthy',
  SEQUENCER_CONNECTION_DOWN: 'cannot connect to sequencer rpc endpoints',
  SUPERVISOR_CONNECTION_DOWN: 'cannot connect to supervisor rpc endpoint',
  ROLLUP_BOOST_CONNECTION_DOWN: 'cannot connect to rollup boost rpc endpoints',
  ROLLUP_BOOST_PARTIALLY_HEALTHY:
    'rollup boost is partially healthy, meaning that rbuilder is not healthy but the execution client is healthy',
  ROLLUP_BOOST_NOT_HEALTHY: 'rollup boost is not healthy',
};

export class HealthError extends Error {
  readonly code: HealthErrorCode;
  constructor(code: HealthErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? (code === 'EXECUTION_P2P_RPC' ? 'execution p2p rpc error' : TEXT[code]), options);
    this.name = 'HealthError';
    this.code = code;
  }
}

export function isHealthError(e: unknown, code: HealthErrorCode): e is HealthError {
  return e instanceof HealthError && e.code === code;
}
