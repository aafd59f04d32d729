// The DNS layer of the field tree (capture inspector), named and laid out as Wireshark
// shows it: "Domain Name System (query|response)" with Transaction ID, Flags, the counts,
// and Queries / Answers / Authoritative nameservers / Additional records subtrees.
// Only bytes; RFC 1035 §4.1.
import { field, hex16, malformed, type DecodedField } from './decode-field';
import { dnsClassName, dnsRcodeName, dnsTypeName, formatRdata, parseDns, type DnsRecord, type DnsSpan } from './dns';

const bare = (n: string): string => (n === '.' ? '<Root>' : n.replace(/\.$/, ''));

function recordField(r: DnsRecord, s: DnsSpan): DecodedField {
  const rd = formatRdata(r.data).replace(/\.$/, '');
  return field(`${bare(r.name)}`, `type ${dnsTypeName(r.type)}, class ${dnsClassName(r.class)}, ttl ${r.ttl}, ${rd}`, s.start, s.end - s.start);
}

/** The DNS layer for a UDP payload at `off` (length `len`): a malformed leaf when it does not parse. */
export function decodeDns(bytes: Uint8Array, off: number, len: number): DecodedField {
  const spans: DnsSpan[] = [];
  const m = parseDns(bytes, off, len, spans);
  if (typeof m === 'string') return field('Domain Name System', '', off, len, [malformed(`DNS: ${m}`, off, len)]);
  const flags = (bytes[off + 2] << 8) | bytes[off + 3];
  const flagBits = [
    field('Response', m.qr ? 'Message is a response' : 'Message is a query', off + 2, 2),
    field('Opcode', m.opcode === 0 ? 'Standard query (0)' : String(m.opcode), off + 2, 2),
    ...(m.qr ? [field('Authoritative', m.aa ? 'Server is an authority for domain' : 'Server is not an authority for domain', off + 2, 2)] : []),
    field('Truncated', m.tc ? 'Message is truncated' : 'Message is not truncated', off + 2, 2),
    field('Recursion desired', m.rd ? 'Do query recursively' : "Don't do query recursively", off + 2, 2),
    ...(m.qr ? [field('Recursion available', m.ra ? 'Server can do recursive queries' : "Server can't do recursive queries", off + 2, 2), field('Reply code', `${dnsRcodeName(m.rcode) === 'NXDOMAIN' ? 'No such name' : dnsRcodeName(m.rcode) === 'NOERROR' ? 'No error' : dnsRcodeName(m.rcode)} (${m.rcode})`, off + 2, 2)] : []),
  ];
  const children: DecodedField[] = [
    field('Transaction ID', hex16(m.id), off, 2),
    field('Flags', hex16(flags), off + 2, 2, flagBits),
    field('Questions', m.questions.length, off + 4, 2),
    field('Answer RRs', m.answers.length, off + 6, 2),
    field('Authority RRs', m.authority.length, off + 8, 2),
    field('Additional RRs', m.additional.length, off + 10, 2),
  ];
  let k = 0;
  const qs = m.questions.map((q) => {
    const s = spans[k++];
    return field(bare(q.name), `type ${dnsTypeName(q.type)}, class ${dnsClassName(q.class)}`, s.start, s.end - s.start);
  });
  const group = (title: string, list: DecodedField[]): void => {
    if (list.length === 0) return;
    const first = list[0].offset;
    const last = list[list.length - 1];
    children.push(field(title, '', first, last.offset + last.length - first, list));
  };
  group('Queries', qs);
  for (const [title, rs] of [['Answers', m.answers], ['Authoritative nameservers', m.authority], ['Additional records', m.additional]] as const) {
    group(title, rs.map((r) => recordField(r, spans[k++])));
  }
  return field('Domain Name System', m.qr ? '(response)' : '(query)', off, len, children);
}
