// The capture view's TCP analysis (filter/tcp-conversations.ts) against tshark on the same
// capture: stream index, relative sequence and acknowledgment numbers, segment length,
// calculated window and retransmissions agree frame by frame; Follow TCP Stream returns the
// bytes the application sent, once each, in order, despite loss and duplication on the path.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { annotateTcpTree, TcpConversations, type TcpSegmentInfo } from '../../src/emulator/filter/tcp-conversations';
import { compileFilter } from '../../src/emulator/filter/display-filter';
import { tcpConversationFields } from '../../src/emulator/filter/tcp-conversations';
import { decodeFrame } from '../../src/emulator/wire/decode';
import { summarizeFrame } from '../../src/emulator/wire/decode';
import { tsharkAvailable, tsharkFields } from '../support/tshark';
import { bulkTransfer, pattern } from '../stack/tcp/tcp-helpers';
import { hostRouterHost } from './topologies';

function lossyTransfer(seed: number, bytes: number) {
  const w = new World(hostRouterHost({ lossPercent: 2, dupPercent: 1, delayUs: 5000, bandwidthBps: 10_000_000 }), { seed });
  const cap = w.startCapture({ kind: 'iface', node: 'pc1', iface: 'eth0' });
  const data = pattern(bytes, seed);
  const t = bulkTransfer(w.nodeByName('pc1')!.stack!, w.nodeByName('pc2')!.stack!, 0x0a000114, 5001, data);
  w.sim.runUntil(60e9);
  cap.finish();
  const conv = new TcpConversations();
  const infos = cap.frames.map((f) => conv.add(f.frame));
  return { w, t, data, cap, conv, infos };
}

describe('TCP analysis of a capture', () => {
  it('follows the stream: the bytes sent, each once, in order, despite loss and duplication', () => {
    const { t, data, conv, infos } = lossyTransfer(3, 300_000);
    expect(t.done()).toBe(true);
    expect(infos.some((i) => i?.retransmission)).toBe(true);
    const f = conv.followStream(0)!;
    expect(f.cut).toBe(false);
    const sent = f.chunks.filter((c) => c.dir === 0);
    expect(sent.length).toBe(1);
    expect(Buffer.compare(Buffer.from(sent[0]!.bytes), Buffer.from(data))).toBe(0);
    const first = infos.find((i) => i !== null)!;
    expect(conv.stream(0)!.ends).toEqual([`10.0.0.20:${first.srcPort}`, '10.0.1.20:5001']);
    expect(conv.stream(1)).toBeNull();
  });

  it('tcp.stream, relative numbers and retransmission in display filters and the detail tree', () => {
    const { cap, infos } = lossyTransfer(3, 100_000);
    const rows = cap.frames.map((f, k) => ({ ...summarizeFrame(f.frame), lengthBytes: f.frame.length, where: 'pc1:eth0', bytes: f.frame, conv: infos[k] ? tcpConversationFields(infos[k]!) : undefined }));
    const count = (src: string) => {
      const c = compileFilter(src);
      if (!c.ok) throw new Error(c.error);
      return rows.filter(c.match).length;
    };
    expect(count('tcp.stream eq 0')).toBe(infos.filter((i) => i !== null).length);
    expect(count('tcp.stream == 1')).toBe(0);
    expect(count('tcp.seq == 0 and tcp.flags.syn == 1 and not tcp.analysis.retransmission')).toBe(2);
    expect(count('tcp.analysis.retransmission')).toBe(infos.filter((i) => i?.retransmission).length);
    expect(count('tcp.len > 0 and tcp.srcport == 5001')).toBe(0);
    const k = infos.findIndex((i) => i?.retransmission);
    const tree = annotateTcpTree(decodeFrame(cap.frames[k]!.frame), infos[k]!);
    const tcp = tree.find((l) => l.name === 'Transmission Control Protocol')!.children!.map((c) => (c.value ? `${c.name}: ${c.value}` : c.name));
    expect(tcp).toContain('[Stream index: 0]');
    expect(tcp).toContain(`Sequence Number: ${infos[k]!.seqRel}    (relative sequence number)`);
    expect(tcp).toContain('[SEQ/ACK analysis: retransmission]');
    expect(tcp.some((l) => l.startsWith('[Checksum Status: Good]'))).toBe(true);
  });

  it.skipIf(!tsharkAvailable())('agrees with tshark frame by frame', async () => {
    const { cap, infos } = lossyTransfer(3, 200_000);
    const file = join(mkdtempSync(join(tmpdir(), 'virtnet-tcpan-')), 'tcp.pcap');
    writeFileSync(file, cap.toPcap());
    const ts = await tsharkFields(file, ['tcp.stream', 'tcp.seq', 'tcp.ack', 'tcp.len', 'tcp.window_size', 'tcp.nxtseq', 'tcp.analysis.retransmission', 'tcp.analysis.fast_retransmission', 'tcp.analysis.spurious_retransmission', 'tcp.analysis.out_of_order']);
    expect(ts.length).toBe(infos.length);
    const ours = (i: TcpSegmentInfo | null) => (i === null ? null : [String(i.stream), String(i.seqRel), String(i.ackRel), String(i.len), String(i.windowCalc ?? ''), String(i.nextSeqRel)]);
    const theirs = (r: string[]) => (r[0] === '' || r[0] === undefined ? null : [r[0], r[1], r[2], r[3], r[4], r[5] ?? '']);
    const diffs = infos.map((i, k) => ({ k, ours: ours(i), theirs: theirs(ts[k]!) })).filter((d) => JSON.stringify(d.ours) !== JSON.stringify(d.theirs));
    expect(diffs.slice(0, 5)).toEqual([]);
    const retrans = (r: string[]) => r.slice(6).some((x) => x !== undefined && x !== '');
    const rdiff = infos.map((i, k) => ({ k, ours: i?.retransmission ?? false, theirs: retrans(ts[k]!) })).filter((d) => d.ours !== d.theirs);
    expect(rdiff.slice(0, 5)).toEqual([]);
  }, 120_000);

  it('traffic events carry TCP flags, so the canvas can mark SYN, FIN and RST', () => {
    const w = new World(hostRouterHost({ delayUs: 1000 }), { seed: 1 });
    const flags: number[] = [];
    w.events.listen((e) => e.action === 'tx' && e.node === w.nodeByName('pc1')!.id && e.tcpFlags !== undefined && flags.push(e.tcpFlags));
    bulkTransfer(w.nodeByName('pc1')!.stack!, w.nodeByName('pc2')!.stack!, 0x0a000114, 5001, pattern(5000, 1));
    w.sim.runUntil(5e9);
    expect(flags[0]).toBe(0x02); // SYN
    expect(flags.some((f) => f & 0x01)).toBe(true); // FIN
    expect(flags.every((f) => (f & 0x04) === 0)).toBe(true);
  });
});
