// Writes pcap and pcapng files holding every frame type wire/ emits and has tshark judge
// them: zero malformed, zero bad checksums, the expected count, named interfaces, and
// an Info column matching what our captures promise.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame, summarizeFrame } from '../../src/emulator/wire/decode';
import { PcapngWriter, PcapWriter } from '../../src/emulator/wire/pcap';
import { tsharkAvailable, tsharkFields, validateCapture } from '../support/tshark';
import { sampleFrames } from './sample-frames';

const HAVE_TSHARK = tsharkAvailable();
if (!HAVE_TSHARK) console.warn('captures.test.ts skipped: tshark not found on PATH (apt-get install tshark)');

describe.skipIf(!HAVE_TSHARK)('captures validated by tshark', () => {
  const frames = sampleFrames();
  let dir = '';
  let pcapFile = '';
  let pcapngFile = '';
  const PCAP_FIELDS = ['_ws.col.Info', '_ws.col.Protocol', '_ws.col.Source', '_ws.col.Destination', 'ip.checksum', 'icmp.checksum', 'udp.checksum', 'frame.time_epoch', 'frame.len'];
  let pcapRows: Promise<string[][]> | null = null;
  const rowsOfPcap = () => (pcapRows ??= tsharkFields(pcapFile, PCAP_FIELDS));

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'virtnet-wire-'));
    const pcap = new PcapWriter();
    const ng = new PcapngWriter();
    const ifaces = [ng.addInterface('pc1:eth0'), ng.addInterface('router1:eth1')];
    frames.forEach((f, i) => {
      const timeNs = 1_000_000_000 + i * 1_234_567;
      pcap.addPacket(timeNs, f.bytes);
      ng.addPacket(ifaces[i % 2], timeNs, f.bytes, { direction: i % 2 ? 'in' : 'out', comment: i === 3 ? 'drop: ttl-exceeded' : undefined });
    });
    pcapFile = path.join(dir, 'all.pcap');
    pcapngFile = path.join(dir, 'all.pcapng');
    writeFileSync(pcapFile, pcap.toBytes());
    writeFileSync(pcapngFile, ng.toBytes());
  });

  afterAll(() => {
    // Set VIRTNET_KEEP_CAPTURES=1 to keep the files for a look in Wireshark.
    if (dir && !process.env.VIRTNET_KEEP_CAPTURES) rmSync(dir, { recursive: true, force: true });
  });

  for (const kind of ['pcap', 'pcapng'] as const) {
    it(`${kind}: every frame dissects cleanly`, async () => {
      const v = await validateCapture(kind === 'pcap' ? pcapFile : pcapngFile);
      expect(v.packets).toBe(frames.length);
      expect(v.malformed).toBe(0);
      expect(v.badChecksums).toBe(0);
      expect(v.expertLines.filter((l) => / error /.test(l))).toEqual([]);
    });
  }

  it('pcapng: tshark names the interfaces and keeps ns timestamps and comments', async () => {
    const rows = await tsharkFields(pcapngFile, ['frame.interface_name', 'frame.time_epoch', 'frame.comment']);
    expect(rows.map((r) => r[0])).toEqual(frames.map((_, i) => (i % 2 ? 'router1:eth1' : 'pc1:eth0')));
    expect(rows[1][1]).toBe('1.001234567');
    expect(rows[3][2]).toBe('drop: ttl-exceeded');
  });

  it('pcap: nanosecond timestamps survive', async () => {
    const rows = await rowsOfPcap();
    expect(rows[2][7]).toBe('1.002469134');
    expect(rows.map((r) => Number(r[8]))).toEqual(frames.map((f) => f.bytes.length));
  });

  it("tshark's Info column starts with what the catalog promises", async () => {
    const rows = await rowsOfPcap();
    const mismatches = frames
      .map((f, i) => ({ name: f.name, want: f.info, got: rows[i]?.[0] ?? '' }))
      .filter((m) => !m.got.startsWith(m.want));
    expect(mismatches).toEqual([]);
  });

  it('summarizeFrame agrees with tshark (TCP: absolute seq; tshark reassembles the last fragment)', async () => {
    const rows = await rowsOfPcap();
    const lastFragment = frames.filter((f) => f.name.startsWith('fragment')).pop();
    const mismatches: string[] = [];
    frames.forEach((f, i) => {
      const [info, proto, src, dst] = rows[i];
      const ours = summarizeFrame(f.bytes);
      if (f === lastFragment) return;
      const comparable = f.name.startsWith('tcp') ? ours.info.replace(/ Seq=.*$/, '') : ours.info;
      if (!info.startsWith(comparable)) mismatches.push(`${f.name}: ours "${ours.info}" tshark "${info}"`);
      if (ours.proto !== 'other' && ours.proto !== 'ipv4' && ours.proto !== 'ipv6' && proto.toLowerCase() !== ours.proto) mismatches.push(`${f.name}: proto ${ours.proto} vs ${proto}`);
      if (ours.proto !== 'arp' && (src !== ours.src || dst !== ours.dst)) mismatches.push(`${f.name}: ${ours.src}→${ours.dst} vs ${src}→${dst}`);
    });
    expect(mismatches).toEqual([]);
    // decodeFrame's checksum values are the ones tshark reads (first occurrence).
    frames.forEach((f, i) => {
      if (f === lastFragment) return;
      const tree = JSON.stringify(decodeFrame(f.bytes));
      for (const col of [4, 5, 6]) {
        const first = rows[i][col]?.split(',')[0];
        if (first) expect(tree, `${f.name} col ${col}`).toContain(`${first} [`);
      }
    });
  });

  it('the validator itself catches bad checksums and malformed frames', async () => {
    const byName = new Map(frames.map((f) => [f.name, f.bytes.slice()]));
    const badIp = byName.get('echo request')!;
    badIp[14 + 10] ^= 0x55; // IPv4 header checksum
    const badIcmp = byName.get('echo reply')!;
    badIcmp[34 + 20] ^= 0x55; // ICMP data byte
    const badUdp = byName.get('udp traceroute probe')!;
    badUdp[34 + 8 + 3] ^= 0x55; // UDP payload byte
    const badTcp = byName.get('tcp data')!;
    badTcp[54 + 10] ^= 0x55; // TCP payload byte
    const truncatedArp = byName.get('arp request')!.slice(0, 14 + 10);
    const w = new PcapWriter();
    for (const b of [badIp, badIcmp, badUdp, badTcp, truncatedArp]) w.addPacket(0, b);
    const file = path.join(dir, 'bad.pcap');
    writeFileSync(file, w.toBytes());
    const v = await validateCapture(file);
    expect(v.packets).toBe(5);
    expect(v.badChecksums).toBe(4);
    expect(v.malformed).toBe(1);
  });
});
