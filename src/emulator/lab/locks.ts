// Lab locks (lab.ts LabLocks): compares a student's network with the lab's starting network
// and names every locked part that changed. Pure; the grader zeroes a score with any
// violation, and the editor (later) can refuse the same edits with the same words.

import { defaultForwarding, paramsBA, type InterfaceDoc, type LinkDoc, type NodeDoc, type TopologyDoc } from '../topology/document';
import type { LabLocks } from '../topology/lab';

function linkKey(doc: TopologyDoc, l: LinkDoc): string {
  const name = (id: string) => doc.nodes.find((n) => n.id === id)?.name ?? id;
  const ends = [`${name(l.a.node)}:${l.a.iface}`, `${name(l.b.node)}:${l.b.iface}`].sort();
  return ends.join(' — ');
}

/** Interface fields that configure how a node networks (VLAN membership included). */
const IFACE_EXTRA_KEYS = ['vlan_tag', 'vlan_dev', 'vlan_type'];

/** Whether an interface is the loopback every stack has anyway (IMUNES files list it, .vnet may not). */
function isDefaultLoopback(f: InterfaceDoc): boolean {
  return f.type === 'lo' && f.ipv4.every((a) => a.startsWith('127.')) && (f.up ?? true);
}

/**
 * A node's configuration in a canonical form, so an equal configuration compares equal
 * however it was saved (.vnet or .imn, interfaces and routes in any order).
 */
function configOf(n: NodeDoc): string {
  const ifaces = n.interfaces.filter((f) => !isDefaultLoopback(f)).map((f) => ({
    name: f.name,
    mac: f.mac?.toLowerCase() ?? null,
    ipv4: [...f.ipv4].sort(),
    mtu: f.mtu ?? 1500,
    up: f.up ?? true,
    vlan: IFACE_EXTRA_KEYS.map((k) => String(f.extra?.[k] ?? '')),
  })).sort((a, b) => a.name.localeCompare(b.name));
  const routes = n.routes4.map((r) => `${r.dest} ${r.gateway}`).sort();
  return JSON.stringify({ ifaces, routes, forwarding: n.forwarding ?? defaultForwarding(n.kind), vlanFiltering: String(n.extra?.vlan_filtering ?? '') });
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
