// The DNS tools of a node: `dig`, `host` and `nslookup` (BIND 9.18's argument rules and
// output, node/apps/dns-text.ts), `named` (starts the server, node/services/named.ts) and
// `rndc` (flush, reload, status, stop of the node's own named).
// Parsing and sequencing only: queries go through the node's socket API (dns-client.ts).

import type { ProcGate } from '../../node/proc-gate';
import { DIG_VERSION, digAnswerLines, digRecordLine, digXfrFooter, digShortLines, hostAnswerLines, hostNotFound, hostServerLines, nslookupAnswerLines, nslookupNotFound, nslookupServerLines, reverseName } from '../../node/apps/dns-text';
import { nodeFiles } from '../../node/files';
import { axfrFetch } from '../../node/services/dns-axfr';
import { dnsQueryId, exchangeInTurn, type Exchange } from '../../node/services/dns-client';
import { DNS_TYPE_AXFR, TCP_CLIENTS_MAX } from '../../node/services/named-tcp';
import { NAMED_CONF_FILE, reloadNamed, startNamed, stopNamed } from '../../node/services/named';
import { RECURSIVE_CLIENTS_MAX } from '../../node/services/named-types';
import { readResolvConf, searchCandidates } from '../../node/services/resolver';
import type { NetStack } from '../../stack/types';
import { formatIpv4, parseIpv4 } from '../../wire/addr';
import { DNS_RCODE, DNS_TYPE, dnsQuery, dnsTypeByName, isValidDnsName, type DnsMessage } from '../../wire/dns';
import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';
import { parseUint, resolveHostLocal } from './resolve';

const S = 1_000_000_000;

type Answer = { msg: DnsMessage; server: number; bytes: number; rttNs: number };

/** Tries each server `tries` times, `timeoutNs` each; reports each failure line as dig does. */
function ask(stack: NetStack, servers: number[], build: (id: number) => DnsMessage, tries: number, timeoutNs: number, onError: (line: string) => void, done: (a: Answer | null) => void, gate: ProcGate): Exchange {
  const id = dnsQueryId(stack);
  const plan = (k: number) => (k >= tries * servers.length ? null : { server: servers[Math.floor(k / tries) % servers.length], timeoutNs });
  return exchangeInTurn(stack, plan, () => build(id), (server, r) => {
    if (r.ok) {
      done({ msg: r.msg, server, bytes: r.bytes, rttNs: r.rttNs });
      return true;
    }
    onError(`;; communications error to ${formatIpv4(server)}#53: ${r.error === 'timeout' ? 'timed out' : r.error === 'refused' ? 'connection refused' : `failed (${r.message ?? r.error})`}`);
    return false;
  }, () => done(null), gate);
}

/** A job for a tool that runs a chain of queries; `step` returns the next exchange or finishes. */
function queryJob(ctx: CommandContext, start: (finish: (code: number) => void) => void, current: () => Exchange | null): Job {
  let over = false;
  start((code) => {
    if (over) return;
    over = true;
    ctx.finish(code);
  });
  return {
    interrupt: () => {
      if (over) return;
      over = true;
      current()?.cancel();
      ctx.finish(EXIT.INTERRUPTED);
    },
  };
}

/** `@server`, or the name servers of /etc/resolv.conf. */
function serversFor(ctx: CommandContext, explicit: string | undefined): number[] | string {
  if (explicit === undefined) return readResolvConf(ctx.node.files).nameservers;
  const a = resolveHostLocal(ctx.world, ctx.node, explicit);
  return a === null ? `couldn't get address for '${explicit}': not found` : [a];
}

// ---- dig ----------------------------------------------------------------------------

const DIG_USAGE = [
  'Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}',
  '            {global-d-opt} host [@local-server] {local-d-opt}',
  '            [ host [@local-server] {local-d-opt} [...]]',
  '',
  'Use "dig -h" (or "dig -h | more") for complete list of options',
];

interface DigArgs {
  server: string | undefined;
  name: string | undefined;
  type: number | null;
  short: boolean;
  rd: boolean;
  edns: boolean;
  tries: number;
  timeS: number;
}

/** dig's command line: `@server`, `+options`, `-t/-x`, name, type and class in any order; error lines when bad. */
function digArgs(args: string[]): DigArgs | string[] {
  const o: DigArgs = { server: undefined, name: undefined, type: null, short: false, rd: true, edns: true, tries: 3, timeS: 5 };
  const invalid = (a: string): string[] => [`Invalid option: ${a}`, ...DIG_USAGE];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('@')) o.server = a.slice(1);
    else if (a.startsWith('+')) {
      const [opt, val] = a.slice(1).split('=');
      const n = val === undefined ? null : parseUint(val);
      if (opt === 'short' || opt === 'noshort') o.short = opt === 'short';
      else if (/^(no)?rec(urse)?$/.test(opt)) o.rd = !opt.startsWith('no');
      else if (opt === 'edns' || opt === 'noedns') o.edns = opt === 'edns';
      else if (opt === 'nocookie' || opt === 'cookie' || opt === 'cmd' || opt === 'nocmd') continue;
      else if ((opt === 'tries' || opt === 'retry') && n !== null) o.tries = Math.max(1, Math.min(n + (opt === 'retry' ? 1 : 0), 10));
      else if (opt === 'time' && n !== null) o.timeS = Math.max(1, Math.min(n, 60));
      else return invalid(a);
    } else if (a === '-t' || a === '-x' || a === '-c' || a === '-p') {
      const v = args[++i];
      if (v === undefined) return DIG_USAGE;
      if (a === '-t') o.type = dnsTypeByName(v);
      if (a === '-x') {
        const ip = parseIpv4(v);
        if (ip === null) return [`dig: '${v}' is not a valid IPv4 address`];
        o.name = reverseName(ip);
        o.type ??= DNS_TYPE.PTR;
      }
    } else if (a.toUpperCase() === 'IN') continue;
    else if (o.name === undefined) o.name = a; // the first word is the name, even one that spells a type
    else if (dnsTypeByName(a) !== null) o.type = dnsTypeByName(a);
    else return invalid(a);
  }
  return o;
}

function digRun(ctx: CommandContext, args: string[]): number | Job {
  const parsed = digArgs(args);
  if (Array.isArray(parsed)) {
    ctx.lines(parsed);
    return EXIT.FAILURE;
  }
  const { server, name, type, short, rd, edns, tries, timeS } = parsed;
  const qname = name === undefined ? '.' : name.endsWith('.') ? name : `${name}.`;
  if (!isValidDnsName(qname)) {
    ctx.out(`dig: '${name}' is not a legal name (label too long)\n`);
    return 10;
  }
  const qtype = type ?? (name === undefined ? DNS_TYPE.NS : DNS_TYPE.A);
  const servers = serversFor(ctx, server);
  if (typeof servers === 'string') {
    ctx.out(`dig: ${servers}\n`);
    return 10;
  }
  const banner = ['', `; <<>> DiG ${DIG_VERSION} <<>> ${args.join(' ')}`, ...(server !== undefined ? ['; (1 server found)'] : []), ';; global options: +cmd'];
  const build = (id: number): DnsMessage => {
    const m = dnsQuery(id, qname, qtype, rd);
    if (edns) m.additional.push({ name: '.', type: DNS_TYPE.OPT, class: 1232, ttl: 0, data: { type: DNS_TYPE.OPT, raw: new Uint8Array(0) } });
    return m;
  };
  let ex: Exchange | null = null;
  if (qtype === DNS_TYPE_AXFR) return digAxfr(ctx, servers[0], qname, timeS * S, banner, edns);
  return queryJob(ctx, (finish) => {
    ex = ask(ctx.stack, servers, build, tries, timeS * S, (l) => ctx.lines([l]), (a) => {
      if (a === null) {
        if (!short) ctx.lines(banner);
        ctx.lines([';; no servers could be reached']);
        return finish(9);
      }
      if (short) ctx.lines(digShortLines(a.msg));
      else ctx.lines([...banner, ...digAnswerLines(a.msg, { server: a.server, rttNs: a.rttNs, bytes: a.bytes, nowNs: ctx.stack.env.sim.now() }, rd)]);
      finish(EXIT.OK);
    }, ctx.gate());
  }, () => ex);
}

/** `dig ZONE AXFR`: the zone's records over TCP, then the transfer's size (BIND 9.18's layout). */
function digAxfr(ctx: CommandContext, server: number, zone: string, timeoutNs: number, banner: string[], edns: boolean): Job {
  let ex: Exchange | null = null;
  return queryJob(ctx, (finish) => {
    ctx.lines(banner);
    ex = axfrFetch(ctx.stack, server, zone, timeoutNs, (r) => {
      if (!r.ok) {
        ctx.lines(r.error === 'refused' ? ['; Transfer failed.'] : [`;; communications error to ${formatIpv4(server)}#53: ${r.error === 'ECONNREFUSED' ? 'connection refused' : r.error}`, '; Transfer failed.']);
        return finish(r.error === 'refused' ? EXIT.OK : 9);
      }
      ctx.lines([...r.records.map(digRecordLine), ...digXfrFooter(server, r, ctx.stack.env.sim.now())]);
      finish(EXIT.OK);
    }, edns);
  }, () => ex);
}

// ---- host ---------------------------------------------------------------------------

const HOST_USAGE = [
  'Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]',
  '            [-R number] [-m flag] [-p port] hostname [server]',
  '       -a is equivalent to -v -t ANY',
  '       -A is like -a but omits RRSIG, NSEC, NSEC3',
  '       -c specifies query class for non-IN data',
  '       -C compares SOA records on authoritative nameservers',
  '       -d is equivalent to -v',
  '       -l lists all hosts in a domain, using AXFR',
  '       -m set memory debugging flag (trace|record|usage)',
  '       -N changes the number of dots allowed before root lookup is done',
  '       -p specifies the port on the server to query',
  '       -r disables recursive processing',
  '       -R specifies number of retries for UDP packets',
  '       -s a SERVFAIL response should stop query',
  '       -t specifies the query type',
  '       -T enables TCP/IP mode',
  '       -U enables UDP mode',
  '       -v enables verbose output',
  '       -V print version number and exit',
  '       -w specifies to wait forever for a reply',
  '       -W specifies how long to wait for a reply',
  '       -4 use IPv4 query transport only',
  '       -6 use IPv6 query transport only',
];

function hostRun(ctx: CommandContext, args: string[]): number | Job {
  let type: number | null = null;
  let waitS = 5;
  let retries = 1;
  const ops: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-t' || a === '-W' || a === '-R') {
      const v = args[++i];
      const n = parseUint(v);
      if (v === undefined || (a === '-t' ? dnsTypeByName(v) === null : n === null)) {
        ctx.out(a === '-t' ? `host: invalid type: ${v ?? ''}\n` : `host: invalid argument: ${v ?? ''}\n`);
        return EXIT.FAILURE;
      }
      if (a === '-t') type = dnsTypeByName(v);
      else if (a === '-W') waitS = Math.max(1, n!);
      else retries = n!;
    } else if (a.startsWith('-')) {
      ctx.lines([`host: illegal option -- ${a.slice(1, 2)}`, ...HOST_USAGE]);
      return EXIT.FAILURE;
    } else ops.push(a);
  }
  if (ops.length < 1 || ops.length > 2) {
    ctx.lines(HOST_USAGE);
    return EXIT.FAILURE;
  }
  const servers = serversFor(ctx, ops[1]);
  if (typeof servers === 'string') {
    ctx.out(`host: ${servers}\n`);
    return EXIT.FAILURE;
  }
  const ip = parseIpv4(ops[0]);
  if (ip === null && !isValidDnsName(ops[0])) {
    ctx.out(`host: '${ops[0]}' is not a legal name (label too long)\n`);
    return EXIT.FAILURE;
  }
  const conf = readResolvConf(ctx.node.files);
  const names = ip !== null ? [reverseName(ip)] : searchCandidates(conf, ops[0]);
  const types = type !== null ? [type] : ip !== null ? [DNS_TYPE.PTR] : [DNS_TYPE.A, DNS_TYPE.AAAA, DNS_TYPE.MX];
  const shown = ip !== null ? names[0] : ops[0];
  let ex: Exchange | null = null;
  let banner = false;
  return queryJob(ctx, (finish) => {
    // The first type picks the name from the search list; the others follow on that name.
    const run = (ni: number, ti: number, lastRcode: number): void => {
      if (ti === 0 && ni >= names.length) {
        ctx.lines([hostNotFound(shown, lastRcode)]);
        return finish(EXIT.FAILURE);
      }
      if (ti >= types.length) return finish(EXIT.OK);
      ex = ask(ctx.stack, servers, (id) => dnsQuery(id, names[ni], types[ti]), retries + 1, waitS * S, (l) => ctx.lines([l]), (a) => {
        if (a === null) {
          ctx.lines([';; no servers could be reached']);
          return finish(EXIT.FAILURE);
        }
        // host names the server it was given once the first answer arrives (BIND 9.18).
        if (ops[1] !== undefined && !banner) ctx.lines(hostServerLines(a.server));
        banner = true;
        const rc = a.msg.rcode;
        if (ti === 0 && rc !== DNS_RCODE.NOERROR) {
          if (rc === DNS_RCODE.NXDOMAIN && ni + 1 < names.length) return run(ni + 1, 0, rc);
          ctx.lines([hostNotFound(shown, rc)]);
          return finish(EXIT.FAILURE);
        }
        ctx.lines(hostAnswerLines(a.msg, ti === 0));
        run(ni, ti + 1, rc);
      }, ctx.gate());
    };
    run(0, 0, DNS_RCODE.NXDOMAIN);
  }, () => ex);
}

// ---- nslookup -----------------------------------------------------------------------

function nslookupRun(ctx: CommandContext, args: string[]): number | Job {
  let type: number | null = null;
  let timeoutS = 5;
  let retry = 1;
  const ops: string[] = [];
  for (const a of args) {
    const m = /^-(type|query|q|timeout|retry)=(.+)$/.exec(a);
    if (m) {
      if (m[1] === 'timeout' || m[1] === 'retry') {
        const n = parseUint(m[2]);
        if (n === null) return nslookupBad(ctx, a);
        if (m[1] === 'timeout') timeoutS = Math.max(1, n);
        else retry = n;
      } else {
        type = dnsTypeByName(m[2]);
        if (type === null) return nslookupBad(ctx, a);
      }
    } else if (a.startsWith('-')) return nslookupBad(ctx, a);
    else ops.push(a);
  }
  if (ops.length < 1 || ops.length > 2) {
    ctx.out('nslookup: interactive mode is not supported here; give a name: nslookup NAME [SERVER]\n');
    return EXIT.FAILURE;
  }
  const servers = serversFor(ctx, ops[1]);
  if (typeof servers === 'string') {
    ctx.out(`nslookup: ${servers}\n`);
    return EXIT.FAILURE;
  }
  const ip = parseIpv4(ops[0]);
  if (ip === null && !isValidDnsName(ops[0])) {
    ctx.out(`nslookup: '${ops[0]}' is not a legal name (label too long)\n`);
    return EXIT.FAILURE;
  }
  const names = ip !== null ? [reverseName(ip)] : searchCandidates(readResolvConf(ctx.node.files), ops[0]);
  const types = type !== null ? [type] : ip !== null ? [DNS_TYPE.PTR] : [DNS_TYPE.A, DNS_TYPE.AAAA];
  let ex: Exchange | null = null;
  const out: string[] = [];
  return queryJob(ctx, (finish) => {
    let header = false;
    let any = false;
    const run = (ni: number, ti: number): void => {
      if (ti >= types.length) {
        if (!any) out.push(`*** Can't find ${ops[0]}: No answer`);
        ctx.lines([...out, '']);
        return finish(EXIT.OK);
      }
      ex = ask(ctx.stack, servers, (id) => dnsQuery(id, names[ni], types[ti]), retry + 1, timeoutS * S, (l) => ctx.lines([l]), (a) => {
        if (a === null) {
          ctx.lines([';; no servers could be reached', '']);
          return finish(EXIT.FAILURE);
        }
        // nslookup prints no server banner for a reverse lookup (BIND 9.18 does the same).
        const rc = a.msg.rcode;
        if (rc === DNS_RCODE.SERVFAIL) ctx.lines([`;; Got SERVFAIL reply from ${formatIpv4(a.server)}`]);
        if (!header && ip === null) out.push(...nslookupServerLines(a.server));
        header = true;
        if (ti === 0 && rc !== DNS_RCODE.NOERROR) {
          if (rc === DNS_RCODE.NXDOMAIN && ni + 1 < names.length) return run(ni + 1, 0);
          ctx.lines([...out, nslookupNotFound(names[ni], rc), '']);
          return finish(EXIT.FAILURE);
        }
        const lines = nslookupAnswerLines(a.msg, ti === 0);
        if (lines.length > 0 && !any && !a.msg.aa) out.push('Non-authoritative answer:');
        if (lines.length > 0) any = true;
        out.push(...lines);
        run(ni, ti + 1);
      }, ctx.gate());
    };
    run(0, 0);
  }, () => ex);
}

function nslookupBad(ctx: CommandContext, a: string): number {
  ctx.out(`nslookup: invalid option: ${a}\n`);
  return EXIT.FAILURE;
}

// ---- named --------------------------------------------------------------------------

function namedRun(ctx: CommandContext, args: string[]): number {
  let conf = NAMED_CONF_FILE;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-c' && args[i + 1] !== undefined) conf = args[++i];
    else if (a === '-g' || a === '-f' || a === '-4') continue;
    else if (a === '-u' || a === '-t' || a === '-n') i++;
    else {
      ctx.lines([`named: unknown option '${a}'`, 'usage: named [-4|-6] [-c conffile] [-d debuglevel] [-f|-g] [-n number_of_cpus]']);
      return EXIT.FAILURE;
    }
  }
  if (ctx.node.named?.running) {
    ctx.out('named: another named is already running on this node (port 53 in use)\n');
    return EXIT.FAILURE;
  }
  nodeFiles(ctx.node);
  const problems = startNamed(ctx.node, conf);
  ctx.lines(problems);
  return ctx.node.named?.running ? EXIT.OK : EXIT.FAILURE;
}

// ---- rndc --------------------------------------------------------------------------

const RNDC_USAGE = ['Usage: rndc [-s server] command', '', 'command is one of the following:', '', '  flush         Flushes all of the server\'s caches.', '  reload        Reload configuration file and zones.', '  status        Display status of the server.', '  stop          Save pending updates to master files and stop the server.'];

/** `rndc flush|reload|status|stop` for the node's own named (the control channel is local). */
function rndcRun(ctx: CommandContext, args: string[]): number {
  const d = ctx.node.named;
  if (args.length !== 1 || !['flush', 'reload', 'status', 'stop'].includes(args[0])) {
    ctx.lines(RNDC_USAGE);
    return EXIT.FAILURE;
  }
  if (!d?.running) {
    ctx.out('rndc: connect failed: 127.0.0.1#953: connection refused\n');
    return EXIT.FAILURE;
  }
  switch (args[0]) {
    case 'flush':
      d.cache.clear();
      return EXIT.OK;
    case 'stop':
      stopNamed(ctx.node);
      return EXIT.OK;
    case 'reload': {
      const r = reloadNamed(ctx.node);
      ctx.lines([...r.problems, r.ok ? 'server reload successful' : "rndc: 'reload' failed: file not found"]);
      return r.ok ? EXIT.OK : EXIT.FAILURE;
    }
    default:
      ctx.lines([
        `version: BIND ${DIG_VERSION} (VirtNet)`,
        `number of zones: ${d.zones.length} (0 automatic)`,
        'debug level: 0',
        `xfers running: ${d.transfers.filter((t) => t.fetch !== null).length}`,
        `xfers deferred: 0`,
        `recursive clients: ${d.recursions}/${RECURSIVE_CLIENTS_MAX}`,
        `tcp clients: ${d.tcp?.conns.size ?? 0}/${TCP_CLIENTS_MAX}`,
        `cache entries: ${d.cache.size}`,
        'server is up and running',
      ]);
      return EXIT.OK;
  }
}

export const digCommand: CommandSpec = { name: 'dig', summary: 'DNS lookup utility (BIND dig)', needsStack: true, run: digRun };
export const hostCommand: CommandSpec = { name: 'host', summary: 'DNS lookup utility (BIND host)', needsStack: true, run: hostRun };
export const nslookupCommand: CommandSpec = { name: 'nslookup', summary: 'query Internet name servers', needsStack: true, run: nslookupRun };
export const rndcCommand: CommandSpec = { name: 'rndc', summary: 'name server control utility (flush, reload, status, stop)', needsStack: true, run: rndcRun };
export const namedCommand: CommandSpec = { name: 'named', summary: 'Internet domain name server (BIND): starts it from named.conf', needsStack: true, run: namedRun };
