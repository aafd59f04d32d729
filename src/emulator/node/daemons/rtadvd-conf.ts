// /etc/rtadvd.conf as rtadvd(8) reads it (termcap format, rtadvd.conf(5)): one entry per
// interface, `name:cap:cap:…` with `\` continuing a line, `#` comments, `cap#N` numbers and
// `cap="…"` strings (quoted, so IPv6 addresses keep their colons). Only the capabilities the
// RA options need are read: mtu, rdnss, rdnssltime, dnssl, dnsslltime; the others keep their
// defaults. Errors are located (`/etc/rtadvd.conf:LINE: …`); nothing here sends packets.
// RFC 4861 §4.6.4 (MTU option), RFC 8106 §5.1-5.2 (RDNSS, DNSSL).

import { isValidDnsName } from '../../wire/dns';
import { parseIpv6, type Ipv6Addr } from '../../wire/ipv6-addr';

export const RTADVD_CONF = '/etc/rtadvd.conf';
/** rtadvd.conf(5): the MTU option is left out unless `mtu` is set; "auto" advertises the interface's. */
export type RtadvMtu = number | 'auto';

export interface RtadvIfConf {
  /** 0: no MTU option (the default). */
  mtu: RtadvMtu;
  rdnss: Ipv6Addr[];
  /** Lifetime of the RDNSS option; null: rtadvd's default (1.5 × maxinterval). */
  rdnssLifetimeS: number | null;
  dnssl: string[];
  dnsslLifetimeS: number | null;
}

export type RtadvConf = Map<string, RtadvIfConf>;

/** RFC 8106 §5.1: at most this many servers fit one option in practice (rtadvd's MAXRDNSS is larger; a lab needs few). */
const RDNSS_MAX = 8;
const DNSSL_MAX = 8;

export function emptyIfConf(): RtadvIfConf {
  return { mtu: 0, rdnss: [], rdnssLifetimeS: null, dnssl: [], dnsslLifetimeS: null };
}

/** Splits an entry at the colons that are outside double quotes. */
function fields(entry: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of entry) {
    if (ch === '"') quoted = !quoted;
    if (ch === ':' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out.filter((f) => f !== '');
}

/** The entries with the line each starts on (continuation lines joined, comments dropped). */
function entries(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let cur: { line: number; text: string } | null = null;
  text.split('\n').forEach((raw, k) => {
    const line = raw.replace(/\r$/, '');
    if (cur === null && (line.trim() === '' || line.trimStart().startsWith('#'))) return;
    const cont = line.endsWith('\\');
    const body = cont ? line.slice(0, -1) : line;
    if (cur === null) cur = { line: k + 1, text: body };
    else cur.text += body;
    if (!cont) {
      out.push(cur);
      cur = null;
    }
  });
  if (cur !== null) out.push(cur);
  return out;
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/** Parses the file; `file` names it in errors. Capabilities not listed above are accepted and ignored. */
export function parseRtadvdConf(text: string, file = RTADVD_CONF): { ok: true; conf: RtadvConf } | { ok: false; message: string } {
  const conf: RtadvConf = new Map();
  for (const e of entries(text)) {
    const [names, ...caps] = fields(e.text);
    const c = emptyIfConf();
    const err = (m: string) => ({ ok: false as const, message: `${file}:${e.line}: ${m}` });
    for (const cap of caps) {
      const num = /^([a-z0-9]+)#(.*)$/.exec(cap);
      const str = /^([a-z0-9]+)=(.*)$/.exec(cap);
      const name = num?.[1] ?? str?.[1] ?? cap;
      const value = num !== null ? num[2] : str !== null ? unquote(str[2]) : '';
      const n = Number(value);
      const isNum = value !== '' && Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff;
      switch (name) {
        case 'mtu':
          if (value === 'auto') c.mtu = 'auto';
          else if (isNum) c.mtu = n;
          else return err(`mtu: '${value}' is not a number or "auto"`);
          break;
        case 'rdnss':
          for (const a of value.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
            const addr = parseIpv6(a);
            if (addr === null) return err(`rdnss: inet_pton failed for ${a}`);
            if (c.rdnss.length >= RDNSS_MAX) return err(`rdnss: more than ${RDNSS_MAX} servers`);
            c.rdnss.push(addr);
          }
          break;
        case 'dnssl':
          for (const d of value.split(',').map((x) => x.trim().replace(/\.$/, '')).filter((x) => x !== '')) {
            if (!isValidDnsName(d)) return err(`dnssl: '${d}' is not a domain name`);
            if (c.dnssl.length >= DNSSL_MAX) return err(`dnssl: more than ${DNSSL_MAX} domains`);
            c.dnssl.push(d);
          }
          break;
        case 'rdnssltime':
        case 'dnsslltime':
          if (!isNum) return err(`${name}: '${value}' is not a number of seconds`);
          if (name === 'rdnssltime') c.rdnssLifetimeS = n;
          else c.dnsslLifetimeS = n;
          break;
        default:
          break; // maxinterval, raflags, prefix… : rtadvd's defaults stand
      }
    }
    for (const n of names.split('|')) conf.set(n.trim(), c);
  }
  return { ok: true, conf };
}
