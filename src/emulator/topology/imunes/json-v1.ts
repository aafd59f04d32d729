// Normalizes IMUNES JSON generations to the 3.x shape: the early JSON v1 (GUI fields
// inside nodes, top-level canvases/annotations, pseudo-node pairs for cross-canvas
// links) and 3.x itself (checked and defaulted). Pure data reshaping, no validation.

import { isObj, objOf, str, type Json3, type JsonObj } from './json3-model';

const GUI_NODE_FIELDS = ['canvas', 'iconcoords', 'labelcoords'] as const;

export function normalizeJson3(raw: JsonObj): Json3 {
  const gui = objOf(raw.gui);
  return {
    ...raw,
    nodes: objOf(raw.nodes) as Record<string, JsonObj>,
    links: objOf(raw.links) as Record<string, JsonObj>,
    options: objOf(raw.options),
    gui: {
      ...gui,
      canvases: objOf(gui.canvases) as Record<string, JsonObj>,
      links: objOf(gui.links) as Record<string, JsonObj>,
      nodes: objOf(gui.nodes) as Record<string, JsonObj>,
      ...(isObj(gui.annotations) ? { annotations: gui.annotations as Record<string, JsonObj> } : {}),
    },
  };
}

export function normalizeJsonV1(raw: JsonObj): Json3 {
  const out: Json3 = { nodes: {}, links: {}, options: { version: '2' }, gui: { canvases: objOf(raw.canvases) as Record<string, JsonObj>, links: {}, nodes: {} } };
  const { version: _v, ...guiOptions } = objOf(raw.options);
  if (Object.keys(guiOptions).length) out.gui.options = guiOptions;
  if (isObj(raw.annotations)) out.gui.annotations = raw.annotations as Record<string, JsonObj>;
  const pseudo = new Map<string, JsonObj>();
  for (const [id, n] of Object.entries(objOf(raw.nodes))) {
    const node = { ...objOf(n) };
    const gui: JsonObj = {};
    if (node.type === 'pseudo') {
      pseudo.set(id, node);
      continue;
    }
    for (const f of GUI_NODE_FIELDS) {
      if (node[f] !== undefined) gui[f] = node[f];
      delete node[f];
    }
    gui.label = node.name ?? id;
    out.nodes[id] = node;
    out.gui.nodes[id] = gui;
  }
  mergeLinks(objOf(raw.links), pseudo, out);
  return out;
}

function mergeLinks(links: JsonObj, pseudo: Map<string, JsonObj>, out: Json3): void {
  const done = new Set<string>();
  for (const [id, l0] of Object.entries(links)) {
    if (done.has(id)) continue;
    done.add(id);
    const l = { ...objOf(l0) };
    const gui: JsonObj = { peers: l.peers };
    for (const f of ['color', 'width'] as const) {
      if (l[f] !== undefined) gui[f] = l[f];
      delete l[f];
    }
    const peers = (str(l.peers) ?? '').split(/\s+/);
    const ifcs = (str(l.peers_ifaces) ?? '').split(/\s+/);
    const pi = peers.findIndex((p) => pseudo.has(p));
    const mateId = str(l.mirror);
    const mate = mateId && mateId !== id && !done.has(mateId) ? objOf(links[mateId]) : {};
    const mp = (str(mate.peers) ?? '').split(/\s+/);
    const mi = (str(mate.peers_ifaces) ?? '').split(/\s+/);
    const mpi = mp.findIndex((p) => pseudo.has(p));
    // Only a well-formed pair merges (each half: one pseudo peer and one real one). Anything
    // else stays as written, and the pseudo peer is then reported as a dangling link peer.
    if (pi >= 0 && mpi >= 0 && peers.length === 2 && mp.length === 2 && !pseudo.has(peers[1 - pi]!) && !pseudo.has(mp[1 - mpi]!)) {
      done.add(mateId!);
      const a = { node: peers[1 - pi]!, ifc: ifcs[1 - pi]!, p: pseudo.get(peers[pi]!)! };
      const b = { node: mp[1 - mpi]!, ifc: mi[1 - mpi]!, p: pseudo.get(mp[mpi]!)! };
      delete l.mirror;
      l.peers = `${a.node} ${b.node}`;
      l.peers_ifaces = `${a.ifc} ${b.ifc}`;
      gui.peers = l.peers;
      const ka = `${a.node}.${a.ifc}`;
      const kb = `${b.node}.${b.ifc}`;
      const pg = (p: JsonObj) => ({ iconcoords: p.iconcoords, labelcoords: p.labelcoords, canvas: p.canvas });
      out.gui.nodes[ka] = { mirror: kb, link: `${id}.${ka}`, ...pg(a.p) };
      out.gui.nodes[kb] = { mirror: ka, link: `${id}.${kb}`, ...pg(b.p) };
      out.gui.links[`${id}.${ka}`] = { peers: `${ka} ${a.node}`, mirror: `${id}.${kb}` };
      out.gui.links[`${id}.${kb}`] = { peers: `${kb} ${b.node}`, mirror: `${id}.${ka}` };
      relink(out, a.node, a.ifc, id);
      relink(out, b.node, b.ifc, id);
    }
    out.links[id] = l;
    out.gui.links[id] = gui;
  }
}

function relink(out: Json3, node: string, ifc: string, linkId: string): void {
  const i = objOf(objOf(out.nodes[node]).ifaces)[ifc];
  if (isObj(i)) i.link = linkId;
}
