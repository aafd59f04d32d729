// Resolves IMUNES 2.x links to interface ends (via `ifaces {a b}` or the nodes'
// `interface-peer` lists) and merges pseudo-node pairs (one link drawn on two canvases)
// into one real link, keeping the pseudo drawing as 3.x GUI mirror entries.

import { diag, nameText as q, quoteText, type Diagnostic } from '../diagnostics';
import { setOwn, type Json3, type JsonObj } from './json3-model';
import type { LegacyNode } from './legacy-nodes';

export interface LegacyLinkIn {
  id: string;
  line: number;
  ends: [string, string];
  ifaces?: [string, string];
  mirror?: string;
  fields: JsonObj;
  gui: JsonObj;
}

type End = { node: string; ifc: string };

function pickIface(n: LegacyNode, peer: string, explicit: string | undefined, used: Set<string>): string | undefined {
  if (explicit !== undefined) return n.ifcByName.get(explicit);
  const hit = n.peers.find((p) => p.peer === peer && !used.has(`${n.id}/${p.iface}`));
  return hit ? n.ifcByName.get(hit.iface) : undefined;
}

export function resolveLinks(nodes: LegacyNode[], links: LegacyLinkIn[], json: Json3, file: string, errors: Diagnostic[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  const used = new Set<string>();
  const ends = new Map<string, [End, End]>();
  for (const l of links) {
    const pair: End[] = [];
    for (let k = 0; k < 2; k++) {
      const id = l.ends[k]!;
      const other = l.ends[1 - k]!;
      const n = byId.get(id);
      if (!n) {
        errors.push(diag(file, l.line, `link ${q(l.id)}: no node ${quoteText(id)} (dangling link peer)`));
        continue;
      }
      const ifc = pickIface(n, other, l.ifaces?.[k], used);
      if (!ifc) {
        errors.push(diag(file, l.line, `link ${q(l.id)}: node ${q(id)} has no interface-peer toward ${q(other)}`));
        continue;
      }
      const name = [...n.ifcByName].find(([, v]) => v === ifc)![0];
      used.add(`${id}/${name}`);
      pair.push({ node: id, ifc });
    }
    if (pair.length === 2) ends.set(l.id, [pair[0]!, pair[1]!]);
  }
  const pseudo = new Set(nodes.filter((n) => n.node.type === 'pseudo').map((n) => n.id));
  for (const n of nodes) {
    if (pseudo.has(n.id)) continue;
    setOwn(json.nodes, n.id, n.node);
    setOwn(json.gui.nodes, n.id, n.gui);
  }
  const done = new Set<string>();
  const linkById = new Map(links.map((l) => [l.id, l] as const));
  for (const l of links) {
    const e = ends.get(l.id);
    if (!e || done.has(l.id)) continue;
    done.add(l.id);
    const realA = pseudo.has(e[0].node) ? e[1] : e[0];
    const pA = pseudo.has(e[0].node) ? e[0] : pseudo.has(e[1].node) ? e[1] : null;
    let realB = e[1];
    if (pA) {
      const mate = l.mirror ? linkById.get(l.mirror) : undefined;
      const me = mate && ends.get(mate.id);
      if (!mate || !me) {
        errors.push(diag(file, l.line, `link ${q(l.id)}: pseudo link without its mirror link`));
        continue;
      }
      done.add(mate.id);
      const pB = pseudo.has(me[0].node) ? me[0] : me[1];
      realB = pseudo.has(me[0].node) ? me[1] : me[0];
      addMirror(json, l.id, realA, realB, byId.get(pA.node)!, byId.get(pB.node)!);
    }
    setOwn(json.links, l.id, { peers: `${realA.node} ${realB.node}`, peers_ifaces: `${realA.ifc} ${realB.ifc}`, ...l.fields });
    setOwn(json.gui.links, l.id, { peers: `${realA.node} ${realB.node}`, ...l.gui });
    setIfaceLink(json, realA, l.id);
    setIfaceLink(json, realB, l.id);
  }
}

function setIfaceLink(json: Json3, e: End, linkId: string): void {
  const ifaces = json.nodes[e.node]?.ifaces as Record<string, JsonObj> | undefined;
  if (ifaces?.[e.ifc]) ifaces[e.ifc]!.link = linkId;
}

/** The 3.x GUI form of a link drawn across canvases: one mirror node per real end. */
function addMirror(json: Json3, linkId: string, a: End, b: End, pa: LegacyNode, pb: LegacyNode): void {
  const ka = `${a.node}.${a.ifc}`;
  const kb = `${b.node}.${b.ifc}`;
  json.gui.nodes[ka] = { mirror: kb, link: `${linkId}.${ka}`, ...pseudoGui(pa) };
  json.gui.nodes[kb] = { mirror: ka, link: `${linkId}.${kb}`, ...pseudoGui(pb) };
  json.gui.links[`${linkId}.${ka}`] = { peers: `${ka} ${a.node}`, mirror: `${linkId}.${kb}` };
  json.gui.links[`${linkId}.${kb}`] = { peers: `${kb} ${b.node}`, mirror: `${linkId}.${ka}` };
}

function pseudoGui(p: LegacyNode): JsonObj {
  const { iconcoords, labelcoords, canvas } = p.gui;
  return { iconcoords, labelcoords, canvas };
}
