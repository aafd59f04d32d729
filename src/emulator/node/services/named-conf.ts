// BIND's named.conf as IMUNES labs write it: `options { directory; recursion; forwarders;
// forward; allow-query; listen-on; }` and `zone "x" { type master|slave|hint|forward; file;
// forwarders; }`. Text only: each statement not understood becomes a located problem
// (line number) and the rest of the file still loads, as the issue asks of every config.
// Statements BIND accepts that change nothing here (dnssec-validation, notify, pid-file,
// allow-notify …) are accepted silently.

import { parseCidr, parseIpv4 } from '../../wire/addr';

export const NAMED_CONF_FILE = '/usr/local/etc/namedb/named.conf';
/** Statements read from one file (a bound: a runaway file stops being read). */
const STATEMENTS_MAX = 4096;

/** One element of a BIND address match list (`10.0.0.0/8`, `!1.2.3.4`, `any`, `localnets`). */
export type AddressMatch =
  | { kind: 'any' | 'none' | 'localhost' | 'localnets'; negated: boolean }
  | { kind: 'prefix'; addr: number; prefixLen: number; negated: boolean };

export type ZoneType = 'master' | 'slave' | 'hint' | 'forward';

export interface ZoneConf {
  /** Zone name as written, made absolute (`zpm.fer.hr.`, `.`). */
  name: string;
  type: ZoneType;
  file: string | null;
  forwarders: number[];
  forwardOnly: boolean;
  /** A secondary's primaries (`masters { … }`), asked for the zone by AXFR. */
  masters: number[];
  /** Who may transfer the zone (null: the options' list, else any). */
  allowTransfer: AddressMatch[] | null;
  line: number;
}

export interface NamedConfig {
  directory: string;
  recursion: boolean;
  forwarders: number[];
  forwardOnly: boolean;
  allowQuery: AddressMatch[] | null;
  allowRecursion: AddressMatch[] | null;
  /** `allow-transfer` in options: null is BIND 9.18's default, any. */
  allowTransfer: AddressMatch[] | null;
  /** null: every address (BIND's default `listen-on { any; }`). */
  listenOn: AddressMatch[] | null;
  zones: ZoneConf[];
  problems: { line: number; message: string }[];
}

interface Token {
  text: string;
  line: number;
  quoted: boolean;
}

/** Words, quoted strings, `{`, `}` and `;`, with `//`, `#` and C comments removed. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
    } else if (c === '{' || c === '}' || c === ';') {
      out.push({ text: c, line, quoted: false });
      i++;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      const stop = end < 0 ? text.length : end;
      out.push({ text: text.slice(i + 1, stop), line, quoted: true });
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s{};"]/.test(text[j]) && !(text[j] === '/' && (text[j + 1] === '/' || text[j + 1] === '*'))) j++;
      out.push({ text: text.slice(i, j), line, quoted: false });
      i = j;
    }
  }
  return out;
}

/** A statement: its words before any block, and the block's statements. */
interface Stmt {
  words: Token[];
  block: Stmt[] | null;
  line: number;
}

/** Groups tokens into statements; unbalanced braces are reported and closed at the end. */
function statements(tokens: Token[], problems: NamedConfig['problems']): Stmt[] {
  let pos = 0;
  let count = 0;
  const list = (depth: number): Stmt[] => {
    const out: Stmt[] = [];
    while (pos < tokens.length && count < STATEMENTS_MAX) {
      const t = tokens[pos];
      if (t.text === '}' && !t.quoted) {
        if (depth > 0) return out;
        problems.push({ line: t.line, message: "'}' without a matching '{'" });
        pos++;
        continue;
      }
      if (t.text === ';' && !t.quoted) {
        pos++;
        continue;
      }
      const s: Stmt = { words: [], block: null, line: t.line };
      while (pos < tokens.length) {
        const w = tokens[pos];
        if (!w.quoted && (w.text === ';' || w.text === '}')) break;
        if (!w.quoted && w.text === '{') {
          pos++;
          s.block = list(depth + 1);
          if (pos >= tokens.length) problems.push({ line: s.line, message: "missing '}' before end of file" });
          else pos++; // the '}'
          // A block ends its statement: what follows must be ';' (BIND: "missing ';' before …").
          break;
        }
        s.words.push(w);
        pos++;
      }
      if (pos < tokens.length && tokens[pos].text === ';' && !tokens[pos].quoted) pos++;
      else if (pos >= tokens.length || tokens[pos].text !== '}') problems.push({ line: s.line, message: "missing ';'" });
      count++;
      out.push(s);
    }
    return out;
  };
  return list(0);
}

function addressList(s: Stmt, problems: NamedConfig['problems']): AddressMatch[] {
  const out: AddressMatch[] = [];
  for (const e of s.block ?? []) {
    let w = e.words.map((x) => x.text).join(' ');
    const negated = w.startsWith('!');
    if (negated) w = w.slice(1).trim();
    if (w === 'any' || w === 'none' || w === 'localhost' || w === 'localnets') out.push({ kind: w, negated });
    else {
      const c = parseCidr(w) ?? (parseIpv4(w) !== null ? { addr: parseIpv4(w)!, prefixLen: 32 } : null);
      if (c) out.push({ kind: 'prefix', addr: c.addr, prefixLen: c.prefixLen, negated });
      else problems.push({ line: e.line, message: `'${w}' is not an address, prefix or any/none/localhost/localnets (IPv6 and ACL names are not supported)` });
    }
  }
  return out;
}

function addresses(s: Stmt, problems: NamedConfig['problems']): number[] {
  const out: number[] = [];
  for (const e of s.block ?? []) {
    const w = e.words[0]?.text ?? '';
    const a = parseIpv4(w);
    if (a !== null && e.words.length === 1) out.push(a);
    else problems.push({ line: e.line, message: `'${e.words.map((x) => x.text).join(' ')}' is not an IPv4 address (IPv6 forwarders and port numbers are not supported)` });
  }
  return out;
}

const yesNo = (t: string | undefined): boolean | null => (t === 'yes' || t === 'true' || t === '1' ? true : t === 'no' || t === 'false' || t === '0' ? false : null);

/** Options that change nothing in VirtNet (no DNSSEC, no transfers, no files written). */
const OPTIONS_IGNORED = new Set(['dnssec-validation', 'dnssec-enable', 'allow-notify', 'notify', 'pid-file', 'dump-file', 'statistics-file', 'version', 'auth-nxdomain', 'listen-on-v6', 'query-source', 'transfer-source', 'also-notify', 'max-cache-size', 'empty-zones-enable', 'minimal-responses', 'querylog', 'hostname', 'server-id']);
const ZONE_IGNORED = new Set(['allow-notify', 'allow-update', 'notify', 'also-notify', 'check-names', 'allow-query']);
const TOP_IGNORED = new Set(['logging', 'controls', 'key', 'server', 'statistics-channels', 'trusted-keys', 'managed-keys']);

function optionsBlock(cfg: NamedConfig, s: Stmt): void {
  for (const o of s.block ?? []) {
    const key = o.words[0]?.text ?? '';
    const arg = o.words[1]?.text;
    switch (key) {
      case 'directory':
        if (arg) cfg.directory = arg;
        break;
      case 'recursion': {
        const v = yesNo(arg);
        if (v === null) cfg.problems.push({ line: o.line, message: `recursion: expected yes or no, got '${arg ?? ''}'` });
        else cfg.recursion = v;
        break;
      }
      case 'forwarders':
        cfg.forwarders = addresses(o, cfg.problems);
        break;
      case 'forward':
        if (arg === 'only' || arg === 'first') cfg.forwardOnly = arg === 'only';
        else cfg.problems.push({ line: o.line, message: `forward: expected only or first, got '${arg ?? ''}'` });
        break;
      case 'allow-query':
        cfg.allowQuery = addressList(o, cfg.problems);
        break;
      case 'allow-recursion':
        cfg.allowRecursion = addressList(o, cfg.problems);
        break;
      case 'allow-transfer':
        cfg.allowTransfer = addressList(o, cfg.problems);
        break;
      case 'listen-on':
        if (arg === 'port' && o.words[2]?.text !== '53') cfg.problems.push({ line: o.line, message: `listen-on port ${o.words[2]?.text ?? ''}: only port 53 is supported` });
        cfg.listenOn = addressList(o, cfg.problems);
        break;
      default:
        if (!OPTIONS_IGNORED.has(key)) cfg.problems.push({ line: o.line, message: `unknown option '${key}'` });
    }
  }
}

function zoneBlock(cfg: NamedConfig, s: Stmt): void {
  const nameTok = s.words[1];
  if (!nameTok) {
    cfg.problems.push({ line: s.line, message: 'zone: missing zone name' });
    return;
  }
  const name = nameTok.text === '.' ? '.' : nameTok.text.replace(/\.$/, '') + '.';
  const z: ZoneConf = { name, type: 'master', file: null, forwarders: [], forwardOnly: false, masters: [], allowTransfer: null, line: s.line };
  let typed = false;
  for (const o of s.block ?? []) {
    const key = o.words[0]?.text ?? '';
    const arg = o.words[1]?.text;
    if (key === 'type') {
      const t = arg === 'primary' ? 'master' : arg === 'secondary' ? 'slave' : arg;
      if (t === 'master' || t === 'slave' || t === 'hint' || t === 'forward') {
        z.type = t;
        typed = true;
      } else {
        cfg.problems.push({ line: o.line, message: `zone '${name}': type '${arg ?? ''}' is not supported (master, slave, hint, forward)` });
        return;
      }
    } else if (key === 'file') z.file = arg ?? null;
    else if (key === 'forwarders') z.forwarders = addresses(o, cfg.problems);
    else if (key === 'forward') z.forwardOnly = arg === 'only';
    else if (key === 'masters' || key === 'primaries') z.masters = addresses(o, cfg.problems);
    else if (key === 'allow-transfer') z.allowTransfer = addressList(o, cfg.problems);
    else if (!ZONE_IGNORED.has(key)) cfg.problems.push({ line: o.line, message: `zone '${name}': unknown option '${key}'` });
  }
  if (!typed) cfg.problems.push({ line: s.line, message: `zone '${name}': missing 'type'` });
  else if (z.type === 'slave' && z.masters.length === 0) cfg.problems.push({ line: s.line, message: `zone '${name}': type slave requires 'masters'` });
  else if (z.type !== 'forward' && z.file === null) cfg.problems.push({ line: s.line, message: `zone '${name}': missing 'file'` });
  else cfg.zones.push(z);
}

export function parseNamedConf(text: string): NamedConfig {
  const cfg: NamedConfig = {
    directory: '/usr/local/etc/namedb', recursion: true, forwarders: [], forwardOnly: false,
    allowQuery: null, allowRecursion: null, allowTransfer: null, listenOn: null, zones: [], problems: [],
  };
  for (const s of statements(tokenize(text), cfg.problems)) {
    const key = s.words[0]?.text ?? '';
    if (key === 'options') optionsBlock(cfg, s);
    else if (key === 'zone') zoneBlock(cfg, s);
    else if (!TOP_IGNORED.has(key)) cfg.problems.push({ line: s.line, message: `unknown statement '${key}'` });
  }
  cfg.problems.sort((a, b) => a.line - b.line);
  return cfg;
}
