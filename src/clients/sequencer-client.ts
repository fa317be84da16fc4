/**
 * SequencerControl (Go `client/sequencer.go`) over the op-node and EL JSON-RPC clients. Errors pass
 * through with the backend's text, which the control loop matches (`sequencer not running`,
 * `sequencer already running`).
 */
import type { SequencerControl } from '../control/sequencer-control.ts';
import type { ElClient } from './el-client.ts';
import type { NodeClient } from './node-client.ts';

export function createSequencerControl(node: NodeClient, el: ElClient): SequencerControl {
  return {
    conductorEnabled: (signal) => node.conductorEnabled(signal),
    sequencerActive: (signal) => node.sequencerActive(signal),
    startSequencer: (hash, signal) => node.startSequencer(hash, signal),
    stopSequencer: (signal) => node.stopSequencer(signal),
    latestBlock: (signal) => el.latestBlock(signal),
    postUnsafePayload: (env, signal) => node.postUnsafePayload(env, signal),
  };
}
