/** Public surface of the pure Raft core. */
export { assert, RaftAssertionError } from './assert.ts';
export type { RaftCoreConfig, RaftMutations } from './config.ts';
export { RAFT_CORE_DEFAULTS, validateRaftCoreConfig } from './config.ts';
export type { ConfigurationChange } from './configuration.ts';
export { isVoter, nextConfiguration, quorumSize, validateConfiguration, voterIds } from './configuration.ts';
export { decodeConfiguration, encodeConfiguration } from './configuration-codec.ts';
export { describeEntry, describeMessage } from './describe.ts';
export type { ConfigurationCodec, CoreSnapshot, LocalResult, RaftNodeInit, RaftStatus } from './raft-node.ts';
export { HASHICORP_CONFIGURATION_CODEC, RaftNode } from './raft-node.ts';
export type { Notification, Ready, RequestId, SnapshotToInstall } from './ready.ts';
export type { Rng } from './rng.ts';
export { randomTimeoutTicks, SeededRng } from './rng.ts';
