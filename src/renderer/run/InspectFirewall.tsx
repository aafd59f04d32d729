// Inspect tab, firewall part: the node's ipfw rules with live counters (as `ipfw show`),
// the number of dynamic states, each NAT instance's links (original ↔ alias) and the
// dummynet pipes and queues with queue and drop counters, from inspect/node's capped lists.
import type { FirewallSnapshot } from '../../emulator/engine/protocol';
import { Table } from './InspectTable';

const more = (n: number, what: string): string | undefined => (n > 0 ? `${n} more ${what} not shown` : undefined);

/** Bandwidth as ipfw pipe show prints it: unlimited, bit/s, Kbit/s or Mbit/s. */
export function rateText(bps: number): string {
  if (bps === 0) return 'unlimited';
  if (bps >= 1_000_000 && bps % 1_000_000 === 0) return `${bps / 1_000_000} Mbit/s`;
  if (bps >= 1000 && bps % 1000 === 0) return `${bps / 1000} Kbit/s`;
  return `${bps} bit/s`;
}

export function InspectFirewall({ fw }: { fw: FirewallSnapshot }) {
  return (
    <>
      <Table title={`Firewall rules${fw.enabled ? '' : ' (disabled)'} — ${fw.states} dynamic state${fw.states === 1 ? '' : 's'}`} head={['Rule', 'Packets', 'Bytes', 'Action and body']}
        rows={fw.rules.map((r) => [String(r.num).padStart(5, '0'), String(r.packets), String(r.bytes), r.text])} numeric={[1, 2]} note={more(fw.moreRules, 'rules')} />
      {fw.nats.map((n) => (
        <Table key={n.n} title={`NAT ${n.n}: alias ${n.alias || '(no address)'}`} head={['Proto', 'Original', 'Alias', 'Remote', 'Expires']}
          rows={n.links.map((l) => [l.proto, l.original, l.alias, l.remote, l.expiresInNs === null ? 'permanent' : `${Math.ceil(l.expiresInNs / 1e9)} s`])} note={more(n.moreLinks, 'links')} />
      ))}
      {fw.moreNats > 0 ? <div className="run-muted">{more(fw.moreNats, 'NAT instances')}</div> : null}
      {fw.pipes.length > 0 ? (
        <Table title="Pipes (dummynet)" head={['Pipe', 'Bandwidth', 'Delay', 'Queue', 'PLR', 'Queued', 'Queued bytes', 'Total pkts', 'Total bytes', 'Drops']}
          rows={fw.pipes.map((p) => [String(p.n), rateText(p.bandwidthBps), `${p.delayNs / 1e6} ms`, p.queueBytes ? `${p.queueMax} B` : `${p.queueMax} pkts`, (p.plrPpm / 1e6).toString(),
            String(p.queued), String(p.queuedBytes), String(p.totPackets), String(p.totBytes), String(p.drops)])} numeric={[5, 6, 7, 8, 9]} note={more(fw.morePipes, 'pipes')} />
      ) : null}
      {fw.queues !== undefined && fw.queues.length > 0 ? (
        <Table title="Queues (dummynet, WF2Q+ by weight)" head={['Queue', 'Pipe', 'Weight', 'Queue', 'PLR', 'Queued', 'Queued bytes', 'Total pkts', 'Total bytes', 'Drops']}
          rows={fw.queues.map((q) => [String(q.n), String(q.pipe), String(q.weight), q.queueBytes ? `${q.queueMax} B` : `${q.queueMax} pkts`, (q.plrPpm / 1e6).toString(),
            String(q.queued), String(q.queuedBytes), String(q.totPackets), String(q.totBytes), String(q.drops)])} numeric={[5, 6, 7, 8, 9]} />
      ) : null}
    </>
  );
}
