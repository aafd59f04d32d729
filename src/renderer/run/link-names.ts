// Names a person reads for links in run mode (Events, menus, capture tabs): a link by its
// endpoints (`router1:eth1 — switch2:eth0`), and link parameters with their units
// (`delay 5 ms`, `loss 100 %`). Pure; never the link id, which means nothing to a reader.
import type { LinkParams, TopologyDoc } from '../../emulator/topology/document';

/** `router1:eth1 — switch2:eth0`, or the id when the document does not know the link. */
export function linkLabel(doc: TopologyDoc | null, linkId: string): string {
  const l = doc?.links.find((x) => x.id === linkId);
  if (!doc || !l) return `link ${linkId}`;
  const name = (id: string) => doc.nodes.find((n) => n.id === id)?.name ?? id;
  return `${name(l.a.node)}:${l.a.iface} — ${name(l.b.node)}:${l.b.iface}`;
}

const num = (v: number) => String(Math.round(v * 1000) / 1000);

function bandwidth(bps: number): string {
  if (bps <= 0) return 'unlimited';
  if (bps >= 1e9 && bps % 1e7 === 0) return `${num(bps / 1e9)} Gb/s`;
  if (bps >= 1e6) return `${num(bps / 1e6)} Mb/s`;
  if (bps >= 1e3) return `${num(bps / 1e3)} kb/s`;
  return `${bps} b/s`;
}

function micros(us: number): string {
  return us >= 1000 || us === 0 ? `${num(us / 1000)} ms` : `${us} µs`;
}

/** One parameter as a reader says it: `loss 100 %`, `delay 5 ms`, `bandwidth 10 Mb/s`. */
export function describeLinkParam<K extends keyof LinkParams>(key: K, value: LinkParams[K]): string {
  switch (key) {
    case 'bandwidthBps': return `bandwidth ${bandwidth(value)}`;
    case 'delayUs': return `delay ${micros(value)}`;
    case 'jitterUs': return `jitter ${micros(value)}`;
    case 'lossPercent': return `loss ${num(value)} %`;
    case 'berOneIn': return value > 0 ? `bit errors 1 in ${value}` : 'no bit errors';
    case 'dupPercent': return `duplicates ${num(value)} %`;
    case 'queuePackets': return `queue ${value} packets`;
    default: return `${String(key)} ${String(value)}`;
  }
}

/** The parameters that changed, in units: `delay 5 ms, loss 100 %`. */
export function describeLinkParams(params: Partial<LinkParams>, before?: LinkParams): string {
  const keys = (Object.keys(params) as (keyof LinkParams)[]).filter((k) => params[k] !== undefined && (!before || before[k] !== params[k]));
  return keys.map((k) => describeLinkParam(k, params[k]!)).join(', ') || 'unchanged';
}

export const DIRECTION_TEXT = { ab: ' (one way, first to second)', ba: ' (one way, second to first)', both: '' } as const;
