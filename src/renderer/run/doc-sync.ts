// While the network runs, the only document edits that reach the engine are link
// parameters and link up/down: this module diffs two documents into those engine requests
// (the editor locks every other edit), and back: a step back's link states into the
// document. Pure; must not send anything itself.
import type { EngineRequest, EngineResults } from '../../emulator/engine/protocol';
import type { TopologyDoc } from '../../emulator/topology/document';
import { sameParams } from '../../emulator/topology/edit';

type LinkRequest = Extract<EngineRequest, { type: 'link/set-params' | 'link/set-up' }>;

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

type RewoundLink = NonNullable<EngineResults['sim/rewind']['links']>[number];

/** `doc` with each link a step back reported as it was then: up or down, parameters each way (one set when both agree). */
export function rewoundLinks(doc: TopologyDoc, links: readonly RewoundLink[]): TopologyDoc {
  const at = new Map(links.map((l) => [l.link, l]));
  if (!doc.links.some((l) => at.has(l.id))) return doc;
  return {
    ...doc,
    links: doc.links.map((link) => {
      const b = at.get(link.id);
      if (!b) return link;
      const { paramsBA: _ba, ...rest } = link;
      return { ...rest, up: b.up, params: b.params, ...(sameParams(b.params, b.paramsBA) ? {} : { paramsBA: b.paramsBA }) };
    }),
  };
}
