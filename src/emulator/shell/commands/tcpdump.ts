// The `tcpdump` command: FreeBSD tcpdump(1)'s -i -n -c -v -e (and the harmless -l -p -q -s)
// over a live tap of one of the node's interfaces, a capture filter expression, lines in
// tcpdump's format (wire/tcpdump.ts), and its start and `N packets captured` summary. Runs
// as a job until Ctrl-C or -c N packets. Parsing and printing only; no protocol here.

import type { Capture } from '../../engine/capture';
import { compileDumpFilter } from '../../node/apps/tcpdump-filter';
import { dumpFacts, dumpTime, DumpSeqState, formatDumpLine } from '../../wire/tcpdump';
import { getopt } from '../getopt';
import { EXIT, type CommandContext, type CommandSpec, type Job } from '../types';
import { parseUint, resolveHost } from './resolve';

const USAGE = [
  'tcpdump version 4.99.4',
  'libpcap version 1.10.4',
  'Usage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ] [--count]',
  '\t\t[ -C file_size ] [ -E algo:secret ] [ -F file ] [ -G seconds ]',
  '\t\t[ -i interface ] [ --immediate-mode ] [ -j tstamptype ]',
  '\t\t[ -M secret ] [ --number ] [ --print ] [ -Q in|out|inout ]',
  '\t\t[ -r file ] [ -s snaplen ] [ -T type ] [ --version ]',
  '\t\t[ -V file ] [ -w file ] [ -W filecount ] [ -y datalinktype ]',
  '\t\t[ -z postrotate-command ] [ -Z user ] [ expression ]',
];

function run(ctx: CommandContext, args: string[]): number | Job {
  const g = getopt('tcpdump', args, 'i:c:nvelpqs:w:');
  if (!g.ok) {
    ctx.lines([g.error, ...USAGE]);
    return EXIT.FAILURE;
  }
  const o = g.opts;
  if (o.has('w')) {
    ctx.out('tcpdump: -w: writing a capture file from a node shell is not supported here; capture the interface from the app or `virtnet run --pcap`\n');
    return EXIT.FAILURE;
  }
  const iface = o.get('i')?.at(-1) ?? ctx.stack.ifaces.find((i) => !i.loopback)?.name;
  if (iface === undefined || !ctx.stack.ifaces.some((i) => i.name === iface)) {
    ctx.out(`tcpdump: ${iface ?? 'any'}: No such device exists\n(BIOCSETIF failed: Device not configured)\n`);
    return EXIT.FAILURE;
  }
  let count = 0;
  const c = o.get('c')?.at(-1);
  if (c !== undefined) {
    const n = parseUint(c);
    if (n === null || n === 0) {
      ctx.out(`tcpdump: invalid packet count ${c}\n`);
      return EXIT.FAILURE;
    }
    count = n;
  }
  const filter = compileDumpFilter(g.operands.join(' '), (name) => resolveHost(ctx.world, name));
  if (typeof filter !== 'function') {
    ctx.out(`tcpdump: ${filter.error.startsWith('unknown host') ? filter.error : `can't parse filter expression: ${filter.error}`}\n`);
    return EXIT.FAILURE;
  }
  const opts = { numeric: o.has('n'), verbose: o.has('v'), link: o.has('e') };
  ctx.out(opts.verbose ? '' : 'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n');
  ctx.out(`${opts.verbose ? 'tcpdump: ' : ''}listening on ${iface}, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n`);
  const seqs = new DumpSeqState();
  let received = 0;
  let captured = 0;
  let tap: Capture | null = null;
  const stop = (interrupted: boolean): void => {
    const t = tap;
    if (t === null) return;
    tap = null;
    // The tap may be mid-delivery: stop taking frames now, detach once the delivery is over.
    t.active = false;
    ctx.world.sim.schedule(0, () => t.stop());
    ctx.out(`${interrupted ? '\n' : ''}${captured} packet${captured === 1 ? '' : 's'} captured\n${received} packet${received === 1 ? '' : 's'} received by filter\n0 packets dropped by kernel\n`);
    ctx.finish(EXIT.OK);
  };
  tap = ctx.world.tapIface(ctx.node, iface, (timeNs, _dir, frame) => {
    received++;
    if (!filter(dumpFacts(frame))) return;
    captured++;
    ctx.out(`${dumpTime(timeNs)} ${formatDumpLine(frame, opts, seqs)}\n`);
    if (count > 0 && captured >= count) stop(false);
  });
  return { interrupt: () => stop(true) };
}

export const tcpdumpCommand: CommandSpec = { name: 'tcpdump', summary: 'dump traffic on an interface (-i IFACE -n -c N -v -e [expression])', needsStack: true, run };
