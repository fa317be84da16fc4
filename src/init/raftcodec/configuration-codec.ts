/**
 * hashicorp's configuration blobs as op-conductor-init reads them: the Raft core's codec
 * (src/raft/core/configuration-codec.ts: byte-identical encoding, Go-lenient decoding, the legacy
 * peers blob), with every decode failure reported as InitError ERR_MSGPACK.
 */
import {
  decodeConfiguration as decodeCoreConfiguration,
  decodeLegacyPeers as decodeCoreLegacyPeers,
} from '../../raft/core/configuration-codec.ts';
import type { Configuration } from '../../raft/core/types.ts';
import { asMsgpackError } from '../errors.ts';

export { encodeConfiguration } from '../../raft/core/configuration-codec.ts';

export function decodeConfiguration(bytes: Uint8Array): Configuration {
  return asMsgpackError('Configuration', () => decodeCoreConfiguration(bytes));
}

/** Legacy peers blob → voters with ID = address (what raft's decodePeers does). */
export function decodeLegacyPeers(bytes: Uint8Array): Configuration {
  return asMsgpackError('legacy peers', () => decodeCoreLegacyPeers(bytes));
}
