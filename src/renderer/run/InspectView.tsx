// Inspect tab: the selected node's interfaces (with counters), ARP cache, routing table,
// switch MAC table, firewall (rules, NAT, pipes), services (DHCP leases) and named's DNS cache from inspect/node, refreshed every 500 ms while running. Read-only:
// must not change the node (its shell does).
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { RunStore } from './run-store';
import { InspectFirewall } from './InspectFirewall';
import { Table } from './InspectTable';

export const INSPECT_REFRESH_MS = 500;
/** One empty list (a fresh [] per render would make the selector loop before a document is loaded). */
const NO_NODES: never[] = [];

export function InspectView({ store }: { store: RunStore }) {
  const nodeId = useStore(store, (s) => s.inspectNodeId);
  const snap = useStore(store, (s) => s.snapshot);
  const status = useStore(store, (s) => s.status);
  const nodes = useStore(store, (s) => s.doc?.nodes ?? NO_NODES);

  useEffect(() => {
    if (!nodeId || status !== 'running') return;
    const t = setInterval(() => void store.getState().inspect(nodeId), INSPECT_REFRESH_MS);
    return () => clearInterval(t);
  }, [store, nodeId, status]);

  return (
    <div className="run-inspect" data-testid="inspect">
      <div className="run-inspect-bar">
        Node:{' '}
        <select value={nodeId ?? ''} onChange={(e) => void store.getState().inspect(e.target.value || null)} data-testid="inspect-node">
          <option value="">(click a node)</option>
          {nodes.map((n) => (
            <option key={n.id} value={n.id}>{n.name}</option>
          ))}
        </select>
        {snap ? <span className="run-muted"> {snap.kind}{snap.forwarding ? ', forwarding' : ''}</span> : null}
      </div>
      {snap ? (
        <div className="run-inspect-grid">
          <Table title="Interfaces" head={['Name', 'MAC', 'IPv4', 'MTU', 'State', 'RX pkts', 'RX bytes', 'TX pkts', 'TX bytes', 'Drops']}
            rows={snap.interfaces.map((i) => [i.name, i.mac ?? '', i.ipv4.join(' '), String(i.mtu), `${i.up ? 'UP' : 'down'}${i.carrier ? '' : ' no-carrier'}`,
              String(i.counters.rxPackets), String(i.counters.rxBytes), String(i.counters.txPackets), String(i.counters.txBytes), String(i.counters.drops)])} />
          <Table title="ARP cache" head={['IP', 'MAC', 'Interface', 'State', 'Expires']}
            rows={snap.arp.map((a) => [a.ip, a.mac ?? '(incomplete)', a.iface, a.state, a.expiresInNs === null ? 'permanent' : `${(a.expiresInNs / 1e9).toFixed(1)} s`])} />
          <Table title="Routing table" head={['Destination', 'Gateway', 'Flags', 'Interface', 'Origin', 'Age']}
            rows={snap.routes.map((r) => [r.dest, r.gateway ?? 'on-link', r.flags, r.iface, r.origin, formatAge(r.ageNs)])} />
          {snap.stp ? (
            <Table title={`Spanning tree (${snap.stp.protocol.toUpperCase()}): bridge ${snap.stp.bridgeId}, root ${snap.stp.rootId}${snap.stp.rootPort === null ? ' (this bridge)' : ` via ${snap.stp.rootPort}, cost ${snap.stp.rootCost}`}, ${snap.stp.topologyChanges} topology changes`}
              head={['Port', 'Role', 'State', 'Edge', 'Path cost', 'Designated bridge']}
              rows={snap.stp.ports.map((p) => [p.port, p.role, p.state, p.edge ? 'yes' : 'no', String(p.pathCost), p.designatedBridge])} />
          ) : null}
          {snap.macTable ? (
            <Table title="MAC table" head={['VLAN', 'MAC', 'Port', 'Age']} rows={snap.macTable.map((m) => [m.vlan === undefined ? '—' : String(m.vlan), m.mac, m.port, `${(m.ageNs / 1e9).toFixed(1)} s`])} />
          ) : null}
          {snap.firewall ? <InspectFirewall fw={snap.firewall} /> : null}
          {(snap.services ?? []).map((sv) => <Table key={sv.key} title={sv.title} head={sv.columns} rows={sv.rows} />)}
          {snap.dnsCache ? (
            <Table title="DNS zones (named)" head={['Zone', 'Type', 'Serial', 'Records', 'State']} numeric={[2, 3]}
              rows={snap.dnsCache.zones.map((z) => [z.name, z.type, z.serial === null ? '—' : String(z.serial), String(z.records), z.state])} />
          ) : null}
          {snap.dnsCache ? (
            <Table title="DNS cache (named)" head={['Name', 'Type', 'Data', 'TTL']} numeric={[3]}
              rows={snap.dnsCache.rows.map((r) => [r.name, r.type, r.data, `${r.ttlS} s`])}
              note={`${snap.dnsCache.hits} hits, ${snap.dnsCache.misses} misses${snap.dnsCache.more > 0 ? `; ${snap.dnsCache.more} more records not shown` : ''}`} />
          ) : null}
        </div>
      ) : (
        <div className="run-empty">{nodeId ? 'Loading…' : 'Click a node on the canvas to inspect it.'}</div>
      )}
    </div>
  );
}

/** Route age as zebra prints it: hh:mm:ss under a day, then 1d02h03m. */
export function formatAge(ns: number): string {
  const s = Math.floor(ns / 1e9);
  const p = (n: number) => String(n).padStart(2, '0');
  if (s < 86400) return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
  return `${Math.floor(s / 86400)}d${p(Math.floor(s / 3600) % 24)}h${p(Math.floor(s / 60) % 60)}m`;
}
