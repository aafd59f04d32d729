// While the network runs, the only document edits that reach the engine are link
// parameters and link up/down: this module diffs two documents into those engine requests
// (the editor locks every other edit). Pure; must not send anything itself.
import type { EngineRequest } from '../../emulator/engine/protocol';
import type { LinkDoc, LinkParams, TopologyDoc } from '../../emulator/topology/document';

type LinkRequest = Extract<EngineRequest, { type: 'link/set-params' | 'link/set-up' }>;

function sameParams(x: LinkParams | undefined, y: LinkParams | undefined): boolean {
  if (x === y) return true;
  if (!x || !y) return false;
  return (Object.keys(x) as (keyof LinkParams)[]).every((k) => x[k] === y[k]);
}

export function linkRequests(prev: TopologyDoc, next: TopologyDoc): LinkRequest[] {
  if (prev.links === next.links) return [];
  const before = new Map(prev.links.map((l) => [l.id, l]));
  const out: LinkRequest[] = [];
  for (const l of next.links) {
    const p = before.get(l.id);
    if (!p || p === l) continue;
    const baBefore = p.paramsBA ?? p.params;
    const baNext = l.paramsBA ?? l.params;
    const abChanged = !sameParams(p.params, l.params);
    const baChanged = !sameParams(baBefore, baNext);
    if (abChanged && baChanged && sameParams(l.params, baNext)) {
      out.push({ type: 'link/set-params', link: l.id, params: l.params, direction: 'both' });
    } else {
      if (abChanged) out.push({ type: 'link/set-params', link: l.id, params: l.params, direction: 'ab' });
      if (baChanged) out.push({ type: 'link/set-params', link: l.id, params: baNext, direction: 'ba' });
    }
    if ((p.up ?? true) !== (l.up ?? true)) out.push({ type: 'link/set-up', link: l.id, up: l.up ?? true });
  }
  return out;
}

/** The document with one link's parameters changed in both directions (run-mode edits). */
export function withLinkParams(doc: TopologyDoc, linkId: string, partial: Partial<LinkParams>): TopologyDoc {
  return {
    ...doc,
    links: doc.links.map((l): LinkDoc => {
      if (l.id !== linkId) return l;
      const next: LinkDoc = { ...l, params: { ...l.params, ...partial } };
      if (l.paramsBA) next.paramsBA = { ...l.paramsBA, ...partial };
      return next;
    }),
  };
}

export function withLinkUp(doc: TopologyDoc, linkId: string, up: boolean): TopologyDoc {
  return { ...doc, links: doc.links.map((l) => (l.id === linkId ? { ...l, up } : l)) };
}
