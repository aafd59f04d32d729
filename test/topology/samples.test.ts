// assets/samples/*.vnet equal what the sample builders generate (run with
// UPDATE_SAMPLES=1 to rewrite them on purpose), and they load as valid documents.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { SAMPLES, routerChain4, officeTwoLans } from '../../src/emulator/topology/samples';
import { parseVnet, serializeVnet } from '../../src/emulator/topology/vnet';
import { networkOf, parseCidr, prefixMask } from '../../src/emulator/wire/addr';
import type { TopologyDoc } from '../../src/emulator/topology/document';

const DIR = path.resolve(__dirname, '../../assets/samples');

/** Hop-by-hop IPv4 forwarding over the document's addresses and routes (no engine). */
function pathTo(doc: TopologyDoc, fromName: string, dst: string): string[] | null {
  const target = parseCidr(dst)!.addr;
  let node = doc.nodes.find((n) => n.name === fromName)!;
  const hops = [node.name];
  for (let ttl = 0; ttl < 16; ttl++) {
    const conns = node.interfaces.flatMap((i) => i.ipv4.map((a) => parseCidr(a)!));
    if (conns.some((c) => c.addr === target)) return hops;
    const direct = conns.find((c) => ((target & prefixMask(c.prefixLen)) >>> 0) === networkOf(c.addr, c.prefixLen));
    let nextAddr = direct ? target : null;
    if (!direct) {
      const r = [...node.routes4].map((x) => ({ ...x, c: parseCidr(x.dest)! }))
        .filter((x) => ((target & prefixMask(x.c.prefixLen)) >>> 0) === networkOf(x.c.addr, x.c.prefixLen)).sort((a, b) => b.c.prefixLen - a.c.prefixLen)[0];
      if (!r) return null;
      nextAddr = parseCidr(r.gateway)!.addr;
    }
    const next = doc.nodes.find((n) => n.interfaces.some((i) => i.ipv4.some((a) => parseCidr(a)!.addr === nextAddr)));
    if (!next) return null;
    node = next;
    hops.push(node.name);
  }
  return null;
}

describe('sample topologies', () => {
  it.each(Object.entries(SAMPLES))('%s equals its generator and loads', (file, build) => {
    const text = serializeVnet(build());
    const full = path.join(DIR, file);
    if (process.env.UPDATE_SAMPLES === '1') fs.writeFileSync(full, text);
    expect(fs.readFileSync(full, 'utf8')).toBe(text);
    const r = parseVnet(text, file);
    expect(r).toMatchObject({ warnings: [] });
  });

  it('router-chain-4 routes pc1 → pc2 and back through all four routers', () => {
    const doc = routerChain4();
    const pc2 = doc.nodes.find((n) => n.name === 'pc2')!.interfaces[0]!.ipv4[0]!;
    const pc1 = doc.nodes.find((n) => n.name === 'pc1')!.interfaces[0]!.ipv4[0]!;
    expect(pathTo(doc, 'pc1', pc2)).toEqual(['pc1', 'router1', 'router2', 'router3', 'router4', 'pc2']);
    expect(pathTo(doc, 'pc2', pc1)).toEqual(['pc2', 'router4', 'router3', 'router2', 'router1', 'pc1']);
  });

  it('office-two-lans: each LAN its own /24, pcs default to the router', () => {
    const doc = officeTwoLans();
    const pcs = doc.nodes.filter((n) => n.kind === 'pc');
    expect(pcs.map((p) => p.interfaces[0]!.ipv4[0])).toEqual(['10.0.0.20/24', '10.0.0.21/24', '10.0.0.22/24', '10.0.1.20/24', '10.0.1.21/24']);
    expect(pcs.map((p) => p.routes4[0]?.gateway)).toEqual(['10.0.0.1', '10.0.0.1', '10.0.0.1', '10.0.1.1', '10.0.1.1']);
    expect(pathTo(doc, 'pc1', '10.0.1.21/24')).toEqual(['pc1', 'router1', 'pc5']);
  });
});
