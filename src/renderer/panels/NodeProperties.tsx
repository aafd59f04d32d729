// Node properties: name, kind, forwarding, each interface (IPv4 and IPv6 addresses with
// prefix, MAC, MTU), the layer-2 kinds' settings (L2Properties), static IPv4 and IPv6 routes and the startup configuration. Every change goes through topology/edit.ts and a refusal
// is shown beside the field.
import { useState } from 'react';
import { defaultForwarding, type NodeDoc, type RouteDoc } from '../../emulator/topology/document';
import { useServices } from '../app-context';
import { iconDataUri } from '../canvas/icons';
import * as A from '../store/editor-actions';
import { Field, parseNumber } from './Field';
import { StartupEditor } from './StartupEditor';
import { L2Properties } from './L2Properties';

const KIND_NAMES: Record<string, string> = { pc: 'PC', host: 'Host', router: 'Router', lanswitch: 'Switch', hub: 'Hub', stpswitch: 'STP switch', filter: 'Filter', packgen: 'Packet generator' };

function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

function Routes({ node, locked, v6 }: { node: NodeDoc; locked: boolean; v6: boolean }) {
  const { docStore } = useServices();
  const [dest, setDest] = useState('');
  const [gw, setGw] = useState('');
  const [error, setError] = useState<string | null>(null);
  const routes = v6 ? node.routes6 : node.routes4;
  const set = (next: RouteDoc[]) => setError(A.setRoutes(docStore, node.id, next, v6));
  return (
    <div className="routes" data-testid={v6 ? 'routes6' : 'routes4'}>
      <h3>{v6 ? 'Static IPv6 routes' : 'Static routes'}</h3>
      {routes.length === 0 && <div className="muted small">{v6 ? 'No static IPv6 routes.' : 'No static routes.'}</div>}
      {routes.map((r, i) => (
        <div className="route-row mono" key={`${r.dest}-${i}`} data-testid={v6 ? 'route6-row' : 'route-row'}>
          <span>{r.dest}</span>
          <span className="muted">via</span>
          <span>{r.gateway}</span>
          <button type="button" className="icon-btn" title="Remove route" disabled={locked} onClick={() => set(routes.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <div className="route-add">
        <input placeholder={v6 ? '::/0' : '0.0.0.0/0'} value={dest} disabled={locked} onChange={(e) => setDest(e.target.value)} className="mono" aria-label={v6 ? 'IPv6 route destination' : 'Route destination'} />
        <input placeholder="gateway" value={gw} disabled={locked} onChange={(e) => setGw(e.target.value)} className="mono" aria-label={v6 ? 'IPv6 route gateway' : 'Route gateway'} />
        <button
          type="button"
          className="small-btn"
          disabled={locked || !dest || !gw}
          onClick={() => {
            const err = A.setRoutes(docStore, node.id, [...routes, { dest: dest.trim(), gateway: gw.trim() }], v6);
            setError(err);
            if (!err) (setDest(''), setGw(''));
          }}
        >
          Add
        </button>
      </div>
      {error && (
        <div className="field-error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

export function NodeProperties({ node, locked }: { node: NodeDoc; locked: boolean }) {
  const { docStore } = useServices();
  const routed = node.kind === 'pc' || node.kind === 'host' || node.kind === 'router';
  const forwarding = node.forwarding ?? defaultForwarding(node.kind);
  return (
    <section className="props" data-testid="node-props">
      <h2 className="node-head">
        <img src={iconDataUri(node.kind)} alt="" width={28} height={28} />
        <span>{node.name}</span>
        <span className="kind-badge">{KIND_NAMES[node.kind] ?? node.kind}</span>
      </h2>
      <Field label="Name" value={node.name} disabled={locked} testId="node-name" commit={(t) => A.renameNode(docStore, node.id, t)} />
      {routed && (
        <label className="check">
          <input type="checkbox" checked={forwarding} disabled={locked} onChange={(e) => A.setForwarding(docStore, node.id, e.target.checked)} data-testid="node-forwarding" />
          IP forwarding
        </label>
      )}
      <h3>Interfaces</h3>
      {node.interfaces.length === 0 && <div className="muted small">No interfaces yet: draw a link to this node.</div>}
      {node.interfaces.map((i) => (
        <div className="iface" key={i.name} data-testid={`iface-${i.name}`}>
          <div className="iface-name mono">{i.name}</div>
          {routed && i.type !== 'lo' && (
            <Field
              label="IPv4 (address/prefix)"
              mono
              value={i.ipv4.join(', ')}
              disabled={locked}
              testId={`iface-${i.name}-ipv4`}
              commit={(t) => A.setAddresses(docStore, node.id, i.name, splitList(t))}
            />
          )}
          {routed && i.type !== 'lo' && (
            <Field
              label="IPv6 (address/prefix)"
              mono
              value={i.ipv6.join(', ')}
              disabled={locked}
              testId={`iface-${i.name}-ipv6`}
              commit={(t) => A.setAddresses6(docStore, node.id, i.name, splitList(t))}
            />
          )}
          {routed && i.type !== 'lo' && (
            <label className="check" title="dhclient asks a DHCP server for this interface's address at Start">
              <input type="checkbox" checked={i.dhcp === true} disabled={locked} onChange={(e) => A.setDhcp(docStore, node.id, i.name, e.target.checked)} data-testid={`iface-${i.name}-dhcp`} />
              Address from DHCP
            </label>
          )}
          {i.type === 'lo' && <div className="mono small">{[...i.ipv4, ...i.ipv6].join(', ')}</div>}
          {i.mac !== undefined && <Field label="MAC" mono value={i.mac} disabled={locked} testId={`iface-${i.name}-mac`} commit={(t) => A.setMac(docStore, node.id, i.name, t)} />}
          {routed && (
            <Field
              label="MTU"
              unit="bytes"
              value={String(i.mtu ?? 1500)}
              disabled={locked}
              testId={`iface-${i.name}-mtu`}
              commit={(t) => {
                const n = parseNumber(t);
                return n === null ? `"${t}" is not a number` : A.setMtu(docStore, node.id, i.name, n);
              }}
            />
          )}
        </div>
      ))}
      <L2Properties node={node} locked={locked} />
      {routed && <Routes node={node} locked={locked} v6={false} />}
      {routed && <Routes node={node} locked={locked} v6 />}
      {routed && (
        <>
          <h3>Startup configuration</h3>
          <StartupEditor node={node} locked={locked} />
        </>
      )}
    </section>
  );
}
