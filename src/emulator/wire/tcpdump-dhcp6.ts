// tcpdump's DHCPv6 text (print-dhcp6.c): `dhcp6 solicit`, and with -v the transaction id
// and each option in parentheses (client-ID/server-ID DUIDs, IA_NA with its IA_ADDR,
// elapsed-time, option-request, preference, status-code, rapid-commit, DNS-server).
// Only bytes; options it has no words for print as `opt_N`, as tcpdump's do.
import { readU16, readU32 } from './addr';
import { DHCP6_OPT, DHCP6_STATUS, DHCP6_TYPE, dhcp6StatusName } from './dhcp6';
import { formatIpv6 } from './ipv6-addr';

const TYPES: Readonly<Record<number, string>> = {
  1: 'solicit', 2: 'advertise', 3: 'request', 4: 'confirm', 5: 'renew', 6: 'rebind', 7: 'reply', 8: 'release', 9: 'decline',
  10: 'reconfigure', 11: 'inf-req', 12: 'relay-fwd', 13: 'relay-reply',
};

const OPTS: Readonly<Record<number, string>> = {
  1: 'client-ID', 2: 'server-ID', 3: 'IA_NA', 4: 'IA_TA', 5: 'IA_ADDR', 6: 'option-request', 7: 'preference', 8: 'elapsed-time',
  13: 'status-code', 14: 'rapid-commit', 23: 'DNS-server', 24: 'DNS-search-list',
};


/** Nesting tcpdump follows (IA_NA → IA_ADDR → status-code) and a bound on options printed. */
const DEPTH_MAX = 4;
const OPTIONS_MAX = 64;

function optName(code: number): string {
  return OPTS[code] ?? `opt_${code}`;
}

function hex(buf: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += buf[i].toString(16).padStart(2, '0');
  return s;
}

function options(buf: Uint8Array, off: number, end: number, depth: number): string {
  let out = '';
  let o = off;
  for (let n = 0; o < end && n < OPTIONS_MAX; n++) {
    if (o + 4 > end) return `${out} ?`;
    const code = readU16(buf, o);
    const len = readU16(buf, o + 2);
    const d = o + 4;
    if (d + len > end) return `${out} (${optName(code)} ?)`;
    out += ` (${optName(code)}${value(buf, code, d, len, depth)})`;
    o = d + len;
  }
  return out;
}

function value(buf: Uint8Array, code: number, d: number, len: number, depth: number): string {
  switch (code) {
    case DHCP6_OPT.CLIENTID:
    case DHCP6_OPT.SERVERID: {
      const type = len >= 2 ? readU16(buf, d) : -1;
      if (type === 1 && len >= 8) return ` hwaddr/time type ${readU16(buf, d + 2)} time ${readU32(buf, d + 4)} ${hex(buf, d + 8, d + len)}`;
      if (type === 3 && len >= 4) return ` hwaddr type ${readU16(buf, d + 2)} ${hex(buf, d + 4, d + len)}`;
      return ` type ${type}`;
    }
    case DHCP6_OPT.IA_NA:
      if (len < 12) return ' ?';
      return ` IAID:${readU32(buf, d)} T1:${readU32(buf, d + 4)} T2:${readU32(buf, d + 8)}${depth < DEPTH_MAX && len > 12 ? options(buf, d + 12, d + len, depth + 1) : ''}`;
    case DHCP6_OPT.IAADDR:
      if (len < 24) return ' ?';
      return ` ${formatIpv6(buf, d)} pltime:${readU32(buf, d + 16)} vltime:${readU32(buf, d + 20)}${depth < DEPTH_MAX && len > 24 ? options(buf, d + 24, d + len, depth + 1) : ''}`;
    case DHCP6_OPT.ELAPSED_TIME:
      return len === 2 ? ` ${readU16(buf, d)}` : ' ?';
    case DHCP6_OPT.PREFERENCE:
      return len === 1 ? ` ${buf[d]}` : ' ?';
    case DHCP6_OPT.ORO: {
      let s = '';
      for (let k = 0; k + 2 <= len; k += 2) s += ` ${optName(readU16(buf, d + k))}`;
      return s;
    }
    case DHCP6_OPT.STATUS_CODE:
      return len >= 2 ? ` ${readU16(buf, d) <= DHCP6_STATUS.USE_MULTICAST ? dhcp6StatusName(readU16(buf, d)) : `code${readU16(buf, d)}`}` : ' ?';
    case DHCP6_OPT.RAPID_COMMIT:
      return '';
    case DHCP6_OPT.DNS_SERVERS: {
      let s = '';
      for (let k = 0; k + 16 <= len; k += 16) s += ` ${formatIpv6(buf, d + k)}`;
      return s;
    }
    default:
      return '';
  }
}

/** The text after the ports for a DHCPv6 datagram whose payload is at `off` (length `len`). */
export function dhcp6DumpText(buf: Uint8Array, off: number, len: number, verbose: boolean): string {
  if (off < 0 || len < 1 || off + len > buf.length) return 'dhcp6 [|dhcp6]';
  const type = buf[off];
  const name = TYPES[type] ?? `msgtype-${type}`;
  if (!verbose) return `dhcp6 ${name}`;
  if (type === DHCP6_TYPE.RELAY_FORW || type === DHCP6_TYPE.RELAY_REPL || len < 4) return `dhcp6 ${name} ()`;
  const xid = (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3];
  return `dhcp6 ${name} (xid=${xid.toString(16)}${options(buf, off + 4, off + len, 0)})`;
}
