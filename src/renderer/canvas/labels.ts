// Text shown on the canvas: node labels, link-end labels (interface name and/or address,
// as IMUNES draws them) and the link's parameter summary with units. Pure functions.
import type { LinkDoc, LinkParams, NodeDoc } from '../../emulator/topology/document';
import type { LabelToggles } from '../store/ui-store';

export function formatBandwidth(bps: number): string {
  if (bps <= 0) return '';
  if (bps >= 1e9 && bps % 1e8 === 0) return `${bps / 1e9} Gb/s`;
  if (bps >= 1e6) return `${+(bps / 1e6).toFixed(2)} Mb/s`;
  if (bps >= 1e3) return `${+(bps / 1e3).toFixed(2)} kb/s`;
  return `${bps} b/s`;
}

export function formatDelayUs(us: number): string {
  if (us <= 0) return '';
  if (us >= 1000) return `${+(us / 1000).toFixed(3)} ms`;
  return `${us} µs`;
}

/** Short summary of non-default parameters: `100 Mb/s · 10 ms · 1% loss`. */
export function linkSummary(p: LinkParams): string {
  const parts = [formatBandwidth(p.bandwidthBps), formatDelayUs(p.delayUs)];
  if (p.jitterUs > 0) parts.push(`±${formatDelayUs(p.jitterUs)}`);
  if (p.lossPercent > 0) parts.push(`${p.lossPercent}% loss`);
  if (p.dupPercent > 0) parts.push(`${p.dupPercent}% dup`);
  if (p.berOneIn > 0) parts.push(`BER 1/${p.berOneIn}`);
  return parts.filter(Boolean).join(' · ');
}

export function nodeLabel(node: NodeDoc, t: LabelToggles): string {
  return t.names ? node.name : '';
}

export function linkEndLabel(node: NodeDoc | undefined, iface: string, t: LabelToggles): string {
  const parts: string[] = [];
  if (t.interfaces) parts.push(iface);
  if (t.addresses) {
    const i = node?.interfaces.find((x) => x.name === iface);
    if (i?.ipv4[0]) parts.push(i.ipv4[0]);
  }
  if (t.ipv6) {
    const i = node?.interfaces.find((x) => x.name === iface);
    if (i?.ipv6[0]) parts.push(i.ipv6[0]);
  }
  // Two short lines fit beside a short link where one long line would not.
  return parts.join('\n');
}

export function linkLabel(link: LinkDoc): string {
  const s = linkSummary(link.params);
  return link.up === false ? (s ? `${s} · down` : 'down') : s;
}

/** A link as a person names it: its two ends, `router1:eth1 — switch2:eth0`. */
export function linkTitle(nodes: readonly NodeDoc[], link: LinkDoc): string {
  const end = (e: LinkDoc['a']) => `${nodes.find((n) => n.id === e.node)?.name ?? e.node}:${e.iface}`;
  return `${end(link.a)} — ${end(link.b)}`;
}
