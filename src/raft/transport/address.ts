/**
 * Go dial strings (`host:port`, IPv6 as `[::1]:port`) and Go's advertise rule: a transport must know an
 * address peers can dial, so an unspecified bind address (0.0.0.0, ::) needs an explicit advertised one
 * (hashicorp: `local bind address is not advertisable`). Pure.
 */

export const ERR_NOT_ADVERTISABLE_TEXT = 'local bind address is not advertisable';

export class TransportConfigError extends Error {
  readonly code = 'ERR_TRANSPORT_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'TransportConfigError';
  }
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

const PORT_MAX = 65535;

export function parseHostPort(addr: string): HostPort {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(addr) ?? /^([^:[\]]*):(\d+)$/.exec(addr);
  const port = m ? Number(m[2]) : Number.NaN;
  if (!m || !Number.isInteger(port) || port < 0 || port > PORT_MAX) {
    throw new TransportConfigError(`address ${addr}: missing port in address`);
  }
  return { host: m[1]!, port };
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function isUnspecifiedHost(host: string): boolean {
  return host === '' || host === '0.0.0.0' || host === '::' || host === '[::]' || /^0+(\.0+){3}$/.test(host);
}

/**
 * The address to advertise: `advertised` if given, else the bind address. Throws Go's error when the
 * result is not dialable (unspecified host or port 0 with nothing bound yet is resolved by the caller).
 */
export function advertisedAddress(bindHost: string, boundPort: number, advertised?: string): string {
  if (advertised !== undefined && advertised !== '') {
    const a = parseHostPort(advertised);
    if (isUnspecifiedHost(a.host)) throw new TransportConfigError(ERR_NOT_ADVERTISABLE_TEXT);
    return formatHostPort(a.host, a.port);
  }
  if (isUnspecifiedHost(bindHost)) throw new TransportConfigError(ERR_NOT_ADVERTISABLE_TEXT);
  return formatHostPort(bindHost, boundPort);
}
