/**
 * What every ctl command gets: the cluster, the RPC endpoints, output sinks, the confirmation gate and
 * the (injectable) clock — passed in, no globals, so tests drive commands directly.
 */
import type { ParsedArgs } from './args.ts';
import type { ClusterConfig } from './config.ts';
import type { RpcEndpoints } from './rpc.ts';

export interface CtlContext {
  readonly cluster: ClusterConfig;
  readonly rpc: RpcEndpoints;
  readonly args: ParsedArgs;
  /** Writes one line to stdout. */
  out(line: string): void;
  /** Writes raw text to stdout (status tables, --watch redraws). */
  write(text: string): void;
  /** Writes one line to stderr. */
  err(line: string): void;
  /** Shows the plan and resolves when the operator agreed (or --yes); throws CtlError(ERR_NOT_CONFIRMED). */
  confirm(plan: readonly string[]): Promise<void>;
  /** True when stdout is a terminal (colours, in-place --watch redraw). */
  readonly tty: boolean;
  nowMs(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Bound for waiting until an action's outcome is visible. */
  readonly pollTimeoutMs: number;
  readonly pollIntervalMs: number;
  /** Fires on SIGINT (ends --watch). */
  readonly signal?: AbortSignal;
}
