// Pairs a packet captured on one side of an address translator with the same packet on the
// other side (captures on two interfaces of one node): NAT keeps the IPv4 identification,
// protocol and one endpoint and rewrites the other (RFC 3022 §4.2), so a frame received on
// one interface and a frame sent on another within a second, equal in those and different
// in the rewritten endpoint, is the translation. Both rows get a `translated` note. Pure;
// bounded: a fixed number of recent rows is searched per capture. IPv4 over Ethernet only.
import type { CaptureInfo, CaptureRow } from './capture-store';

export interface Translation {
  /** e.g. `source 10.0.0.20:40000 → 198.51.100.1:40000` (as seen from this row's side). */
  text: string;
  /** The paired row: its capture and packet number. */
  peer: { capture: number; no: number; where: string };
}

interface Ends {
  node: string;
  iface: string;
  key: string;
  src: string;
  dst: string;
}

const ETH_IPV4 = 0x0800;
const IP_OFF = 14;
const PAIR_WINDOW_NS = 1_000_000_000;
/** Rows looked back per other capture (the twin is microseconds away; a flood must not cost O(n²)). */
const PAIR_LOOKBACK_ROWS = 256;

/** The IPv4 endpoints of a frame (`addr[:port]`) and its pairing key (proto + id), or null. */
export function endsOf(r: CaptureRow): Ends | null {
  const b = r.bytes;
  if (b.length < IP_OFF + 20 || ((b[12] << 8) | b[13]) !== ETH_IPV4 || b[IP_OFF] >> 4 !== 4) return null;
  const hl = (b[IP_OFF] & 0x0f) * 4;
  const proto = b[IP_OFF + 9];
  const ipId = (b[IP_OFF + 4] << 8) | b[IP_OFF + 5];
  const addr = (o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
  const t = IP_OFF + hl;
  const firstFrag = ((b[IP_OFF + 6] & 0x1f) | b[IP_OFF + 7]) === 0;
  let sp = '';
  let dp = '';
  if (firstFrag && (proto === 6 || proto === 17) && b.length >= t + 4) {
    sp = `:${(b[t] << 8) | b[t + 1]}`;
    dp = `:${(b[t + 2] << 8) | b[t + 3]}`;
  } else if (firstFrag && proto === 1 && b.length >= t + 8 && (b[t] === 0 || b[t] === 8)) {
    // Echo id: the "port" NAT translates for ICMP (RFC 5508 §3.1), the requester's end.
    const id = ` id=0x${((b[t + 4] << 8) | b[t + 5]).toString(16).padStart(4, '0')}`; // as Wireshark's Info
    if (b[t] === 8) sp = id;
    else dp = id;
  }
  const [node, iface] = r.where.split(':');
  return { node, iface, key: `${proto} ${ipId}`, src: addr(IP_OFF + 12) + sp, dst: addr(IP_OFF + 16) + dp };
}

function describe(self: Ends, other: Ends): string | null {
  if (self.src !== other.src && self.dst === other.dst) return `source ${self.src} ⇄ ${other.src}`;
  if (self.dst !== other.dst && self.src === other.src) return `destination ${self.dst} ⇄ ${other.dst}`;
  if (self.dst !== other.dst && self.src !== other.src) return `source ${self.src} ⇄ ${other.src}, destination ${self.dst} ⇄ ${other.dst}`;
  return null;
}

/**
 * Finds, for each new row, its translated twin among the rows of the other captures on the
 * same node (another interface, the opposite direction, within a second) and notes both.
 */
export function pairTranslations(captures: Map<number, CaptureInfo>, fresh: CaptureRow[]): void {
  for (const r of fresh) {
    if (r.translated !== undefined) continue;
    const mine = endsOf(r);
    if (mine === null) continue;
    for (const c of captures.values()) {
      if (c.id === r.capture) continue;
      const rows = c.rows;
      // Newest first: the twin is close in time; stop once a second older.
      for (let i = rows.length - 1; i >= 0 && i >= rows.length - PAIR_LOOKBACK_ROWS; i--) {
        const o = rows[i];
        if (r.timeNs - o.timeNs > PAIR_WINDOW_NS) break;
        if (o.translated !== undefined || o.direction === r.direction || Math.abs(o.timeNs - r.timeNs) > PAIR_WINDOW_NS) continue;
        const theirs = endsOf(o);
        if (theirs === null || theirs.node !== mine.node || theirs.iface === mine.iface || theirs.key !== mine.key) continue;
        const a = describe(mine, theirs);
        const b = describe(theirs, mine);
        if (a === null || b === null) continue;
        r.translated = { text: a, peer: { capture: c.id, no: o.no, where: o.where } };
        o.translated = { text: b, peer: { capture: r.capture, no: r.no, where: r.where } };
        break;
      }
      if (r.translated !== undefined) break;
    }
  }
}
