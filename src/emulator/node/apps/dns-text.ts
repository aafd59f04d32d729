// What BIND 9.18's dig, host and nslookup print for a DNS answer, byte for byte: dig's
// sections with masterdump's tab columns (24/32/40/48, tab width 8), host's sentences and
// nslookup's Name/Address blocks. Pure text from a parsed message; no network here.

import { formatIpv4 } from '../../wire/addr';
import { DNS_RCODE, DNS_TYPE, dnsClassName, dnsRcodeName, dnsTypeName, formatRdata, type DnsMessage, type DnsRecord } from '../../wire/dns';

/** The version dig prints in its banner (FreeBSD's dns/bind918 port). */
export const DIG_VERSION = '9.18.28';

/** BIND masterdump.c indent(): tabs to the column, at least one space past it. */
function indent(line: { text: string; col: number }, to: number): void {
  const from = line.col;
  const target = Math.max(to, from + 1);
  const ntabs = Math.floor(target / 8) - Math.floor(from / 8);
  let at = from;
  if (ntabs > 0) {
    line.text += '\t'.repeat(ntabs);
    at = Math.floor(target / 8) * 8;
  }
  line.text += ' '.repeat(Math.max(0, target - at));
  line.col = target;
}

function put(line: { text: string; col: number }, s: string): void {
  line.text += s;
  line.col += s.length;
}

/** One record as dig prints it: `www.example.com.\t3600\tIN\tA\t10.0.0.5`. */
export function digRecordLine(r: DnsRecord): string {
  const l = { text: '', col: 0 };
  put(l, r.name);
  indent(l, 24);
  put(l, String(r.ttl));
  indent(l, 32);
  put(l, dnsClassName(r.class));
  indent(l, 40);
  put(l, dnsTypeName(r.type));
  indent(l, 48);
  put(l, formatRdata(r.data));
  return l.text;
}

/** The question line: `;www.example.com.\t\tIN\tA`. */
export function digQuestionLine(name: string, type: number, klass: number): string {
  // dns_message_sectiontotext writes the ';' before the column count starts.
  const l = { text: ';', col: 0 };
  put(l, name);
  indent(l, 32);
  put(l, dnsClassName(klass));
  indent(l, 40);
  put(l, dnsTypeName(type));
  return l.text;
}

function flagsText(m: DnsMessage): string {
  const f: string[] = [];
  if (m.qr) f.push('qr');
  if (m.aa) f.push('aa');
  if (m.tc) f.push('tc');
  if (m.rd) f.push('rd');
  if (m.ra) f.push('ra');
  if (m.ad) f.push('ad');
  if (m.cd) f.push('cd');
  return f.join(' ');
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** dig's `WHEN:` for a virtual time counted from the epoch (VirtNet has no wall clock). */
export function digWhen(nowNs: number): string {
  const d = new Date(Math.floor(nowNs / 1e6));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

export interface DigMeta {
  server: number;
  rttNs: number;
  bytes: number;
  nowNs: number;
}

/** The body dig prints after its banner for one answer (from `;; Got answer:`). */
export function digAnswerLines(m: DnsMessage, meta: DigMeta, queryRd: boolean): string[] {
  const out: string[] = [';; Got answer:'];
  out.push(`;; ->>HEADER<<- opcode: ${m.opcode === 0 ? 'QUERY' : m.opcode}, status: ${dnsRcodeName(m.rcode)}, id: ${m.id}`);
  out.push(`;; flags: ${flagsText(m)}; QUERY: ${m.questions.length}, ANSWER: ${m.answers.length}, AUTHORITY: ${m.authority.length}, ADDITIONAL: ${m.additional.length}`);
  if (queryRd && !m.ra) out.push(';; WARNING: recursion requested but not available');
  out.push('');
  const opt = m.additional.find((r) => r.type === DNS_TYPE.OPT);
  if (opt) {
    out.push(';; OPT PSEUDOSECTION:');
    out.push(`; EDNS: version: ${(opt.ttl >>> 16) & 0xff}, flags:${opt.ttl & 0x8000 ? ' do' : ''}; udp: ${opt.class}`);
  }
  out.push(';; QUESTION SECTION:');
  for (const q of m.questions) out.push(digQuestionLine(q.name, q.type, q.class));
  out.push('');
  const sections: [string, DnsRecord[]][] = [['ANSWER', m.answers], ['AUTHORITY', m.authority], ['ADDITIONAL', m.additional.filter((r) => r.type !== DNS_TYPE.OPT)]];
  for (const [title, list] of sections) {
    if (list.length === 0) continue;
    out.push(`;; ${title} SECTION:`, ...list.map(digRecordLine), '');
  }
  out.push(`;; Query time: ${Math.floor(meta.rttNs / 1e6)} msec`);
  out.push(`;; SERVER: ${formatIpv4(meta.server)}#53(${formatIpv4(meta.server)}) (UDP)`);
  out.push(`;; WHEN: ${digWhen(meta.nowNs)}`);
  out.push(`;; MSG SIZE  rcvd: ${meta.bytes}`);
  out.push('');
  return out;
}

/** What dig prints after a zone transfer's records. */
export function digXfrFooter(server: number, x: { records: unknown[]; messages: number; bytes: number; rttNs: number }, nowNs: number): string[] {
  return [
    `;; Query time: ${Math.floor(x.rttNs / 1e6)} msec`,
    `;; SERVER: ${formatIpv4(server)}#53(${formatIpv4(server)}) (TCP)`,
    `;; WHEN: ${digWhen(nowNs)}`,
    `;; XFR size: ${x.records.length} records (messages ${x.messages}, bytes ${x.bytes})`,
    '',
  ];
}

/** `+short`: the RDATA of each answer record. */
export function digShortLines(m: DnsMessage): string[] {
  return m.answers.map((r) => formatRdata(r.data));
}

const bare = (name: string): string => (name === '.' ? '.' : name.replace(/\.$/, ''));

/** host's sentences for one answer: `x has address …`, `… is an alias for …`, `… mail is handled by …`. */
export function hostAnswerLines(m: DnsMessage, showAliases: boolean): string[] {
  const out: string[] = [];
  for (const r of m.answers) {
    const d = r.data;
    const owner = bare(r.name);
    switch (r.type) {
      case DNS_TYPE.A:
        out.push(`${owner} has address ${formatRdata(d)}`);
        break;
      case DNS_TYPE.AAAA:
        out.push(`${owner} has IPv6 address ${formatRdata(d)}`);
        break;
      case DNS_TYPE.CNAME:
        if (showAliases) out.push(`${owner} is an alias for ${formatRdata(d)}`);
        break;
      case DNS_TYPE.MX:
        out.push(`${owner} mail is handled by ${formatRdata(d)}`);
        break;
      case DNS_TYPE.PTR:
        out.push(`${owner} domain name pointer ${formatRdata(d)}`);
        break;
      case DNS_TYPE.NS:
        out.push(`${owner} name server ${formatRdata(d)}`);
        break;
      case DNS_TYPE.TXT:
        out.push(`${owner} descriptive text ${formatRdata(d)}`);
        break;
      case DNS_TYPE.SOA:
        out.push(`${owner} has SOA record ${formatRdata(d)}`);
        break;
      default:
        out.push(`${owner} has ${dnsTypeName(r.type)} record ${formatRdata(d)}`);
    }
  }
  return out;
}

/** `Host foo not found: 3(NXDOMAIN)`, the name as host was given it (a reverse name keeps its dot). */
export function hostNotFound(name: string, rcode: number): string {
  return `Host ${name} not found: ${rcode}(${dnsRcodeName(rcode)})`;
}

/** The banner host and nslookup print when given a server. */
export function hostServerLines(server: number): string[] {
  const s = formatIpv4(server);
  return ['Using domain server:', `Name: ${s}`, `Address: ${s}#53`, 'Aliases: ', ''];
}

export function nslookupServerLines(server: number): string[] {
  const s = formatIpv4(server);
  return [`Server:\t\t${s}`, `Address:\t${s}#53`, ''];
}

/** nslookup's lines for the A or AAAA answer (canonical names once, from the first). */
export function nslookupAnswerLines(m: DnsMessage, showAliases: boolean): string[] {
  const out: string[] = [];
  for (const r of m.answers) {
    if (r.type === DNS_TYPE.CNAME && showAliases) out.push(`${bare(r.name)}\tcanonical name = ${formatRdata(r.data)}`);
    else if (r.type === DNS_TYPE.A || r.type === DNS_TYPE.AAAA) out.push(`Name:\t${bare(r.name)}`, `Address: ${formatRdata(r.data)}`);
    else if (r.type === DNS_TYPE.PTR) out.push(`${bare(r.name)}\tname = ${formatRdata(r.data)}`);
  }
  return out;
}

/** `** server can't find foo: NXDOMAIN`. */
export function nslookupNotFound(name: string, rcode: number): string {
  return `** server can't find ${bare(name)}: ${dnsRcodeName(rcode === DNS_RCODE.NOERROR ? 0 : rcode)}`;
}

/** `5.0.53.10.in-addr.arpa.` for 10.53.0.5 (RFC 1035 §3.5). */
export function reverseName(addr: number): string {
  return `${addr & 0xff}.${(addr >>> 8) & 0xff}.${(addr >>> 16) & 0xff}.${addr >>> 24}.in-addr.arpa.`;
}
