// Service commands: service(8) (start | stop | status | restart, reading /etc/rc.conf as
// FreeBSD's rc scripts do), and the DHCP programs themselves: dhcpd [IFACE…],
// dhclient [-r] IFACE and dhcrelay [-i IFACE]… SERVER…. The programs live in
// node/services; this file only parses arguments and prints what the tools print.

import { nodeFiles } from '../../node/files';
import { startDhclient, type Dhclient } from '../../node/services/dhclient';
import { startDhcpd } from '../../node/services/dhcpd';
import { startDhcpd6 } from '../../node/services/dhcpd6';
import { startDhclient6, type Dhclient6 } from '../../node/services/dhclient6';
import { startDhcrelay } from '../../node/services/dhcrelay';
import { nodeServices, rcConfVars, registerService, servicePid, stopService, type Service, type ServiceHost } from '../../node/services';
import { startNodeHttpd, stopNodeHttpd } from '../../node/services/httpd-node';
import { procList, signalProc } from '../../node/procs';
import { parseSignal, SIG, signalListLines } from '../../node/signals';
import { startNamed, stopNamed } from '../../node/services/named';
import { parseIpv4 } from '../../wire/addr';
import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';

export const RC_CONF_FILE = '/etc/rc.conf';

function host(ctx: CommandContext): ServiceHost {
  return { node: ctx.node.name, stack: ctx.stack, files: nodeFiles(ctx.node) };
}

function rcVar(ctx: CommandContext, name: string): string[] {
  const t = nodeFiles(ctx.node).read(RC_CONF_FILE);
  const v = typeof t === 'string' ? rcConfVars(t).get(name) : undefined;
  return v === undefined ? [] : v.split(/\s+/).filter(Boolean);
}

function register(ctx: CommandContext, s: Service): boolean {
  if (registerService(ctx.node, s, ctx.world.sim.now())) return true;
  s.stop();
  ctx.err(`${s.key}: too many services running on ${ctx.node.name}\n`);
  return false;
}

/** dhcpd [-4|-6] [-q] [IFACE…]: errors as located lines; on success the listening line, then it runs in the background. */
function runDhcpd(ctx: CommandContext, args: string[]): number {
  const quiet = args.includes('-q');
  const v6 = args.includes('-6');
  const bad = args.find((a) => a.startsWith('-') && a !== '-q' && a !== '-6' && a !== '-4');
  if (bad !== undefined) {
    ctx.err(`dhcpd: Unknown command line option ${bad}\nUsage: dhcpd [-4|-6] [-q] [if0 [...ifN]]\n`);
    return EXIT.USAGE;
  }
  const ifaces = args.filter((a) => !a.startsWith('-'));
  const key = v6 ? 'dhcpd6' : 'dhcpd';
  stopService(ctx.node, key);
  const d = v6 ? startDhcpd6(host(ctx), ifaces) : startDhcpd(host(ctx), ifaces);
  if ('errors' in d) {
    ctx.err(d.errors.map((e) => e + '\n').join(''));
    return EXIT.FAILURE;
  }
  if (!register(ctx, d)) return EXIT.FAILURE;
  if (!quiet) ctx.lines(['Internet Systems Consortium DHCP Server 4.4.3 (VirtNet)', ...d.log]);
  return EXIT.OK;
}

function runDhcrelay(ctx: CommandContext, args: string[]): number {
  const ifaces: string[] = [];
  const servers: number[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '-i') {
      const v = args[++k];
      if (v === undefined) {
        ctx.err('dhcrelay: -i requires an interface name\n');
        return EXIT.USAGE;
      }
      ifaces.push(v);
    } else if (a === '-q' || a === '-d') continue;
    else {
      const ip = parseIpv4(a);
      if (ip === null) {
        ctx.err(`dhcrelay: ${a}: host unknown (give the server's IPv4 address)\n`);
        return EXIT.USAGE;
      }
      servers.push(ip);
    }
  }
  stopService(ctx.node, 'dhcrelay');
  const r = startDhcrelay(host(ctx), ifaces, servers);
  if ('error' in r) {
    ctx.err(r.error + '\n');
    return EXIT.FAILURE;
  }
  if (!register(ctx, r)) return EXIT.FAILURE;
  ctx.lines(['Internet Systems Consortium DHCP Relay Agent 4.4.3 (VirtNet)', ...r.log]);
  return EXIT.OK;
}

/** dhclient -6 [-v] [-r] [-cf FILE] IFACE: ISC's DHCPv6 client; with -v its trace until bound, then the lease is kept in the background. */
function runDhclient6(ctx: CommandContext, args: string[]): number | Job {
  let verbose = false;
  let release = false;
  const ops: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '-6' || a === '-d' || a === '-q' || a === '-N') continue;
    if (a === '-v') verbose = true;
    else if (a === '-r') release = true;
    else if (a === '-cf' || a === '-lf' || a === '-pf') {
      // The config file is read for nothing here (ISC's defaults apply, as with -cf /dev/null); a missing one is an error.
      const f = args[++k];
      if (f === undefined) {
        ctx.err(`${a} requires an argument\n`);
        return EXIT.USAGE;
      }
      if (a === '-cf' && f !== '/dev/null' && typeof nodeFiles(ctx.node).read(f) !== 'string') {
        ctx.err(`can't open ${f}: No such file or directory\n`);
        return EXIT.FAILURE;
      }
    } else if (a.startsWith('-')) {
      ctx.err(`Unknown command: ${a}\nUsage: dhclient -6 [-dvrq] [-cf config-file] [-lf lease-file] [-pf pid-file] interface\n`);
      return EXIT.USAGE;
    } else ops.push(a);
  }
  if (ops.length !== 1) {
    ctx.err('Usage: dhclient -6 [-dvrq] [-cf config-file] [-lf lease-file] [-pf pid-file] interface\n');
    return EXIT.USAGE;
  }
  const key = `dhclient6.${ops[0]}`;
  const ns = nodeServices(ctx.node);
  const old = ns.running.get(key) as Dhclient6 | undefined;
  if (release) {
    if (old !== undefined) old.release();
    stopService(ctx.node, key);
    return EXIT.OK;
  }
  if (old !== undefined && old.state() !== 'STOPPED') {
    ctx.err(`dhclient(${servicePid(ctx.node, key)}) is already running - exiting.\n`);
    return EXIT.FAILURE;
  }
  return foregroundClient(ctx, key, (settled) => startDhclient6(host(ctx), ns, ops[0], verbose, (line) => ctx.out(line + '\n'), settled));
}

/** A DHCP client in the foreground until it settles (bound or given up), then in the background; Ctrl-C stops it. */
function foregroundClient(ctx: CommandContext, key: string, start: (settled: () => void) => Service | { error: string }): number | Job {
  let finished = false;
  const c = start(() => {
    finished = true;
    ctx.finish(EXIT.OK);
  });
  if ('error' in c) {
    ctx.err(c.error + '\n');
    return EXIT.FAILURE;
  }
  if (!register(ctx, c)) return EXIT.FAILURE;
  if (finished) return EXIT.OK;
  return {
    interrupt: () => {
      ctx.finish(EXIT.INTERRUPTED); // before the client's own "settled" report
      stopService(ctx.node, key);
    },
  };
}

/** dhclient [-r] IFACE: prints the exchange; returns once bound (or given up), then keeps the lease in the background. */
function runDhclient(ctx: CommandContext, args: string[]): number | Job {
  if (args.includes('-6')) return runDhclient6(ctx, args);
  const release = args[0] === '-r';
  const ops = args.filter((a) => a !== '-r');
  if (ops.length !== 1 || ops[0].startsWith('-')) {
    ctx.err('usage: dhclient [-r] interface\n');
    return EXIT.USAGE;
  }
  const key = `dhclient.${ops[0]}`;
  const ns = nodeServices(ctx.node);
  const old = ns.running.get(key) as Dhclient | undefined;
  if (release) {
    if (old === undefined) {
      ctx.err(`dhclient: no lease on ${ops[0]} to release\n`);
      return EXIT.FAILURE;
    }
    old.release();
    ctx.lines(old.log.slice(-1));
    stopService(ctx.node, key);
    return EXIT.OK;
  }
  if (old !== undefined && old.state() !== 'STOPPED') {
    ctx.err(`dhclient already running, pid: ${servicePid(ctx.node, key)}.\nexiting.\n`);
    return EXIT.FAILURE;
  }
  return foregroundClient(ctx, key, (settled) => startDhclient(host(ctx), ns, ops[0], (line) => ctx.out(line + '\n'), settled));
}

const SERVICES: Record<string, string> = { dhcpd: 'dhcpd', 'isc-dhcpd': 'dhcpd', 'isc-dhcpd6': 'dhcpd6', dhcpd6: 'dhcpd6', dhcrelay: 'dhcrelay', 'isc-dhcrelay': 'dhcrelay', dhclient: 'dhclient', named: 'named', httpd: 'httpd' };

/**
 * named and httpd keep their own records on the node (node.named, node.httpd) rather than
 * in the services table: service(8) starts, stops and queries them through those.
 */
function ownRecordService(ctx: CommandContext, prog: 'named' | 'httpd', verb: string, verb0: string): number {
  const running = prog === 'named' ? ctx.node.named?.running === true : ctx.node.httpd !== undefined;
  const start = (): number => {
    ctx.out(`Starting ${prog}.\n`);
    if (prog === 'named') {
      const problems = startNamed(ctx.node);
      if (problems.length > 0) ctx.err(problems.map((l) => l + '\n').join(''));
      return ctx.node.named?.running ? EXIT.OK : EXIT.FAILURE;
    }
    const h = startNodeHttpd(ctx.node, ctx.stack, ctx.world.sim);
    if ('errno' in h) {
      ctx.err(h.errno === 'EAGAIN' ? 'httpd: fork: Resource temporarily unavailable\n' : `httpd: could not bind to port 80: ${h.errno === 'EADDRINUSE' ? 'Address already in use' : 'Invalid argument'}\n`);
      return EXIT.FAILURE;
    }
    return EXIT.OK;
  };
  const stop = (): void => {
    ctx.out(`Stopping ${prog}.\n`);
    if (prog === 'named') stopNamed(ctx.node);
    else stopNodeHttpd(ctx.node);
  };
  switch (verb) {
    case 'status':
      ctx.out(running ? `${prog} is running.\n` : `${prog} is not running.\n`);
      return running ? EXIT.OK : EXIT.FAILURE;
    case 'stop':
      if (!running) {
        ctx.err(`${prog} not running? (check /var/run/${prog}.pid).\n`);
        return EXIT.FAILURE;
      }
      stop();
      return EXIT.OK;
    case 'start':
      if (running) {
        ctx.err(`${prog} already running?\n`);
        return EXIT.FAILURE;
      }
      return start();
    case 'restart':
      if (running) stop();
      return start();
    default:
      ctx.err(`/usr/local/etc/rc.d/${prog}: unknown directive '${verb0}'.\nUsage: /usr/local/etc/rc.d/${prog} [fast|force|one|quiet](start|stop|restart|status)\n`);
      return EXIT.USAGE;
  }
}

export const serviceCommand: CommandSpec = {
  name: 'service',
  summary: 'service NAME start|stop|status|restart: run dhcpd, dhclient IFACE, dhcrelay, named, httpd',
  needsStack: true,
  run(ctx, args) {
    const [name, verb0, ...rest] = args;
    if (name === '-l') {
      ctx.lines(Object.keys(SERVICES).sort());
      return EXIT.OK;
    }
    const prog = name === undefined ? undefined : SERVICES[name];
    if (prog === undefined || verb0 === undefined) {
      if (name !== undefined && prog === undefined) ctx.err(`${name} does not exist in /etc/rc.d or the local startup directories (/usr/local/etc/rc.d), or is not executable\n`);
      else ctx.err('usage: service [-l] NAME start|stop|status|restart\n');
      return name === undefined || verb0 === undefined ? EXIT.USAGE : EXIT.FAILURE;
    }
    const verb = verb0.replace(/^(one|force|quiet)/, '');
    if (prog === 'named' || prog === 'httpd') return ownRecordService(ctx, prog, verb, verb0);
    const key = prog === 'dhclient' ? `dhclient.${rest[0] ?? ''}` : prog;
    if (prog === 'dhclient' && rest.length !== 1) {
      ctx.err('usage: service dhclient start|stop|status|restart IFACE\n');
      return EXIT.USAGE;
    }
    const ns = ctx.node.services;
    const running = ns?.running.get(key);
    const pid = servicePid(ctx.node, key);
    const start = (): number | Job => {
      ctx.out(`Starting ${prog}.\n`);
      if (prog === 'dhcpd') return runDhcpd(ctx, ['-q', ...rcVar(ctx, 'dhcpd_ifaces')]);
      if (prog === 'dhcpd6') return runDhcpd(ctx, ['-6', '-q', ...rcVar(ctx, 'dhcpd6_ifaces')]);
      if (prog === 'dhcrelay') return runDhcrelay(ctx, [...rcVar(ctx, 'dhcrelay_ifaces').flatMap((i) => ['-i', i]), ...rcVar(ctx, 'dhcrelay_servers')]);
      return runDhclient(ctx, rest);
    };
    switch (verb) {
      case 'status':
        if (running === undefined) {
          ctx.out(`${prog} is not running.\n`);
          return EXIT.FAILURE;
        }
        ctx.lines([`${prog} is running as pid ${pid}.`, ...running.status()]);
        return EXIT.OK;
      case 'stop':
        if (running === undefined) {
          ctx.err(`${prog} not running? (check /var/run/${prog}.pid).\n`);
          return EXIT.FAILURE;
        }
        ctx.out(`Stopping ${prog}.\nWaiting for PIDS: ${pid}.\n`);
        stopService(ctx.node, key);
        return EXIT.OK;
      case 'start':
        if (running !== undefined) {
          ctx.err(`${prog} already running?   (pid=${pid}).\n`);
          return EXIT.FAILURE;
        }
        return start();
      case 'restart':
        if (running !== undefined) {
          ctx.out(`Stopping ${prog}.\nWaiting for PIDS: ${pid}.\n`);
          stopService(ctx.node, key);
        }
        return start();
      default:
        ctx.err(`/etc/rc.d/${prog}: unknown directive '${verb0}'.\nUsage: /etc/rc.d/${prog} [fast|force|one|quiet](start|stop|restart|status)\n`);
        return EXIT.USAGE;
    }
  },
};

/**
 * killall [-q] [-SIG] NAME…: signals the node's programs of that name (ps's COMMAND: iperf3,
 * nc, dhcpd, named, httpd …), from any terminal; SIGTERM unless a signal is named (`-KILL`,
 * `-9`, `-STOP`, `-CONT`), with the effects kill(1) has (node/procs.ts signalProc).
 */
function runKillall(ctx: CommandContext, args: string[]): number {
  const quiet = args.includes('-q');
  let sig: number = SIG.TERM;
  for (const a of args) {
    if (!a.startsWith('-') || a === '-q') continue;
    const n = parseSignal(a.slice(1));
    if (n === null) {
      ctx.err(`killall: unknown signal ${a.slice(1)}; valid signals:\n${signalListLines().join('\n')}\n`);
      return EXIT.USAGE;
    }
    sig = n;
  }
  const names = args.filter((a) => !a.startsWith('-'));
  if (names.length === 0) {
    ctx.err('usage: killall [-delmsqvz] [-help] [-I] [-j jail]\n               [-u user] [-t tty] [-c cmd] [-SIGNAL] [cmd]...\n');
    return EXIT.USAGE;
  }
  // killall itself is no match, and each program is signalled once (killing one may end others).
  const victims = procList(ctx.node).filter((p) => names.includes(p.name) && p !== ctx.proc);
  let status: number = victims.length > 0 ? EXIT.OK : EXIT.FAILURE;
  for (const p of victims) {
    if (signalProc(p, sig)) continue;
    ctx.err(`killall: ${p.name} (${p.pid}) cannot be stopped here (only commands run from a shell can)\n`);
    status = EXIT.FAILURE;
  }
  if (victims.length === 0 && !quiet) ctx.err('No matching processes were found\n');
  return status;
}

export const killallCommand: CommandSpec = { name: 'killall', summary: 'end programs by name: killall iperf3 | nc | dhcpd | dhclient | named | httpd …', needsStack: true, run: runKillall };

export const dhcpdCommand: CommandSpec = { name: 'dhcpd', summary: 'DHCP server (reads /usr/local/etc/dhcpd.conf; -6: dhcpd6.conf)', needsStack: true, run: runDhcpd };
export const dhclientCommand: CommandSpec = { name: 'dhclient', summary: 'DHCP client: dhclient [-r] IFACE, dhclient -6 [-v] [-cf FILE] IFACE', needsStack: true, run: runDhclient };
export const dhcrelayCommand: CommandSpec = { name: 'dhcrelay', summary: 'DHCP relay agent: dhcrelay -i IFACE SERVER…', needsStack: true, run: runDhcrelay };
