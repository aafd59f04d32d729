// Names a person reads for links in run mode (Events, menus, capture tabs): a link by its
// endpoints (`router1:eth1 — switch2:eth0`), and link parameters with their units
// (`delay 5 ms`, `loss 100 %`). Pure; never the link id, which means nothing to a reader.
import type { LinkParams, TopologyDoc } from '../../emulator/topology/document';
import { formatLinkParam } from '../../emulator/topology/link-text';

/** `router1:eth1 — switch2:eth0`, or the id when the document does not know the link. */
export function linkLabel(doc: TopologyDoc | null, linkId: string): string {
  const l = doc?.links.find((x) => x.id === linkId);
  if (!doc || !l) return `link ${linkId}`;
  const name = (id: string) => doc.nodes.find((n) => n.id === id)?.name ?? id;
  return `${name(l.a.node)}:${l.a.iface} — ${name(l.b.node)}:${l.b.iface}`;
}

/** One parameter as a reader says it (the engine's wording, so Events and logs agree). */
export const describeLinkParam = formatLinkParam;

/** The parameters that changed, in units: `delay 5 ms, loss 100 %`. */
export function describeLinkParams(params: Partial<LinkParams>, before?: LinkParams): string {
  const keys = (Object.keys(params) as (keyof LinkParams)[]).filter((k) => params[k] !== undefined && (!before || before[k] !== params[k]));
  return keys.map((k) => describeLinkParam(k, params[k]!)).join(', ') || 'unchanged';
}

export const DIRECTION_TEXT = { ab: ' (one way, first to second)', ba: ' (one way, second to first)', both: '' } as const;
