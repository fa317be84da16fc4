/**
 * `conductor_commitUnsafePayload(payload: ExecutionPayloadEnvelope)` → null. The envelope is decoded to
 * SSZ once, here; codec failures answer `failed to marshal payload envelope: ...`, Raft failures
 * `failed to apply payload envelope: ...` (both -32000); a JSON shape error is -32602
 * `invalid argument 0: ...` as Go's parameter decoding reports it. Not gated by pause or override.
 */
import type { EncodedPayload } from '../../consensus/consensus.ts';
import { PayloadCodecError, PayloadCodecErrorCode } from '../../fsm/payload-codec-error.ts';
import type { ConductorApi } from '../conductor-api.ts';
import { invalidParams } from '../json-rpc/errors.ts';
import type { RpcMethod } from '../method.ts';
import { PreDecodedPayload } from '../offload/pre-decoded.ts';
import type { PayloadCodecPort } from '../payload-codec-port.ts';
import { APPLY_PREFIX, MARSHAL_PREFIX, withPrefix } from './commit-errors.ts';

export function conductorCommitUnsafePayload(api: ConductorApi, codec: PayloadCodecPort): RpcMethod {
  return {
    name: 'conductor_commitUnsafePayload',
    params: ['envelope'],
    handle: async ([json]) => {
      let encoded: EncodedPayload;
      try {
        encoded = json instanceof PreDecodedPayload ? json.unwrap() : codec.encodeForCommit(json ?? null);
      } catch (e) {
        // A JSON shape error is a parameter decoding failure in Go (-32602), not a marshal error.
        if (e instanceof PayloadCodecError && e.code === PayloadCodecErrorCode.InvalidJson) {
          throw invalidParams(`invalid argument 0: ${e.message}`);
        }
        throw withPrefix(MARSHAL_PREFIX, e);
      }
      try {
        await api.commitUnsafePayload(encoded);
      } catch (e) {
        throw withPrefix(APPLY_PREFIX, e);
      }
    },
  };
}
