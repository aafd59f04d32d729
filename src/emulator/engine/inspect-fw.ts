// Read-only snapshot of a node's firewall for the inspector: rules with counters (as
// `ipfw show`), live dynamic states, NAT instances with their links (alias ↔ original) and
// dummynet pipes with queue/drop counters. Bounded: at most FW_SNAPSHOT_ROWS rows per list,
// with how many more there are. Never mutates the firewall (expired entries are skipped, not removed).

import { formatIpv4 } from '../wire/addr';
import { protoText, ruleBody } from '../stack/ipfw/format';
import { natAliasAddr } from '../stack/ipfw/nat';
import type { Firewall, NatInstance, NatLink } from '../stack/ipfw/types';
import type { NetStack } from '../stack/types';
import type { FirewallSnapshot, FwNatSnapshot } from './protocol';

/** Rows per list (rules, NAT links per instance, pipes, NAT instances). */
export const FW_SNAPSHOT_ROWS = 200;

function ep(addr: number, port: number): string {
  return port > 0 ? `${formatIpv4(addr)}:${port}` : formatIpv4(addr);
}

function natLinkRow(l: NatLink, nowNs: number): FwNatSnapshot['links'][number] {
  return {
    proto: protoText(l.proto),
    original: ep(l.localAddr, l.localPort),
    alias: ep(l.aliasAddr, l.aliasPort),
    remote: l.remoteAddr === 0 && l.remotePort === 0 ? '*' : ep(l.remoteAddr, l.remotePort),
    expiresInNs: l.permanent ? null : Math.max(0, l.expiresNs - nowNs),
  };
}

function natRow(stack: NetStack, nat: NatInstance, nowNs: number): FwNatSnapshot {
  const links: FwNatSnapshot['links'] = [];
  let total = 0;
  for (const l of nat.out.values()) {
    if (!l.permanent && l.expiresNs <= nowNs) continue;
    total++;
    if (links.length < FW_SNAPSHOT_ROWS) links.push(natLinkRow(l, nowNs));
  }
  const alias = natAliasAddr(stack, nat);
  return { n: nat.n, config: nat.configText, alias: alias === 0 ? '' : formatIpv4(alias), links, moreLinks: total - links.length };
}

export function firewallSnapshot(stack: NetStack, fw: Firewall, nowNs: number): FirewallSnapshot {
  const rules = fw.rules.slice(0, FW_SNAPSHOT_ROWS).map((r) => ({ num: r.num, packets: r.packets, bytes: r.bytes, text: ruleBody(r) }));
  let states = 0;
  for (const s of fw.states.values()) if (s.expiresNs > nowNs) states++;
  const nats = [...fw.nats.values()].sort((a, b) => a.n - b.n);
  const pipes = [...fw.pipes.values()].sort((a, b) => a.n - b.n);
  return {
    enabled: fw.enabled,
    rules,
    moreRules: fw.rules.length - rules.length,
    states,
    nats: nats.slice(0, FW_SNAPSHOT_ROWS).map((n) => natRow(stack, n, nowNs)),
    moreNats: Math.max(0, nats.length - FW_SNAPSHOT_ROWS),
    pipes: pipes.slice(0, FW_SNAPSHOT_ROWS).map((p) => {
      let queued = 0;
      let queuedBytes = 0;
      p.pendingEndNs.forEach((end, k) => {
        if (end > nowNs) {
          queued++;
          queuedBytes += p.pendingBytes[k];
        }
      });
      return { n: p.n, bandwidthBps: p.bandwidthBps, delayNs: p.delayNs, queueMax: p.queueMax, queueBytes: p.queueBytes, plrPpm: p.plrPpm, queued, queuedBytes, totPackets: p.totPackets, totBytes: p.totBytes, drops: p.drops };
    }),
    morePipes: Math.max(0, pipes.length - FW_SNAPSHOT_ROWS),
    queues: [...fw.queues.values()]
      .sort((a, b) => a.n - b.n)
      .slice(0, FW_SNAPSHOT_ROWS)
      .map((q) => ({ n: q.n, pipe: q.pipe, weight: q.weight, queueMax: q.queueMax, queueBytes: q.queueBytes, plrPpm: q.plrPpm, queued: q.pkts.length, queuedBytes: q.qBytes, totPackets: q.totPackets, totBytes: q.totBytes, drops: q.drops })),
  };
}
