// DNS in captures: a recursive lookup captured at the resolver dissects in tshark with zero
// malformed packets and zero bad checksums, tshark and VirtNet agree on each query name,
// the packet tree has the DNS layer, and the display filter knows dns and dns.qry.name.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/emulator/filter/display-filter';
import { runCommand } from '../../src/emulator/shell';
import { decodeFrame, summarizeFrame } from '../../src/emulator/wire/decode';
import { tsharkAvailable, tsharkFields, validateCapture } from '../support/tshark';
import { dnsLab } from './dns-lab';

function capturedLookup() {
  const w = dnsLab();
  for (const n of ['root', 'tld', 'auth', 'resolver']) runCommand(w, n, 'named');
  const cap = w.startCapture({ kind: 'iface', node: 'resolver', iface: 'eth0' });
  runCommand(w, 'pc1', 'host alias.example.lab');
  runCommand(w, 'pc1', 'host nosuch.example.lab');
  cap.finish();
  return cap;
}

describe('DNS in captures', () => {
  it('summarizes, decodes and filters DNS frames', () => {
    const cap = capturedLookup();
    const dns = cap.frames.map((f) => f.frame).filter((b) => summarizeFrame(b).proto === 'dns');
    expect(dns.length).toBeGreaterThanOrEqual(10);
    const infos = dns.map((b) => summarizeFrame(b).info);
    expect(infos).toContainEqual(expect.stringMatching(/^Standard query 0x[0-9a-f]{4} A alias\.example\.lab$/));
    expect(infos).toContainEqual(expect.stringMatching(/^Standard query response 0x[0-9a-f]{4} A alias\.example\.lab CNAME www\.example\.lab A 10\.0\.3\.2$/));
    expect(infos).toContainEqual(expect.stringMatching(/^Standard query response 0x[0-9a-f]{4} No such name A nosuch\.example\.lab$/));
    const tree = decodeFrame(dns[0]);
    const layer = tree.find((l) => l.name === 'Domain Name System');
    expect(layer?.children?.map((c) => c.name)).toEqual(expect.arrayContaining(['Transaction ID', 'Flags', 'Questions', 'Queries']));
    const rows = dns.map((bytes) => ({ proto: 'dns', src: '', dst: '', info: '', lengthBytes: bytes.length, where: '', bytes }));
    const byName = compileFilter('dns.qry.name == "alias.example.lab"');
    const isDns = compileFilter('dns && dns.flags.response == 1');
    expect(byName.ok && isDns.ok).toBe(true);
    if (byName.ok && isDns.ok) {
      expect(rows.filter(byName.match).length).toBeGreaterThanOrEqual(4);
      expect(rows.filter(isDns.match).length).toBe(rows.length / 2);
    }
  });

  it.skipIf(!tsharkAvailable())('tshark finds zero malformed packets and reads the same names', async () => {
    const cap = capturedLookup();
    const file = join(mkdtempSync(join(tmpdir(), 'virtnet-dns-')), 'dns.pcapng');
    writeFileSync(file, cap.toPcapng());
    const v = await validateCapture(file);
    expect(v.malformed, v.expertLines.join('; ')).toBe(0);
    expect(v.badChecksums).toBe(0);
    const names = await tsharkFields(file, ['dns.qry.name', 'dns.flags.rcode']);
    const ours = cap.frames.map((f) => summarizeFrame(f.frame)).filter((s) => s.proto === 'dns').map((s) => / (?:A|AAAA|MX|NS) ([^ ]+)/.exec(s.info)?.[1]);
    expect(names.filter((r) => r[0] !== '').map((r) => r[0])).toEqual(ours);
  }, 60_000);
});
