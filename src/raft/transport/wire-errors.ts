/**
 * Errors of the hashicorp/raft wire layer. A WireError always means "this connection's byte stream can
 * no longer be trusted": the connection that produced it is closed, nothing else is affected.
 * Texts that cross the wire (sent to or received from Go peers) are hashicorp's exact strings.
 */

export const WireErrorCode = {
  /** The frame (or one declared length inside it) exceeds the configured bound. */
  FrameTooLarge: 'ERR_WIRE_FRAME_TOO_LARGE',
  /** Bytes that are not valid msgpack, or a value of the wrong shape for the struct field. */
  Malformed: 'ERR_WIRE_MALFORMED',
  /** An RPC type byte we do not know (hashicorp closes the connection: `unknown rpc type N`). */
  UnknownRpcType: 'ERR_WIRE_UNKNOWN_RPC_TYPE',
} as const;
export type WireErrorCode = (typeof WireErrorCode)[keyof typeof WireErrorCode];

export class WireError extends Error {
  readonly code: WireErrorCode;
  constructor(code: WireErrorCode, message: string) {
    super(message);
    this.name = 'WireError';
    this.code = code;
  }
}

/** hashicorp's reply when a request's ProtocolVersion is outside what a v3 node accepts. */
export const ERR_PROTOCOL_VERSION_TEXT = 'operation not supported with current protocol version';
/** hashicorp 1.7's reply for an RPC its core does not handle; 1.7 candidates count it as a pre-vote grant. */
export const ERR_UNEXPECTED_COMMAND_TEXT = 'unexpected command';
