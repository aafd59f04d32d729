// Layer-2 loops: links that close a cycle of lanswitches and hubs (parallel links
// included). Neither kind runs STP; a loop floods broadcasts around it until lanswitch
// loop detection (ng_bridge) mutes a port, and a hub-only loop never stops. Pure: reports
// warnings with the closing link's path, never changes the document.

import type { DocIssue } from './doc-issue';
import type { TopologyDoc } from './document';

/** Kinds that bridge frames without STP (stpswitch runs it and is left out). */
const NO_STP_BRIDGES = new Set(['lanswitch', 'hub']);

/** One warning per link that closes a loop of switches/hubs. */
export function layer2Loops(doc: TopologyDoc): DocIssue[] {
  const kind = new Map(doc.nodes.map((n) => [n.id, n] as const));
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== undefined && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const out: DocIssue[] = [];
  doc.links.forEach((l, i) => {
    const a = kind.get(l.a.node);
    const b = kind.get(l.b.node);
    if (!a || !b || !NO_STP_BRIDGES.has(a.kind) || !NO_STP_BRIDGES.has(b.kind)) return;
    const ra = find(a.id);
    const rb = find(b.id);
    if (ra === rb) {
      out.push({
        path: ['links', i],
        message: `link ${l.id} (${a.name}:${l.a.iface} — ${b.name}:${l.b.iface}) closes a layer-2 loop of switches/hubs with no STP: broadcasts will circle it (a lanswitch mutes a looping port for 60 s; a loop of hubs storms until stopped)`,
        severity: 'warning',
      });
    } else parent.set(ra, rb);
  });
  return out;
}
