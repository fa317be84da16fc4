/**
 * hashicorp/raft NetworkTransport frames ⇄ the core's messages (src/raft/core/messages.ts).
 *
 * Request frame: one RPC type byte, one msgpack map (the Go struct, RPCHeader flattened), and for
 * InstallSnapshot exactly `Size` raw snapshot bytes. Response frame: the error as a msgpack string ("" =
 * none) then the response map, or nil when there is an error.
 *
 * Invariants (wire notes §2, checked against bytes captured between real Go nodes):
 * - maps list the Go field names in byte-wise sorted order and always carry every field (a Go decoder
 *   keeps a previous value for a missing key);
 * - the legacy address fields (`Leader`, `Candidate`) and the 1.7 header (`ID`, `Addr`) hold identical
 *   address bytes, so a 1.1.2 peer (which reads only the legacy ones) and a 1.7 peer agree;
 * - ProtocolVersion 3 on requests and on AppendEntries/RequestVote/RequestPreVote replies; 0 on
 *   InstallSnapshot/TimeoutNow replies (hashicorp builds those without a header);
 * - profile 'v1.1.2' writes exactly what raft 1.1.2 writes (no ID/Addr, no AppendedAt): it exists so the
 *   captured vectors can be compared byte for byte; the transport sends profile 'v1.7', a superset 1.1.2
 *   decodes (it skips unknown keys);
 * - decoding accepts any key order, unknown keys, missing keys (zero values), str/bin for bytes, any int
 *   width, every time form; byte fields are copied out of the connection buffer;
 * - a raft.Log outside a frame (raft-boltdb's stored value) decodes with the very same entry rules
 *   (decodeLogEntry), so init's importer and the transport cannot disagree on an entry.
 */
import {
  decodeConfiguration,
  decodeLegacyPeers,
  encodeConfiguration,
  encodeLegacyPeers,
} from '../core/configuration-codec.ts';
import type {
  AppendEntriesRequest,
  AppendEntriesResponse,
  InstallSnapshotRequest,
  InstallSnapshotResponse,
  Peer,
  RaftRequest,
  RaftResponse,
  RequestPreVoteRequest,
  RequestPreVoteResponse,
  RequestVoteRequest,
  RequestVoteResponse,
  RpcFailure,
  TimeoutNowRequest,
  TimeoutNowResponse,
} from '../core/messages.ts';
import { type Configuration, type LogEntry, LogType } from '../core/types.ts';
import { readGoTime, writeGoTime } from './go-time.ts';
import { MsgpackReader, NeedMoreBytes } from './msgpack-reader.ts';
import { MsgpackWriter } from './msgpack-writer.ts';
import { WireError, WireErrorCode } from './wire-errors.ts';

/** The RPC type byte (a Go iota in net_transport.go). */
export const RpcType = {
  AppendEntries: 0,
  RequestVote: 1,
  InstallSnapshot: 2,
  TimeoutNow: 3,
  RequestPreVote: 4,
} as const;
export type RpcType = (typeof RpcType)[keyof typeof RpcType];

export type WireProfile = 'v1.7' | 'v1.1.2';

/** hashicorp ProtocolVersionMax, what every default node sends. */
export const protocolVersionSent = 3;
/** A v3 node accepts requests from protocol versions 2..3 (own − 1 .. max). */
export const protocolVersionAcceptedMin = 2;
export const protocolVersionAcceptedMax = 3;
/** hashicorp SnapshotVersionMax. */
export const snapshotVersionSent = 1;

const LOG_TYPE_MAX = LogType.Configuration;
const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

const RPC_TYPE_OF: Readonly<Record<RaftRequest['type'], RpcType>> = {
  appendEntries: RpcType.AppendEntries,
  requestVote: RpcType.RequestVote,
  installSnapshot: RpcType.InstallSnapshot,
  timeoutNow: RpcType.TimeoutNow,
  requestPreVote: RpcType.RequestPreVote,
};

export function rpcTypeOf(req: RaftRequest): RpcType {
  return RPC_TYPE_OF[req.type];
}

export function isKnownRpcType(b: number): b is RpcType {
  return b >= RpcType.AppendEntries && b <= RpcType.RequestPreVote;
}

/** hashicorp's heartbeat shape: no entries, zero prev/commit (the fast path on Go followers). */
export function isHeartbeat(m: AppendEntriesRequest): boolean {
  return m.entries.length === 0 && m.prevLogIndex === 0 && m.prevLogTerm === 0 && m.leaderCommit === 0;
}

// ---------------------------------------------------------------------------------------------- encode

function writeEntry(w: MsgpackWriter, e: LogEntry, profile: WireProfile): void {
  if (profile === 'v1.7') {
    w.mapHeader(6).key('AppendedAt');
    writeGoTime(w, e.appendedAtMs);
  } else {
    w.mapHeader(5);
  }
  w.key('Data').rawOrNil(e.data);
  w.key('Extensions').rawOrNil(e.extensions);
  w.key('Index').uint(e.index).key('Term').uint(e.term).key('Type').uint(e.type);
}

/**
 * Encodes a request as the chunks to write: the type byte + map, with large entry data referenced rather
 * than copied (MsgpackWriter.chunks), and for InstallSnapshot the raw snapshot bytes after it. Entry data
 * is immutable once proposed or read from a store (stores copy on read), so a reference stays valid until
 * the socket has written it.
 */
export function encodeRequest(m: RaftRequest, profile: WireProfile = 'v1.7'): Uint8Array[] {
  const v17 = profile === 'v1.7';
  const w = new MsgpackWriter();
  w.byte(rpcTypeOf(m));
  const addr = utf8.encode(m.from.addr);
  switch (m.type) {
    case 'appendEntries': {
      w.mapHeader(v17 ? 9 : 7);
      if (v17) w.key('Addr').raw(addr);
      w.key('Entries');
      // Go: a heartbeat carries a nil slice, a replication RPC with nothing to send an empty one.
      if (isHeartbeat(m)) w.nil();
      else {
        w.arrayHeader(m.entries.length);
        for (const e of m.entries) writeEntry(w, e, profile);
      }
      if (v17) w.key('ID').strOrNil(m.from.id);
      w.key('Leader').raw(addr);
      w.key('LeaderCommitIndex').uint(m.leaderCommit);
      w.key('PrevLogEntry').uint(m.prevLogIndex).key('PrevLogTerm').uint(m.prevLogTerm);
      w.key('ProtocolVersion').uint(protocolVersionSent).key('Term').uint(m.term);
      break;
    }
    case 'requestVote': {
      w.mapHeader(v17 ? 8 : 6);
      if (v17) w.key('Addr').raw(addr);
      w.key('Candidate').raw(addr);
      if (v17) w.key('ID').strOrNil(m.from.id);
      w.key('LastLogIndex').uint(m.lastLogIndex).key('LastLogTerm').uint(m.lastLogTerm);
      w.key('LeadershipTransfer').bool(m.leadershipTransfer);
      w.key('ProtocolVersion').uint(protocolVersionSent).key('Term').uint(m.term);
      break;
    }
    case 'requestPreVote': {
      // Type 4 exists only in 1.7; it always carries the 1.7 header (a pre-vote with no ID is refused).
      w.mapHeader(6).key('Addr').raw(addr).key('ID').strOrNil(m.from.id);
      w.key('LastLogIndex').uint(m.lastLogIndex).key('LastLogTerm').uint(m.lastLogTerm);
      w.key('ProtocolVersion').uint(protocolVersionSent).key('Term').uint(m.term);
      break;
    }
    case 'installSnapshot': {
      w.mapHeader(v17 ? 12 : 10);
      if (v17) w.key('Addr').raw(addr);
      w.key('Configuration').raw(encodeConfiguration(m.configuration));
      w.key('ConfigurationIndex').uint(m.configurationIndex);
      if (v17) w.key('ID').strOrNil(m.from.id);
      w.key('LastLogIndex').uint(m.lastLogIndex).key('LastLogTerm').uint(m.lastLogTerm);
      w.key('Leader').raw(addr).key('Peers').raw(encodeLegacyPeers(m.configuration));
      w.key('ProtocolVersion').uint(protocolVersionSent).key('Size').uint(m.data.length);
      w.key('SnapshotVersion').uint(snapshotVersionSent).key('Term').uint(m.term);
      break;
    }
    case 'timeoutNow': {
      if (v17) w.mapHeader(3).key('Addr').raw(addr).key('ID').strOrNil(m.from.id);
      else w.mapHeader(1);
      w.key('ProtocolVersion').uint(protocolVersionSent);
      break;
    }
  }
  const chunks = w.chunks();
  if (m.type === 'installSnapshot' && m.data.length > 0) chunks.push(m.data);
  return chunks;
}

/** The 1.7 header's `Addr` key of a response (nil for replies hashicorp sends without a header). */
function writeAddr(w: MsgpackWriter, self: Peer | null, v17: boolean): void {
  if (!v17) return;
  w.key('Addr');
  if (self === null) w.nil();
  else w.raw(utf8.encode(self.addr));
}

function writeId(w: MsgpackWriter, self: Peer | null, v17: boolean): void {
  if (!v17) return;
  w.key('ID');
  if (self === null) w.nil();
  else w.strOrNil(self.id);
}

/** Encodes a successful response: "" then the response map. */
export function encodeResponse(m: RaftResponse, profile: WireProfile = 'v1.7'): Uint8Array {
  const v17 = profile === 'v1.7';
  const w = new MsgpackWriter();
  w.byte(0xa0);
  switch (m.type) {
    case 'appendEntriesResponse':
      w.mapHeader(v17 ? 7 : 5);
      writeAddr(w, m.from, v17);
      writeId(w, m.from, v17);
      w.key('LastLog').uint(m.lastLog).key('NoRetryBackoff').bool(m.noRetryBackoff);
      w.key('ProtocolVersion').uint(protocolVersionSent).key('Success').bool(m.success);
      w.key('Term').uint(m.term);
      break;
    case 'requestVoteResponse':
      w.mapHeader(v17 ? 6 : 4);
      writeAddr(w, m.from, v17);
      w.key('Granted').bool(m.granted);
      writeId(w, m.from, v17);
      w.key('Peers').nil().key('ProtocolVersion').uint(protocolVersionSent).key('Term').uint(m.term);
      break;
    case 'requestPreVoteResponse':
      w.mapHeader(5);
      writeAddr(w, m.from, true);
      w.key('Granted').bool(m.granted);
      writeId(w, m.from, true);
      w.key('ProtocolVersion').uint(protocolVersionSent).key('Term').uint(m.term);
      break;
    case 'installSnapshotResponse':
      // hashicorp replies to InstallSnapshot without an RPC header (ProtocolVersion 0, ID/Addr nil).
      w.mapHeader(v17 ? 5 : 3);
      writeAddr(w, null, v17);
      writeId(w, null, v17);
      w.key('ProtocolVersion').uint(0).key('Success').bool(m.success).key('Term').uint(m.term);
      break;
    case 'timeoutNowResponse':
      w.mapHeader(v17 ? 3 : 1);
      writeAddr(w, null, v17);
      writeId(w, null, v17);
      w.key('ProtocolVersion').uint(0);
      break;
  }
  return w.bytes().slice();
}

/** An error reply: the error text then a nil body (what hashicorp sends when a handler fails). */
export function encodeErrorResponse(text: string): Uint8Array {
  const w = new MsgpackWriter();
  w.str(text).nil();
  return w.bytes().slice();
}

// ---------------------------------------------------------------------------------------------- decode

/** A request decoded off the wire, with what the transport needs besides the core message. */
export interface DecodedRequest {
  readonly msg: RaftRequest;
  readonly protocolVersion: number;
  /** The shape hashicorp fast-paths (exempt from the protocol-version check). */
  readonly heartbeat: boolean;
}

function copyBytes(b: Uint8Array): Uint8Array {
  return b.slice();
}

function readEntry(r: MsgpackReader): LogEntry {
  let index = 0;
  let term = 0;
  let type = 0;
  let data: Uint8Array = new Uint8Array(0);
  let extensions: Uint8Array | undefined;
  let appendedAtMs: number | undefined;
  const n = r.readMapLen();
  for (let i = 0; i < n; i++) {
    switch (r.readStr()) {
      case 'AppendedAt':
        appendedAtMs = readGoTime(r);
        break;
      case 'Data':
        data = copyBytes(r.readBytes());
        break;
      case 'Extensions': {
        const x = r.readBytes();
        extensions = x.length > 0 ? copyBytes(x) : undefined;
        break;
      }
      case 'Index':
        index = r.readUint();
        break;
      case 'Term':
        term = r.readUint();
        break;
      case 'Type':
        type = r.readUint();
        break;
      default:
        r.skip();
    }
  }
  // Go panics applying an unknown LogType; refuse the frame instead of storing a poison entry.
  if (type > LOG_TYPE_MAX) throw new WireError(WireErrorCode.Malformed, `log entry: unknown type ${type}`);
  const e: { -readonly [K in keyof LogEntry]: LogEntry[K] } = { index, term, type: type as LogType, data };
  if (extensions !== undefined) e.extensions = extensions;
  if (appendedAtMs !== undefined) e.appendedAtMs = appendedAtMs;
  return e;
}

/**
 * One whole `raft.Log` value outside a frame (how raft-boltdb stores each log entry; op-conductor-init
 * imports them), decoded by the same rules as an AppendEntries entry. The value must fill `bytes`:
 * truncation and trailing bytes are WireError Malformed.
 */
export function decodeLogEntry(bytes: Uint8Array): LogEntry {
  const r = new MsgpackReader(bytes, 0, bytes.length, bytes.length);
  let e: LogEntry;
  try {
    e = readEntry(r);
  } catch (err) {
    if (err instanceof NeedMoreBytes) throw new WireError(WireErrorCode.Malformed, 'log entry: truncated');
    throw err;
  }
  if (r.pos !== bytes.length) {
    throw new WireError(WireErrorCode.Malformed, `log entry: ${bytes.length - r.pos} trailing bytes`);
  }
  return e;
}

/** The core's configuration codec rejects bad bytes with an assertion error; on the wire it is a bad frame. */
function decodeBlob(b: Uint8Array, decode: (b: Uint8Array) => Configuration, what: string): Configuration {
  try {
    return decode(b);
  } catch (e) {
    throw new WireError(WireErrorCode.Malformed, `${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Field bag for one request map: every field any request type may carry. */
interface RequestFields {
  addr: string;
  id: string;
  legacyAddr: string;
  term: number;
  protocolVersion: number;
  entries: LogEntry[];
  leaderCommit: number;
  prevLogIndex: number;
  prevLogTerm: number;
  lastLogIndex: number;
  lastLogTerm: number;
  leadershipTransfer: boolean;
  configuration: Configuration | null;
  peers: Configuration | null;
  configurationIndex: number;
  size: number;
  snapshotVersion: number;
}

function readRequestFields(r: MsgpackReader): RequestFields {
  const f: RequestFields = {
    addr: '',
    id: '',
    legacyAddr: '',
    term: 0,
    protocolVersion: 0,
    entries: [],
    leaderCommit: 0,
    prevLogIndex: 0,
    prevLogTerm: 0,
    lastLogIndex: 0,
    lastLogTerm: 0,
    leadershipTransfer: false,
    configuration: null,
    peers: null,
    configurationIndex: 0,
    size: 0,
    snapshotVersion: 0,
  };
  const n = r.readMapLen();
  for (let i = 0; i < n; i++) {
    switch (r.readStr()) {
      case 'Addr':
        f.addr = r.readStr();
        break;
      case 'ID':
        f.id = r.readStr();
        break;
      case 'Leader':
      case 'Candidate':
        f.legacyAddr = r.readStr();
        break;
      case 'Term':
        f.term = r.readUint();
        break;
      case 'ProtocolVersion':
        f.protocolVersion = r.readInt();
        break;
      case 'Entries': {
        const count = r.readArrayLen();
        for (let j = 0; j < count; j++) f.entries.push(readEntry(r));
        break;
      }
      case 'LeaderCommitIndex':
        f.leaderCommit = r.readUint();
        break;
      case 'PrevLogEntry':
        f.prevLogIndex = r.readUint();
        break;
      case 'PrevLogTerm':
        f.prevLogTerm = r.readUint();
        break;
      case 'LastLogIndex':
        f.lastLogIndex = r.readUint();
        break;
      case 'LastLogTerm':
        f.lastLogTerm = r.readUint();
        break;
      case 'LeadershipTransfer':
        f.leadershipTransfer = r.readBool();
        break;
      case 'Configuration': {
        const b = r.readBytes();
        f.configuration = b.length > 0 ? decodeBlob(b, decodeConfiguration, 'configuration') : null;
        break;
      }
      case 'Peers': {
        const b = r.readBytes();
        f.peers = b.length > 0 ? decodeBlob(b, decodeLegacyPeers, 'peers') : null;
        break;
      }
      case 'ConfigurationIndex':
        f.configurationIndex = r.readUint();
        break;
      case 'Size':
        f.size = r.readInt();
        break;
      case 'SnapshotVersion':
        f.snapshotVersion = r.readInt();
        break;
      default:
        r.skip();
    }
  }
  return f;
}

/**
 * Decodes one request body (after its type byte) and, for InstallSnapshot, its raw snapshot bytes.
 * Throws NeedMoreBytes when the buffer does not yet hold the whole frame, WireError when it never will.
 */
export function decodeRequest(r: MsgpackReader, type: RpcType, local: Peer): DecodedRequest {
  const f = readRequestFields(r);
  // 1.7 reads Addr first and falls back to the legacy field; 1.1.2 sends only the legacy one.
  const from: Peer = { id: f.id, addr: f.addr !== '' ? f.addr : f.legacyAddr };
  const base = { from, to: local, term: f.term };
  switch (type) {
    case RpcType.AppendEntries: {
      const msg: AppendEntriesRequest = {
        ...base,
        type: 'appendEntries',
        prevLogIndex: f.prevLogIndex,
        prevLogTerm: f.prevLogTerm,
        entries: f.entries,
        leaderCommit: f.leaderCommit,
      };
      const heartbeat = f.term !== 0 && from.addr !== '' && isHeartbeat(msg);
      return { msg, protocolVersion: f.protocolVersion, heartbeat };
    }
    case RpcType.RequestVote: {
      const msg: RequestVoteRequest = {
        ...base,
        type: 'requestVote',
        lastLogIndex: f.lastLogIndex,
        lastLogTerm: f.lastLogTerm,
        leadershipTransfer: f.leadershipTransfer,
      };
      return { msg, protocolVersion: f.protocolVersion, heartbeat: false };
    }
    case RpcType.RequestPreVote: {
      const msg: RequestPreVoteRequest = {
        ...base,
        type: 'requestPreVote',
        lastLogIndex: f.lastLogIndex,
        lastLogTerm: f.lastLogTerm,
      };
      return { msg, protocolVersion: f.protocolVersion, heartbeat: false };
    }
    case RpcType.TimeoutNow: {
      const msg: TimeoutNowRequest = { ...base, type: 'timeoutNow' };
      return { msg, protocolVersion: f.protocolVersion, heartbeat: false };
    }
    case RpcType.InstallSnapshot: {
      if (f.size < 0)
        throw new WireError(WireErrorCode.Malformed, `install snapshot: negative size ${f.size}`);
      const data = copyBytes(r.take(f.size));
      // Snapshot version 0 means "use the legacy Peers" (wire notes §3.3).
      const configuration = f.configuration ?? f.peers ?? { servers: [] };
      const msg: InstallSnapshotRequest = {
        ...base,
        type: 'installSnapshot',
        lastLogIndex: f.lastLogIndex,
        lastLogTerm: f.lastLogTerm,
        configuration,
        configurationIndex: f.configurationIndex,
        data,
      };
      return { msg, protocolVersion: f.protocolVersion, heartbeat: false };
    }
  }
}

/** Response field bag. */
interface ResponseFields {
  id: string;
  term: number;
  success: boolean;
  granted: boolean;
  lastLog: number;
  noRetryBackoff: boolean;
}

function readResponseFields(r: MsgpackReader): ResponseFields {
  const f: ResponseFields = {
    id: '',
    term: 0,
    success: false,
    granted: false,
    lastLog: 0,
    noRetryBackoff: false,
  };
  const n = r.readMapLen();
  for (let i = 0; i < n; i++) {
    switch (r.readStr()) {
      case 'ID':
        f.id = r.readStr();
        break;
      case 'Term':
        f.term = r.readUint();
        break;
      case 'Success':
        f.success = r.readBool();
        break;
      case 'Granted':
        f.granted = r.readBool();
        break;
      case 'LastLog':
        f.lastLog = r.readUint();
        break;
      case 'NoRetryBackoff':
        f.noRetryBackoff = r.readBool();
        break;
      default:
        r.skip();
    }
  }
  return f;
}

/**
 * Decodes one response frame to the request `req` we sent. A non-empty error string becomes an
 * `rpcFailure` (the body, nil in practice, is still consumed so the connection stays in step).
 */
export function decodeResponse(r: MsgpackReader, req: RaftRequest): RaftResponse | RpcFailure {
  const error = utf8d.decode(r.readBytes()); // nil decodes as empty, as Go accepts it
  if (error !== '') {
    r.skip();
    return { type: 'rpcFailure', from: req.to, to: req.from, term: req.term, request: req.type, error };
  }
  const f = readResponseFields(r);
  const from: Peer = req.to.id === '' && f.id !== '' ? { id: f.id, addr: req.to.addr } : req.to;
  const base = { from, to: req.from, term: f.term };
  switch (req.type) {
    case 'appendEntries': {
      const last = req.entries.length > 0 ? req.entries[req.entries.length - 1]!.index : req.prevLogIndex;
      const m: AppendEntriesResponse = {
        ...base,
        type: 'appendEntriesResponse',
        success: f.success,
        lastLog: f.lastLog,
        noRetryBackoff: f.noRetryBackoff,
        inReplyTo: { prevLogIndex: req.prevLogIndex, lastIndex: last },
      };
      return m;
    }
    case 'requestVote': {
      const m: RequestVoteResponse = { ...base, type: 'requestVoteResponse', granted: f.granted };
      return m;
    }
    case 'requestPreVote': {
      const m: RequestPreVoteResponse = { ...base, type: 'requestPreVoteResponse', granted: f.granted };
      return m;
    }
    case 'installSnapshot': {
      const m: InstallSnapshotResponse = {
        ...base,
        type: 'installSnapshotResponse',
        success: f.success,
        inReplyTo: { lastLogIndex: req.lastLogIndex },
      };
      return m;
    }
    case 'timeoutNow': {
      const m: TimeoutNowResponse = { ...base, type: 'timeoutNowResponse' };
      return m;
    }
  }
}

/** Reads one whole request frame (type byte, map, snapshot body). An unknown type byte is fatal. */
export function readRequestFrame(r: MsgpackReader, local: Peer): DecodedRequest {
  const t = r.u8();
  if (!isKnownRpcType(t)) throw new WireError(WireErrorCode.UnknownRpcType, `unknown rpc type ${t}`);
  return decodeRequest(r, t, local);
}
