// Display filter (capture list in the GUI, packet checks of labs): a small Wireshark-like language — protocol names,
// Wireshark's field names (icmp.type==8, ip.ttl==64, udp.port, eth.addr, arp.opcode,
// tcp.flags.syn, ipv6.addr==fc00:1::/64, icmpv6.type==135 …, read by frame-fields.ts), the list's columns (src, dst, addr, where,
// len), and/or/not, parentheses and plain text. A bad value (ip.addr==999.1.1.1) is
// refused with a message, never silently matched. Pure.
import { parseIpv6, parseIpv6Cidr } from '../wire/ipv6-addr';
import { FIELD_TYPES, frameFields, isFieldName, type FieldName, type FieldType, type FrameFields } from './frame-fields';

export interface FilterRow {
  proto: string;
  src: string;
  dst: string;
  info: string;
  lengthBytes: number;
  where: string;
  /** The frame itself, for Wireshark's field names (without it only the columns are known). */
  bytes?: Uint8Array;
  /** Fields known from the frames before it in its capture (tcp.stream, relative tcp.seq …); they win over the frame's own. */
  conv?: FrameFields;
}

export type FilterPredicate = (row: FilterRow) => boolean;

export type FilterResult = { ok: true; match: FilterPredicate } | { ok: false; error: string };

const PROTO_NAMES = ['arp', 'icmp', 'udp', 'dhcp', 'dhcpv6', 'bootp', 'dns', 'tcp', 'ipv4', 'ip', 'ipv6', 'icmpv6', 'other'] as const;
/** The list's own columns (VirtNet shortcuts beside Wireshark's names). */
const COLUMNS = ['addr', 'src', 'dst', 'len', 'where'] as const;
const OPS = ['==', '!=', '>=', '<=', '>', '<', 'contains'] as const;
type Op = (typeof OPS)[number];
/** Wireshark's word operators. */
const WORD_OPS: Record<string, Op> = { eq: '==', ne: '!=', ge: '>=', le: '<=', gt: '>', lt: '<', contains: 'contains' };

type Token = { kind: 'word' | 'op' | 'str' | 'lp' | 'rp' | 'and' | 'or' | 'not'; text: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\()|(\))|(&&|\band\b)|(\|\||\bor\b)|(!(?!=)|\bnot\b)|(==|!=|>=|<=|>|<|\b(?:contains|eq|ne|ge|le|gt|lt)\b)|"([^"]*)"|([^\s()!=<>&|"]+))/giy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < src.length) {
    re.lastIndex = pos;
    m = re.exec(src);
    if (!m || m[0].length === 0) {
      if (src.slice(pos).trim() === '') break;
      throw new Error(`unexpected "${src.slice(pos).trim()[0]}" at ${pos + 1}`);
    }
    pos = re.lastIndex;
    if (m[1]) out.push({ kind: 'lp', text: '(' });
    else if (m[2]) out.push({ kind: 'rp', text: ')' });
    else if (m[3]) out.push({ kind: 'and', text: m[3] });
    else if (m[4]) out.push({ kind: 'or', text: m[4] });
    else if (m[5]) out.push({ kind: 'not', text: m[5] });
    else if (m[6]) out.push({ kind: 'op', text: WORD_OPS[m[6].toLowerCase()] ?? m[6] });
    else if (m[7] !== undefined) out.push({ kind: 'str', text: m[7] });
    else if (m[8]) out.push({ kind: 'word', text: m[8] });
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  parse(): FilterPredicate {
    const p = this.or();
    if (this.i < this.toks.length) throw new Error(`unexpected "${this.toks[this.i]!.text}"`);
    return p;
  }

  private peek(): Token | undefined {
    return this.toks[this.i];
  }

  private or(): FilterPredicate {
    let left = this.and();
    while (this.peek()?.kind === 'or') {
      this.i++;
      const l = left;
      const r = this.and();
      left = (row) => l(row) || r(row);
    }
    return left;
  }

  private and(): FilterPredicate {
    let left = this.unary();
    // Juxtaposition ("icmp 10.0.0.1") also means "and".
    while (this.peek() && (this.peek()!.kind === 'and' || ['word', 'str', 'lp', 'not'].includes(this.peek()!.kind))) {
      if (this.peek()!.kind === 'and') this.i++;
      const l = left;
      const r = this.unary();
      left = (row) => l(row) && r(row);
    }
    return left;
  }

  private unary(): FilterPredicate {
    const t = this.peek();
    if (!t) throw new Error('expression ends too early');
    if (t.kind === 'not') {
      this.i++;
      const inner = this.unary();
      return (row) => !inner(row);
    }
    if (t.kind === 'lp') {
      this.i++;
      const inner = this.or();
      if (this.peek()?.kind !== 'rp') throw new Error('missing ")"');
      this.i++;
      return inner;
    }
    if (t.kind === 'str') {
      this.i++;
      return textMatch(t.text);
    }
    if (t.kind === 'word') return this.primary();
    throw new Error(`unexpected "${t.text}"`);
  }

  private primary(): FilterPredicate {
    const word = this.toks[this.i++]!.text;
    const lower = word.toLowerCase();
    const next = this.peek();
    if (next?.kind === 'op') {
      this.i++;
      const value = this.peek();
      if (!value || (value.kind !== 'word' && value.kind !== 'str')) throw new Error(`"${word} ${next.text}" needs a value`);
      this.i++;
      const op = next.text as Op;
      if (isFieldName(lower)) return fieldComparison(lower, op, value.text);
      if ((COLUMNS as readonly string[]).includes(lower)) return columnComparison(lower as (typeof COLUMNS)[number], op, value.text);
      throw new Error(`unknown field "${word}" (try ip.addr, ip.ttl, icmp.type, ipv6.addr, icmpv6.type, udp.port, dns.qry.name, tcp.port, tcp.stream, tcp.flags.syn, eth.addr, arp.opcode, frame.len)`);
    }
    if (isFieldName(lower)) return (row) => fieldValues(row, lower).length > 0;
    if ((PROTO_NAMES as readonly string[]).includes(lower)) return protoMatch(lower);
    return textMatch(word);
  }
}

/** Protocol words: by the frame's own headers when the row has its bytes, else by the column. */
const PROTO_FIELD: Record<string, FieldName> = { ip: 'ip.src', ipv4: 'ip.src', ipv6: 'ipv6.src', icmpv6: 'icmpv6.type', udp: 'udp.srcport', dhcp: 'dhcp.type', dhcpv6: 'dhcpv6.msgtype', bootp: 'dhcp.type', dns: 'dns.id' };

/** Column classes a protocol word covers (DHCP and DNS rows are UDP and IP too). */
const PROTO_COLUMNS: Record<string, readonly string[]> = { ip: ['icmp', 'udp', 'dhcp', 'dns', 'tcp', 'ipv4'], ipv4: ['icmp', 'udp', 'dhcp', 'dns', 'tcp', 'ipv4'], udp: ['udp', 'dhcp', 'dns'], bootp: ['dhcp'], dhcpv6: ['dhcp'] };

function protoMatch(name: string): FilterPredicate {
  const field = PROTO_FIELD[name];
  const cols = PROTO_COLUMNS[name] ?? [name];
  const byColumn: FilterPredicate = (row) => cols.includes(row.proto);
  if (!field) return byColumn;
  return (row) => (row.bytes ? (frameFields(row.bytes)[field]?.length ?? 0) > 0 : byColumn(row));
}

function textMatch(text: string): FilterPredicate {
  const needle = text.toLowerCase();
  return (row) => `${row.proto} ${row.src} ${row.dst} ${row.info} ${row.where}`.toLowerCase().includes(needle);
}

function fieldsOf(row: FilterRow): FrameFields {
  return row.bytes ? frameFields(row.bytes) : { 'frame.len': [row.lengthBytes] };
}

function fieldValues(row: FilterRow, field: FieldName): (number | string)[] {
  return row.conv?.[field] ?? fieldsOf(row)[field] ?? [];
}

/** A filter value read as the field's type; a value that cannot be one is refused. */
type Ipv6Prefix = { v6: Uint8Array; prefixLen: number };

function parseValue(type: FieldType, field: string, text: string): number | string | { net: number; mask: number } | Ipv6Prefix {
  if (type === 'string') return text;
  if (type === 'number') {
    const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isFinite(n)) throw new Error(`"${text}" is not a number (${field} takes a number)`);
    return n;
  }
  if (type === 'mac') {
    const m = /^([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})[:-]([0-9a-f]{2})$/i.exec(text);
    if (!m) throw new Error(`"${text}" is not a MAC address (${field} takes one like 42:00:aa:00:00:01)`);
    return m.slice(1).join(':').toLowerCase();
  }
  if (type === 'ipv6') {
    const cidr = text.includes('/') ? parseIpv6Cidr(text) : null;
    const addr = cidr ? cidr.addr : parseIpv6(text);
    if (!addr) throw new Error(`"${text}" is not an IPv6 address (${field} takes one like fc00:1::20 or fc00:1::/64)`);
    return { v6: addr, prefixLen: cidr ? cidr.prefixLen : 128 };
  }
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text);
  const parts = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m?.[5] === undefined ? 32 : Number(m[5]);
  if (!m || parts.some((p) => p > 255) || prefix > 32) throw new Error(`"${text}" is not an IPv4 address (${field} takes one like 10.0.0.1 or 10.0.0.0/24)`);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { net: (((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) & mask) >>> 0, mask };
}

function ipv4Number(s: string): number {
  const p = s.split('.').map(Number);
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}

function ipv6InPrefix(text: string, want: Ipv6Prefix): boolean {
  const a = parseIpv6(text);
  if (!a) return false;
  for (let bit = 0; bit < want.prefixLen; bit += 8) {
    const keep = Math.min(8, want.prefixLen - bit);
    const mask = (0xff << (8 - keep)) & 0xff;
    if ((a[bit >> 3]! & mask) !== (want.v6[bit >> 3]! & mask)) return false;
  }
  return true;
}

function fieldComparison(field: FieldName, op: Op, text: string): FilterPredicate {
  const type = FIELD_TYPES[field];
  const values = (row: FilterRow) => fieldValues(row, field);
  if (op === 'contains') {
    const v = text.toLowerCase();
    return (row) => values(row).some((x) => String(x).toLowerCase().includes(v));
  }
  const want = parseValue(type, field, text);
  let eq: (x: number | string) => boolean;
  if (typeof want === 'object' && 'v6' in want) eq = (x) => ipv6InPrefix(String(x), want);
  else if (typeof want === 'object') eq = (x) => ((ipv4Number(String(x)) & want.mask) >>> 0) === want.net;
  else eq = (x) => x === want;
  if (op === '==') return (row) => values(row).some(eq);
  // Wireshark: a != b holds when the field is there and no occurrence equals b.
  if (op === '!=') return (row) => values(row).length > 0 && !values(row).some(eq);
  if (typeof want !== 'number') throw new Error(`"${op}" compares numbers; ${field} holds ${type === 'string' ? 'names' : 'addresses'} (use == or !=)`);
  return (row) => values(row).some((x) => compareNumbers(x as number, op, want));
}

function columnComparison(field: (typeof COLUMNS)[number], op: Op, value: string): FilterPredicate {
  if (field === 'len') {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new Error(`"${value}" is not a number`);
    return (row) => compareNumbers(row.lengthBytes, op, n);
  }
  const get: (row: FilterRow) => string[] =
    field === 'src' ? (row) => [row.src] : field === 'dst' ? (row) => [row.dst] : field === 'where' ? (row) => [row.where] : (row) => [row.src, row.dst];
  const v = value.toLowerCase();
  if (op === 'contains') return (row) => get(row).some((s) => s.toLowerCase().includes(v));
  if (op === '==') return (row) => get(row).some((s) => s.toLowerCase() === v);
  if (op === '!=') return (row) => get(row).every((s) => s.toLowerCase() !== v);
  throw new Error(`"${op}" only compares numbers (len)`);
}

function compareNumbers(a: number, op: string, b: number): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '>': return a > b;
    case '<': return a < b;
    case '>=': return a >= b;
    case '<=': return a <= b;
    default: return false;
  }
}

/** Compiles a filter; an empty filter matches everything. Never throws. */
export function compileFilter(src: string): FilterResult {
  if (src.trim() === '') return { ok: true, match: () => true };
  try {
    return { ok: true, match: new Parser(tokenize(src)).parse() };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
