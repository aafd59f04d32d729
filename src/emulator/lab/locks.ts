// Lab locks (lab.ts LabLocks): compares a student's network with the lab's starting network
// and names every locked part that changed. Pure; the grader zeroes a score with any
// violation, and the editor (later) can refuse the same edits with the same words.

import { paramsBA, type LinkDoc, type NodeDoc, type TopologyDoc } from '../topology/document';
import type { LabLocks } from '../topology/lab';

function linkKey(doc: TopologyDoc, l: LinkDoc): string {
  const name = (id: string) => doc.nodes.find((n) => n.id === id)?.name ?? id;
  const ends = [`${name(l.a.node)}:${l.a.iface}`, `${name(l.b.node)}:${l.b.iface}`].sort();
  return ends.join(' — ');
}

function configOf(n: NodeDoc): string {
  return JSON.stringify({
    interfaces: n.interfaces.map((f) => ({ name: f.name, ipv4: f.ipv4, mtu: f.mtu ?? 1500, up: f.up ?? true, extra: f.extra ?? null })),
    routes4: n.routes4,
    forwarding: n.forwarding ?? null,
    extra: n.extra ?? null,
  });
}

/** One sentence per locked part that differs between `start` and `work`. */
export function lockViolations(locks: LabLocks | undefined, start: TopologyDoc, work: TopologyDoc): string[] {
  if (!locks) return [];
  const out: string[] = [];
  const before = new Map(start.nodes.map((n) => [n.name, n] as const));
  const after = new Map(work.nodes.map((n) => [n.name, n] as const));
  if (locks.kinds) {
    for (const [name, n] of before) {
      const m = after.get(name);
      if (!m) out.push(`node ${name} was removed, but the nodes are locked`);
      else if (m.kind !== n.kind) out.push(`${name} was changed from a ${n.kind} to a ${m.kind}, but node kinds are locked`);
    }
    for (const name of after.keys()) if (!before.has(name)) out.push(`node ${name} was added, but the nodes are locked`);
  }
  if (locks.links || locks.linkParams) {
    const was = new Map(start.links.map((l) => [linkKey(start, l), l] as const));
    const now = new Map(work.links.map((l) => [linkKey(work, l), l] as const));
    if (locks.links) {
      for (const k of was.keys()) if (!now.has(k)) out.push(`the link ${k} was removed or rewired, but links are locked`);
      for (const k of now.keys()) if (!was.has(k)) out.push(`a link ${k} was added, but links are locked`);
    }
    if (locks.linkParams) {
      for (const [k, l] of was) {
        const m = now.get(k);
        if (m && (JSON.stringify([l.params, paramsBA(l), l.up ?? true]) !== JSON.stringify([m.params, paramsBA(m), m.up ?? true]))) {
          out.push(`the parameters of link ${k} were changed, but link parameters are locked`);
        }
      }
    }
  }
  if (locks.positions) {
    for (const [name, n] of before) {
      const m = after.get(name);
      if (m && (Math.abs(m.position.x - n.position.x) > 0.5 || Math.abs(m.position.y - n.position.y) > 0.5)) out.push(`${name} was moved, but positions are locked`);
    }
  }
  for (const name of locks.configs ?? []) {
    const n = before.get(name);
    const m = after.get(name);
    if (n && m && configOf(n) !== configOf(m)) out.push(`the configuration of ${name} was changed, but it is locked`);
  }
  return out;
}
