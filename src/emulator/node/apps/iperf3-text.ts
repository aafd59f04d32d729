// iperf3's report text (iperf_locale.c): adaptive units (KByte/MByte in 1024s, Kbit/Mbit
// in 1000s, three significant digits as unit_snprintf), interval and summary lines with
// their fixed columns, headers and separators. Pure formatting; no sockets or time here.

export const IPERF_SEP = '- - - - - - - - - - - - - - - - - - - - - - - - -';
export const IPERF_DASHES = '-----------------------------------------------------------';
export const HEADER_RECV = '[ ID] Interval           Transfer     Bitrate';
export const HEADER_SEND_CWND = '[ ID] Interval           Transfer     Bitrate         Retr  Cwnd';
export const HEADER_SEND = '[ ID] Interval           Transfer     Bitrate         Retr';

const BYTE_UNITS = ['Byte', 'KByte', 'MByte', 'GByte', 'TByte'];
const BIT_UNITS = ['bit', 'Kbit', 'Mbit', 'Gbit', 'Tbit'];

function fixed(n: number, digits: number, width: number): string {
  return n.toFixed(digits).padStart(width);
}

/** unit_snprintf: `1.12 MByte` (bytes, 1024s) or, with `bits`, `9.39 Mbit` from bytes (×8, 1000s). */
export function iperfUnit(value: number, bits: boolean): string {
  let n = bits ? value * 8 : value;
  const base = bits ? 1000 : 1024;
  let conv = 0;
  while (n >= base && conv < 4) {
    n /= base;
    conv++;
  }
  const num = n < 9.995 ? fixed(n, 2, 4) : n < 99.95 ? fixed(n, 1, 4) : fixed(n, 0, 4);
  return `${num} ${(bits ? BIT_UNITS : BYTE_UNITS)[conv]}`;
}

function interval(id: number | 'SUM', from: number, to: number): string {
  const tag = id === 'SUM' ? '[SUM]' : `[${String(id).padStart(3)}]`;
  return `${tag} ${fixed(from, 2, 6)}-${to.toFixed(2).padEnd(6)} sec`;
}

function transfer(bytes: number, secs: number): string {
  return `  ${iperfUnit(bytes, false)}s  ${iperfUnit(secs > 0 ? bytes / secs : 0, true)}s/sec`;
}

export interface IperfRow {
  id: number | 'SUM';
  from: number;
  to: number;
  bytes: number;
}

/** A receiver's line: `[  5]   0.00-1.00   sec  1.12 MBytes  9.39 Mbits/sec                  ` + role. */
export function recvLine(r: IperfRow, role = ''): string {
  return `${interval(r.id, r.from, r.to)}${transfer(r.bytes, r.to - r.from)}                  ${role}`;
}

/** A sender's interval line with retransmissions and the congestion window (per stream). */
export function sendLineCwnd(r: IperfRow, retr: number, cwnd: number): string {
  return `${interval(r.id, r.from, r.to)}${transfer(r.bytes, r.to - r.from)}  ${String(retr).padStart(3)}   ${iperfUnit(cwnd, false)}s       `;
}

/** A sender's line with retransmissions only (SUM intervals, the summary's `sender`). */
export function sendLine(r: IperfRow, retr: number, role = ''): string {
  return `${interval(r.id, r.from, r.to)}${transfer(r.bytes, r.to - r.from)}  ${String(retr).padStart(3)}             ${role}`;
}

export const HEADER_UDP_SEND = '[ ID] Interval           Transfer     Bitrate         Total Datagrams';
export const HEADER_UDP = '[ ID] Interval           Transfer     Bitrate         Jitter    Lost/Total Datagrams';

/** A UDP sender's interval line: `… 1.05 Mbits/sec  90  `. */
export function udpSendLine(r: IperfRow, datagrams: number): string {
  return `${interval(r.id, r.from, r.to)}${transfer(r.bytes, r.to - r.from)}  ${datagrams}  `;
}

/** A UDP receiver's (or summary) line: `… 1.05 Mbits/sec  0.011 ms  0/90 (0%)  ` + role. */
export function udpLine(r: IperfRow, jitterMs: number, lost: number, total: number, role = ''): string {
  const pct = total > 0 ? (100 * lost) / total : 0;
  return `${interval(r.id, r.from, r.to)}${transfer(r.bytes, r.to - r.from)}  ${jitterMs.toFixed(3)} ms  ${lost}/${total} (${Number(pct.toPrecision(2))}%)  ${role}`;
}
