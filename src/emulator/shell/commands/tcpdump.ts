// The `tcpdump` command: FreeBSD tcpdump(1)'s -i -n -c -v -e (and the harmless -l -p -q -s)
// over a live tap of one of the node's interfaces, a capture filter expression, lines in
// tcpdump's format (wire/tcpdump.ts), and its start and `N packets captured` summary. Runs
// as a job until Ctrl-C or -c N packets. -w FILE writes the packets to a libpcap file in the
// node's files (bounded as they are: a full disk ends the capture), -r FILE prints a file's
// packets as the live lines. Parsing and printing only; no protocol here.

import type { Capture } from '../../engine/capture';
import { compileDumpFilter } from '../../node/apps/tcpdump-filter';
import { dumpFacts, dumpTime, DumpSeqState, formatDumpLine } from '../../wire/tcpdump';
import { bytesToFileText, fileErrorReason, fileTextToBytes, nodeFiles } from '../../node/files';
import { LINKTYPE_ETHERNET, pcapFileHeaderUs, pcapRecordUs, readPcap, TCPDUMP_SNAPLEN } from '../../wire/pcap';
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
  const g = getopt('tcpdump', args, 'i:c:nvelpqs:w:r:');
  if (!g.ok) {
    ctx.lines([g.error, ...USAGE]);
    return EXIT.FAILURE;
  }
  const o = g.opts;
  const wFile = o.get('w')?.at(-1);
  const rFile = o.get('r')?.at(-1);
  const iface = o.get('i')?.at(-1) ?? ctx.stack.ifaces.find((i) => !i.loopback)?.name;
  if (rFile === undefined && (iface === undefined || !ctx.stack.ifaces.some((i) => i.name === iface))) {
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
  if (rFile !== undefined) return readFile(ctx, rFile, filter, opts, count);
  if (iface === undefined) return EXIT.FAILURE;
  const files = nodeFiles(ctx.node);
  if (wFile !== undefined) {
    const e = files.write(wFile, bytesToFileText(pcapFileHeaderUs()));
    if (e !== null) {
      ctx.out(`tcpdump: ${wFile}: ${fileErrorReason(e)}\n`);
      return EXIT.FAILURE;
    }
  }
  const quiet = opts.verbose || wFile !== undefined;
  ctx.out(quiet ? '' : 'tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\n');
  ctx.out(`${quiet ? 'tcpdump: ' : ''}listening on ${iface}, link-type EN10MB (Ethernet), snapshot length ${TCPDUMP_SNAPLEN} bytes\n`);
  const seqs = new DumpSeqState();
  let received = 0;
  let captured = 0;
  let tap: Capture | null = null;
  // Frames captured while tcpdump is stopped wait in its buffer; beyond it they are dropped
  // and counted, as BPF counts the packets its full buffer drops.
  const gate = ctx.gate();
  const stop = (interrupted: boolean, error: string | null = null): void => {
    const t = tap;
    if (t === null) return;
    tap = null;
    // The tap may be mid-delivery: stop taking frames now, detach once the delivery is over.
    t.active = false;
    ctx.world.sim.schedule(0, () => t.stop());
    if (error !== null) ctx.out(`tcpdump: ${error}\n`);
    ctx.out(`${interrupted ? '\n' : ''}${captured} packet${captured === 1 ? '' : 's'} captured\n${received} packet${received === 1 ? '' : 's'} received by filter\n${gate.dropped} packet${gate.dropped === 1 ? '' : 's'} dropped by kernel\n`);
    ctx.finish(error === null ? EXIT.OK : EXIT.FAILURE);
  };
  // tcpdump itself: takes what the kernel's filter kept (held while it is stopped).
  const take = gate.wrap((timeNs: number, frame: Uint8Array) => {
    if (tap === null) return;
    if (wFile !== undefined) {
      // The node's files are bounded: a full disk ends the capture, as a failed write does.
      const e = files.write(wFile, bytesToFileText(pcapRecordUs(timeNs, frame)), true);
      if (e !== null) return stop(false, `${wFile}: ${fileErrorReason(e)}`);
      captured++;
    } else {
      captured++;
      ctx.out(`${dumpTime(timeNs)} ${formatDumpLine(frame, opts, seqs)}\n`);
    }
    if (count > 0 && captured >= count) stop(false);
  });
  // The kernel's side (BPF): every frame is counted and filtered whether tcpdump runs or not.
  tap = ctx.world.tapIface(ctx.node, iface, (timeNs, _dir, frame) => {
    if (tap === null || !tap.active) return;
    received++;
    if (filter(dumpFacts(frame))) take(timeNs, frame);
  });
  return { interrupt: () => stop(true) };
}

/** -r FILE: the file's packets through the filter, printed as the live lines (no summary, as tcpdump). */
function readFile(ctx: CommandContext, path: string, filter: (f: ReturnType<typeof dumpFacts>) => boolean, opts: { numeric: boolean; verbose: boolean; link: boolean }, count: number): number {
  const text = nodeFiles(ctx.node).read(path);
  if (typeof text !== 'string') {
    ctx.out(`tcpdump: ${path}: ${fileErrorReason(text)}\n`);
    return EXIT.FAILURE;
  }
  const r = readPcap(fileTextToBytes(text));
  if ('error' in r) {
    ctx.out(`tcpdump: ${r.error}\n`);
    return EXIT.FAILURE;
  }
  if (r.linkType !== LINKTYPE_ETHERNET) {
    ctx.out(`tcpdump: packet printing is not supported for link type ${r.linkType}: use -w\n`);
    return EXIT.FAILURE;
  }
  ctx.out(`reading from file ${path}, link-type EN10MB (Ethernet), snapshot length ${r.snaplen}\n`);
  const seqs = new DumpSeqState();
  let n = 0;
  for (const rec of r.records) {
    if (!filter(dumpFacts(rec.frame))) continue;
    ctx.out(`${dumpTime(rec.timeNs)} ${formatDumpLine(rec.frame, opts, seqs)}\n`);
    if (count > 0 && ++n >= count) return EXIT.OK;
  }
  if (r.truncated !== null) {
    ctx.out(`tcpdump: pcap_loop: ${r.truncated}\n`);
    return EXIT.FAILURE;
  }
  return EXIT.OK;
}

export const tcpdumpCommand: CommandSpec = { name: 'tcpdump', summary: 'dump traffic on an interface (-i IFACE -n -c N -v -e -w FILE -r FILE [expression])', needsStack: true, run };
