// Every IMUNES example, every LAN: from the first PC/host/router on each IPv4 subnet of a
// broadcast domain (links joined through lanswitches and hubs) ping every other address on
// it through the real CLI (TTL 64), and between end nodes sharing a gateway router (TTL 63,
// RFC 1812 §5.3.1). LANs come from the document only; VLAN-tagged parts are skipped.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TopologyDoc } from '../../src/emulator/topology/document';
import { parseTopology } from '../../src/emulator/topology/formats';
import { IMUNES_EXAMPLES, parsePing, runJson } from './cli-run';

const L3_KINDS = new Set(['pc', 'host', 'router']);
const BRIDGE_KINDS = new Set(['lanswitch', 'hub']);

interface Member {
  node: string;
  addr: string;
  subnet: string;
}

function imnFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? imnFiles(p) : f.endsWith('.imn') ? [p] : [];
    });
}

function subnetOf(cidr: string): { addr: string; subnet: string } | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) return null;
  const n = ((+m[1] << 24) | (+m[2] << 16) | (+m[3] << 8) | +m[4]) >>> 0;
  const len = +m[5];
  if (len === 0 || len >= 31 || m[1] === '127') return null;
  const mask = len === 32 ? 0xffffffff : (0xffffffff << (32 - len)) >>> 0;
  return { addr: `${m[1]}.${m[2]}.${m[3]}.${m[4]}`, subnet: `${(n & mask) >>> 0}/${len}` };
}

/** Subnet groups (≥ 2 members) per broadcast domain, skipping VLAN-tagged or down parts. */
function lanGroups(doc: TopologyDoc): Member[][] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let p = parent.get(k) ?? k;
    if (p !== k) parent.set(k, (p = find(p)));
    return p;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  const tagged = (x: { extra?: Record<string, unknown> } | undefined) => x?.extra !== undefined && ('vlan_tag' in x.extra || 'vlan_filtering' in x.extra);
  for (const l of doc.links) if (l.up !== false) union(`${l.a.node}:${l.a.iface}`, `${l.b.node}:${l.b.iface}`);
  for (const n of doc.nodes) {
    if (!BRIDGE_KINDS.has(n.kind) || tagged(n) || n.interfaces.some(tagged)) continue;
    for (const i of n.interfaces) union(`${n.id}:${n.interfaces[0].name}`, `${n.id}:${i.name}`);
  }
  const linked = new Set(doc.links.flatMap((l) => [`${l.a.node}:${l.a.iface}`, `${l.b.node}:${l.b.iface}`]));
  const groups = new Map<string, Member[]>();
  for (const n of doc.nodes) {
    if (!L3_KINDS.has(n.kind)) continue;
    for (const i of n.interfaces) {
      const key = `${n.id}:${i.name}`;
      if (i.type !== 'phys' || i.up === false || !linked.has(key) || tagged(i)) continue;
      for (const cidr of i.ipv4) {
        const s = subnetOf(cidr);
        if (s) groups.set(`${find(key)} ${s.subnet}`, [...(groups.get(`${find(key)} ${s.subnet}`) ?? []), { node: n.name, ...s }]);
      }
    }
  }
  // A domain that reaches a node VirtNet does not emulate (rj45, ext, filter …) is cut there,
  // which the union above already reflects since such nodes bridge nothing.
  return [...groups.values()].filter((g) => g.length >= 2);
}

/**
 * End nodes (pc/host) whose default gateway is a router address on their own LAN, grouped
 * by that router: any two in different subnets reach each other through it alone.
 */
function oneRouterPairs(doc: TopologyDoc): { from: string; to: string; router: string }[] {
  const groups = lanGroups(doc);
  const attached = new Map<string, { node: string; addr: string; subnet: string }[]>();
  for (const n of doc.nodes) {
    if (n.kind !== 'pc' && n.kind !== 'host') continue;
    const gw = n.routes4.find((r) => r.dest === '0.0.0.0/0')?.gateway;
    const g = groups.find((gr) => gr.some((m) => m.node === n.name) && gr.some((m) => m.addr === gw));
    const router = g?.find((m) => m.addr === gw);
    const self = g?.find((m) => m.node === n.name);
    if (!router || !self || doc.nodes.find((x) => x.name === router.node)?.kind !== 'router') continue;
    if (g!.filter((m) => m.addr === self.addr).length > 1) continue;
    attached.set(router.node, [...(attached.get(router.node) ?? []), self]);
  }
  const pairs: { from: string; to: string; router: string }[] = [];
  for (const [router, ends] of attached) {
    for (const dst of ends.slice(1)) {
      if (dst.subnet !== ends[0].subnet) pairs.push({ from: ends[0].node, to: dst.addr, router });
    }
  }
  return pairs;
}

describe('every IMUNES LAN answers pings at TTL 64', () => {
  it('pings every other address on each subnet from its first member', async () => {
    const failures: string[] = [];
    let pings = 0;
    let files = 0;
    for (const file of imnFiles(IMUNES_EXAMPLES)) {
      const rel = relative(IMUNES_EXAMPLES, file);
      const parsed = parseTopology(readFileSync(file, 'utf8'), file);
      if ('errors' in parsed) {
        failures.push(`${rel}: does not load`);
        continue;
      }
      const execs: string[] = [];
      for (const g of lanGroups(parsed.doc)) {
        const counts = new Map<string, number>();
        for (const m of g) counts.set(m.addr, (counts.get(m.addr) ?? 0) + 1);
        const [src, ...rest] = g;
        for (const dst of rest) {
          // Duplicate addresses (anycast labs) and a node's own second address are not LAN pings.
          if (dst.node === src.node || counts.get(dst.addr)! > 1 || counts.get(src.addr)! > 1) continue;
          // -t 10: some labs slow a link on purpose (security/dnsspoof.imn: 2 s one way).
          execs.push(`${src.node}: ping -c 1 -t 10 ${dst.addr}`);
        }
      }
      if (execs.length === 0) continue;
      files++;
      const run = await runJson(file, execs);
      run.results.forEach((r, k) => {
        pings++;
        const p = parsePing(r.output);
        if (p.received !== 1 || p.replyTtls[0] !== 64) failures.push(`${rel}: ${execs[k]} → received ${p.received}, ttl ${p.replyTtls.join(',')}`);
      });
    }
    expect(failures).toEqual([]);
    console.info(`LAN sweep: ${pings} pings over ${files} IMUNES files with LANs`);
    expect(pings).toBeGreaterThan(100);
  }, 120_000);
});

describe('end nodes behind the same IMUNES router reach each other at TTL 63', () => {
  it('pings across one router wherever both ends use it as default gateway', async () => {
    const failures: string[] = [];
    let pings = 0;
    for (const file of imnFiles(IMUNES_EXAMPLES)) {
      const parsed = parseTopology(readFileSync(file, 'utf8'), file);
      if ('errors' in parsed) continue;
      const pairs = oneRouterPairs(parsed.doc);
      if (pairs.length === 0) continue;
      const run = await runJson(file, pairs.map((p) => `${p.from}: ping -c 1 -t 10 ${p.to}`));
      run.results.forEach((r, k) => {
        pings++;
        const p = parsePing(r.output);
        if (p.received !== 1 || p.replyTtls[0] !== 63) {
          failures.push(`${relative(IMUNES_EXAMPLES, file)}: ${r.node}: ${r.command} via ${pairs[k].router} → received ${p.received}, ttl ${p.replyTtls.join(',')}`);
        }
      });
    }
    expect(failures).toEqual([]);
    console.info(`one-router sweep: ${pings} pings`);
    expect(pings).toBeGreaterThan(10);
  }, 120_000);
});

describe('pings between any two end nodes of every IMUNES lab end cleanly', () => {
  it('reply or report loss (exit 2) — never a crash, a hang or a missing summary', async () => {
    const problems: string[] = [];
    let answered = 0;
    let lost = 0;
    for (const file of imnFiles(IMUNES_EXAMPLES)) {
      const parsed = parseTopology(readFileSync(file, 'utf8'), file);
      if ('errors' in parsed) continue;
      const ends = parsed.doc.nodes
        .filter((n) => n.kind === 'pc' || n.kind === 'host')
        .map((n) => ({ node: n.name, addr: n.interfaces.flatMap((i) => i.ipv4.map(subnetOf)).find((s) => s !== null)?.addr }))
        .filter((e): e is { node: string; addr: string } => e.addr !== undefined);
      if (ends.length < 2) continue;
      const execs = ends.slice(1).map((e) => `${ends[0].node}: ping -c 1 -t 5 ${e.addr}`);
      const rel = relative(IMUNES_EXAMPLES, file);
      const run = await runJson(file, execs);
      if (run.code !== 0 && run.code !== 1) problems.push(`${rel}: CLI exit ${run.code}: ${run.stderr.trim()}`);
      for (const r of run.results) {
        const p = parsePing(r.output);
        if (p.transmitted !== 1) problems.push(`${rel}: ${r.node}: ${r.command}: no summary:\n${r.output}`);
        else if (p.received === 1 && r.exitCode === 0) answered++;
        else if (p.received === 0 && r.exitCode === 2) lost++;
        else problems.push(`${rel}: ${r.node}: ${r.command}: exit ${r.exitCode} with ${p.received} received`);
      }
    }
    expect(problems).toEqual([]);
    console.info(`end-to-end sweep: ${answered} answered, ${lost} lost (routing daemons do not run)`);
    expect(answered).toBeGreaterThan(50);
    expect(lost).toBeGreaterThan(10);
  }, 120_000);
});
