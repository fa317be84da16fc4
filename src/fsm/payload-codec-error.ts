/**
 * Errors of the payload codec. Messages are Go's texts where Go has one (op-service `eth/ssz.go`,
 * e.g. `execution payload envelope is missing data`), because the RPC server returns them verbatim to
 * op-node and operators grep logs for them; JSON validation errors name the field and the reason.
 */
export const PayloadCodecErrorCode = {
  /** Envelope without parentBeaconBlockRoot or executionPayload (Go `ErrMissingData`). */
  MissingData: 'MISSING_DATA',
  /** JSON that does not have the op-service shape (field name + reason in the message). */
  InvalidJson: 'INVALID_JSON',
  /** SSZ bytes that neither the V4 nor the V3 layout accepts. */
  InvalidSsz: 'INVALID_SSZ',
  /** A payload that cannot be encoded (e.g. blob fields without withdrawals, as Go panics on). */
  Unencodable: 'UNENCODABLE',
} as const;
export type PayloadCodecErrorCode = (typeof PayloadCodecErrorCode)[keyof typeof PayloadCodecErrorCode];

export const missingDataText = 'execution payload envelope is missing data';

export class PayloadCodecError extends Error {
  readonly code: PayloadCodecErrorCode;
  constructor(code: PayloadCodecErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PayloadCodecError';
    this.code = code;
  }
}
