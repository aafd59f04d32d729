// Display filter of the capture list: a small Wireshark-like language over the summary of
// each captured frame (protocol names, ip.addr==…, ipv6.addr==…, icmpv6.type==…, len>…,
// and/or/not, parentheses, plain text). Pure; must not decode bytes itself (rows carry
// summarizeFrame's result: an IPv6 row has IPv6 addresses as its source and destination).

export interface FilterRow {
  proto: string;
  src: string;
  dst: string;
  info: string;
  lengthBytes: number;
  where: string;
}

export type FilterPredicate = (row: FilterRow) => boolean;

export type FilterResult = { ok: true; match: FilterPredicate } | { ok: false; error: string };

const PROTO_NAMES = ['arp', 'icmp', 'udp', 'tcp', 'ipv4', 'ip', 'ipv6', 'icmpv6', 'other'] as const;
const FIELDS = ['ip.addr', 'ip.src', 'ip.dst', 'ipv6.addr', 'ipv6.src', 'ipv6.dst', 'icmpv6.type', 'addr', 'src', 'dst', 'len', 'frame.len', 'where'] as const;
const OPS = ['==', '!=', '>=', '<=', '>', '<', 'contains'] as const;

type Token = { kind: 'word' | 'op' | 'str' | 'lp' | 'rp' | 'and' | 'or' | 'not'; text: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\()|(\))|(&&|\band\b)|(\|\||\bor\b)|(!(?!=)|\bnot\b)|(==|!=|>=|<=|>|<|\bcontains\b)|"([^"]*)"|([^\s()!=<>&|"]+))/giy;
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
    else if (m[6]) out.push({ kind: 'op', text: m[6].toLowerCase() });
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
      if (!(FIELDS as readonly string[]).includes(lower)) throw new Error(`unknown field "${word}" (use ${FIELDS.join(', ')})`);
      this.i++;
      const value = this.peek();
      if (!value || (value.kind !== 'word' && value.kind !== 'str')) throw new Error(`"${word} ${next.text}" needs a value`);
      this.i++;
      return comparison(lower, next.text as (typeof OPS)[number], value.text);
    }
    if ((PROTO_NAMES as readonly string[]).includes(lower)) return protoMatch(lower);
    return textMatch(word);
  }
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i;

/** An IPv6 packet: its source column holds an IPv6 address (a MAC has colons too). */
function isIpv6Row(row: FilterRow): boolean {
  return row.src.includes(':') && !MAC.test(row.src);
}

/** ICMPv6 types by the name summarizeFrame puts first in Info (Wireshark's names). */
const ICMPV6_TYPES: [string, number][] = [
  ['Destination Unreachable', 1],
  ['Packet Too Big', 2],
  ['Time Exceeded', 3],
  ['Parameter Problem', 4],
  ['Echo (ping) request', 128],
  ['Echo (ping) reply', 129],
  ['Router Solicitation', 133],
  ['Router Advertisement', 134],
  ['Neighbor Solicitation', 135],
  ['Neighbor Advertisement', 136],
  ['Redirect', 137],
];

function icmpv6Type(row: FilterRow): number | null {
  if (row.proto !== 'ipv6' || !isIpv6Row(row)) return null;
  for (const [name, type] of ICMPV6_TYPES) if (row.info.startsWith(name)) return type;
  return null;
}

function protoMatch(name: string): FilterPredicate {
  if (name === 'ip' || name === 'ipv4') return (row) => ['icmp', 'udp', 'tcp', 'ipv4'].includes(row.proto) && !isIpv6Row(row);
  if (name === 'ipv6') return isIpv6Row;
  if (name === 'icmpv6') return (row) => icmpv6Type(row) !== null;
  return (row) => row.proto === name;
}

function textMatch(text: string): FilterPredicate {
  const needle = text.toLowerCase();
  return (row) => `${row.proto} ${row.src} ${row.dst} ${row.info} ${row.where}`.toLowerCase().includes(needle);
}

function comparison(field: string, op: (typeof OPS)[number], value: string): FilterPredicate {
  if (field === 'icmpv6.type') {
    const n = Number(value);
    if (!Number.isInteger(n)) throw new Error(`"${value}" is not a number`);
    return (row) => {
      const t = icmpv6Type(row);
      return t !== null && compareNumbers(t, op, n);
    };
  }
  if (field.startsWith('ipv6.')) {
    const inner = comparison(field.replace('ipv6.', 'ip.'), op, value);
    return (row) => isIpv6Row(row) && inner(row);
  }
  if (field === 'len' || field === 'frame.len') {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new Error(`"${value}" is not a number`);
    return (row) => compareNumbers(row.lengthBytes, op, n);
  }
  const get: (row: FilterRow) => string[] =
    field === 'ip.src' || field === 'src'
      ? (row) => [row.src]
      : field === 'ip.dst' || field === 'dst'
        ? (row) => [row.dst]
        : field === 'where'
          ? (row) => [row.where]
          : (row) => [row.src, row.dst];
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
