import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleFrames } from '../../../test/wire/sample-frames';
import { decodeFrame, summarizeFrame, type DecodedField } from './decode';

function find(fields: DecodedField[], name: string): DecodedField | undefined {
  for (const f of fields) {
    if (f.name === name) return f;
    const inner = f.children && find(f.children, name);
    if (inner) return inner;
  }
  return undefined;
}

function all(fields: DecodedField[]): DecodedField[] {
  return fields.flatMap((f) => [f, ...all(f.children ?? [])]);
}

function byName(name: string): Uint8Array {
  const f = sampleFrames().find((s) => s.name === name);
  if (!f) throw new Error(`no sample ${name}`);
  return f.bytes.slice();
}

/** Children lie within their parent and every range within the frame. */
function rangesNest(fields: DecodedField[], lo: number, hi: number): boolean {
  return fields.every(
    (f) => f.offset >= lo && f.length >= 0 && f.offset + f.length <= hi && rangesNest(f.children ?? [], f.offset, f.offset + f.length),
  );
}

describe('summarizeFrame', () => {

  it('gives tshark-like Info for every sample frame', () => {
    const frames = sampleFrames();
    const lastFragment = frames.filter((f) => f.name.startsWith('fragment')).pop()!;
    for (const f of frames) {
      const s = summarizeFrame(f.bytes);
      if (f === lastFragment) expect(s.info).toBe('Fragmented IP protocol (proto=ICMP 1, off=2960, ID=0007)');
      else expect(s.info.startsWith(f.info), `${f.name}: "${s.info}"`).toBe(true);
    }
  });

  it('fills protocol class and address columns', () => {
    expect(summarizeFrame(byName('arp request'))).toEqual({
      proto: 'arp',
      src: '42:00:aa:00:00:02',
      dst: 'Broadcast',
      info: 'Who has 10.0.0.1? Tell 10.0.0.20',
    });
    expect(summarizeFrame(byName('echo request'))).toMatchObject({ proto: 'icmp', src: '10.0.0.20', dst: '10.0.1.20' });
    expect(summarizeFrame(byName('udp traceroute probe')).proto).toBe('udp');
    expect(summarizeFrame(byName('tcp syn'))).toMatchObject({ proto: 'tcp', info: '49152 → 80 [SYN] Seq=1000 Win=65535 Len=0' });
    expect(summarizeFrame(byName('fragment 0')).proto).toBe('ipv4');
  });

  it('reports malformed frames instead of throwing', () => {
    expect(summarizeFrame(new Uint8Array(5)).info).toMatch(/^\[Malformed/);
    expect(summarizeFrame(byName('echo request').subarray(0, 30)).info).toBe('[Malformed: IPv4]');
  });

  it('shows the MAC addresses of a malformed IPv4 or IPv6 packet as its columns', () => {
    const v4 = byName('echo request').slice(0, 30);
    v4.fill(0xff, 0, 6);
    expect(summarizeFrame(v4)).toEqual({ proto: 'ipv4', src: '42:00:aa:00:00:02', dst: 'Broadcast', info: '[Malformed: IPv4]' });
    const v6 = new Uint8Array(40);
    v6.set([0x33, 0x33, 0, 0, 0, 1, 0x42, 0, 0xaa, 0, 0, 2, 0x86, 0xdd, 0x60]);
    expect(summarizeFrame(v6)).toEqual({ proto: 'ipv6', src: '42:00:aa:00:00:02', dst: '33:33:00:00:00:01', info: '[Malformed: IPv6]' });
  });
});

describe('decodeFrame', () => {
  it('builds the layer tree of an echo request', () => {
    const tree = decodeFrame(byName('echo request'));
    expect(tree.map((f) => f.name)).toEqual(['Ethernet II', 'Internet Protocol Version 4', 'Internet Control Message Protocol']);
    expect(find(tree, 'Header Checksum')?.value).toMatch(/\[correct\]$/);
    expect(find(tree, 'Checksum')?.value).toMatch(/\[correct\]$/);
    expect(find(tree, 'Identifier (BE)')?.value).toBe('1 (0x0001)');
    expect(find(tree, 'Data')).toMatchObject({ value: '56 bytes', offset: 42, length: 56 });
    expect(find(tree, 'Flags')?.children?.map((c) => c.name)).toEqual(['Reserved bit', "Don't fragment", 'More fragments']);
    expect(find(tree, 'Source Address')).toMatchObject({ value: '10.0.0.20', offset: 26, length: 4 });
  });

  it('shows what a bad checksum should be', () => {
    const good = byName('echo request');
    const bytes = good.slice();
    bytes[24] ^= 0xff;
    const should = (good[24] << 8) | good[25];
    expect(find(decodeFrame(bytes), 'Header Checksum')?.value).toBe(
      `0x${((bytes[24] << 8) | bytes[25]).toString(16).padStart(4, '0')} [incorrect, should be 0x${should.toString(16).padStart(4, '0')}]`,
    );
    const udp = byName('udp traceroute probe');
    udp[50] ^= 1;
    expect(find(decodeFrame(udp), 'Checksum')?.value).toMatch(/\[incorrect, should be 0x[0-9a-f]{4}\]/);
  });

  it('decodes 802.1Q, ARP padding, ICMP quotes, IP and TCP options', () => {
    expect(find(decodeFrame(byName('802.1Q echo')), '802.1Q Virtual LAN')?.value).toBe('PRI: 3, DEI: 0, ID: 10');
    const arp = decodeFrame(byName('arp request'));
    expect(arp.map((f) => f.name)).toEqual(['Ethernet II', 'Address Resolution Protocol', 'Padding']);
    expect(find(arp, 'Padding')).toMatchObject({ offset: 42, length: 18 });
    const te = decodeFrame(byName('time exceeded'));
    expect(find(te, 'Internet Protocol Version 4 (quoted)')).toBeDefined();
    expect(find(te, 'User Datagram Protocol (quoted)')?.value).toBe('Src Port: 33434, Dst Port: 33435');
    expect(find(decodeFrame(byName('frag needed')), 'MTU of next hop')?.value).toBe('1400');
    expect(find(decodeFrame(byName('ip options')), 'IP Option')?.value).toBe('Router Alert, 4 bytes');
    const syn = decodeFrame(byName('tcp syn'));
    expect(find(syn, 'TCP Option - Maximum segment size')?.value).toBe('1460 bytes');
    expect(find(syn, 'TCP Option - Timestamps')?.value).toBe('TSval 1, TSecr 0');
    expect(find(syn.filter((l) => l.name === 'Transmission Control Protocol'), 'Flags')?.value).toBe('0x002 (SYN)');
    expect(find(decodeFrame(byName('fragment 1')), 'Fragment')?.value).toBe('ICMP (1) data, offset 1480');
  });

  it('nests byte ranges for every sample frame', () => {
    for (const f of sampleFrames()) {
      const tree = decodeFrame(f.bytes);
      expect(rangesNest(tree, 0, f.bytes.length), f.name).toBe(true);
      expect(all(tree).filter((x) => x.name.startsWith('[Malformed')), f.name).toEqual([]);
    }
  });

  it('marks truncation as [Malformed: …]', () => {
    const cut = byName('tcp data').subarray(0, 40);
    const tree = decodeFrame(cut);
    expect(all(tree).some((f) => f.name.startsWith('[Malformed: IPv4 total length'))).toBe(true);
    expect(decodeFrame(new Uint8Array(3))[0].name).toMatch(/^\[Malformed: frame of 3 bytes/);
  });

  it('never throws on truncated or random frames (property)', () => {
    const frames = sampleFrames();
    fc.assert(
      fc.property(fc.nat(frames.length - 1), fc.nat(200), fc.array(fc.tuple(fc.nat(200), fc.nat(255)), { maxLength: 4 }), (i, cut, flips) => {
        const bytes = frames[i].bytes.slice(0, cut);
        for (const [at, v] of flips) if (at < bytes.length) bytes[at] = v;
        const tree = decodeFrame(bytes);
        summarizeFrame(bytes);
        expect(rangesNest(tree, 0, bytes.length)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        expect(rangesNest(decodeFrame(bytes), 0, bytes.length)).toBe(true);
        expect(typeof summarizeFrame(bytes).info).toBe('string');
      }),
    );
  });
});
