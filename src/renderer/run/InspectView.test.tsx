// The Inspect tab in happy-dom: a node's firewall rules with counters, dynamic states, NAT
// links and pipes from the snapshot, "N more … not shown" for capped lists, and no firewall
// section for a node without one.
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { summarizeFrame } from '../../emulator/wire/decode';
import type { NodeSnapshot } from '../../emulator/engine/protocol';
import { InspectView } from './InspectView';
import { rateText } from './InspectFirewall';
import { createRunStore } from './run-store';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let root: ReturnType<typeof createRoot> | null = null;
afterEach(() => {
  act(() => root?.unmount());
  document.body.innerHTML = '';
});

const base: NodeSnapshot = { node: 'n1', name: 'r1', kind: 'router', forwarding: true, interfaces: [], arp: [], routes: [] };

function render(snap: NodeSnapshot): HTMLElement {
  const store = createRunStore({ createPort: () => { throw new Error('unused'); }, summarize: summarizeFrame, schedule: (cb) => cb(), nowMs: () => 0 });
  store.setState({ inspectNodeId: 'n1', snapshot: snap });
  const el = document.createElement('div');
  document.body.appendChild(el);
  root = createRoot(el);
  act(() => root!.render(<InspectView store={store} />));
  return el;
}

const section = (el: HTMLElement, title: RegExp) => [...el.querySelectorAll('.run-table')].find((s) => title.test(s.querySelector('h4')!.textContent ?? ''));
const cells = (s: Element | undefined) => [...s!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));

describe('InspectView firewall', () => {
  it('shows rules with counters, states, NAT links, pipes and queues', () => {
    const el = render({
      ...base,
      firewall: {
        enabled: true,
        rules: [{ num: 100, packets: 4, bytes: 336, text: 'count icmp from any to any' }, { num: 65535, packets: 9, bytes: 900, text: 'allow ip from any to any' }],
        moreRules: 0,
        states: 2,
        nats: [{ n: 1, config: 'ipfw nat 1 config if eth1', alias: '10.0.1.2', links: [{ proto: 'icmp', original: '10.0.0.20:7', alias: '10.0.1.2:7', remote: '10.0.2.20', expiresInNs: 59.2e9 }, { proto: 'tcp', original: '10.0.0.80:80', alias: '10.0.1.2:8080', remote: '*', expiresInNs: null }], moreLinks: 3 }],
        moreNats: 0,
        pipes: [{ n: 1, bandwidthBps: 1_000_000, delayNs: 20e6, queueMax: 50, queueBytes: false, plrPpm: 10_000, queued: 3, queuedBytes: 4500, totPackets: 120, totBytes: 180000, drops: 7 }],
        morePipes: 0,
        queues: [{ n: 2, pipe: 1, weight: 30, queueMax: 20, queueBytes: false, plrPpm: 0, queued: 4, queuedBytes: 4000, totPackets: 90, totBytes: 90000, drops: 5 }],
      },
    });
    const rules = section(el, /Firewall rules/)!;
    expect(rules.querySelector('h4')!.textContent).toBe('Firewall rules — 2 dynamic states');
    expect(cells(rules)).toEqual([['00100', '4', '336', 'count icmp from any to any'], ['65535', '9', '900', 'allow ip from any to any']]);
    const nat = section(el, /NAT 1/)!;
    expect(nat.querySelector('h4')!.textContent).toBe('NAT 1: alias 10.0.1.2');
    expect(cells(nat)).toEqual([['icmp', '10.0.0.20:7', '10.0.1.2:7', '10.0.2.20', '60 s'], ['tcp', '10.0.0.80:80', '10.0.1.2:8080', '*', 'permanent']]);
    expect(nat.textContent).toContain('3 more links not shown');
    expect(cells(section(el, /Pipes/))).toEqual([['1', '1 Mbit/s', '20 ms', '50 pkts', '0.01', '3', '4500', '120', '180000', '7']]);
    expect(cells(section(el, /Queues/))).toEqual([['2', '1', '30', '20 pkts', '0', '4', '4000', '90', '90000', '5']]);
  });

  it('says how many rules were left out, and shows no firewall for a node without one', () => {
    const el = render({ ...base, firewall: { enabled: false, rules: [{ num: 1, packets: 0, bytes: 0, text: 'count ip from any to any' }], moreRules: 250, states: 1, nats: [], moreNats: 0, pipes: [], morePipes: 0 } });
    expect(section(el, /Firewall rules/)!.querySelector('h4')!.textContent).toBe('Firewall rules (disabled) — 1 dynamic state');
    expect(el.textContent).toContain('250 more rules not shown');
    expect(section(el, /Pipes/)).toBeUndefined();
    act(() => root!.unmount());
    root = null;
    document.body.innerHTML = '';
    const plain = render(base);
    expect(section(plain, /Firewall/)).toBeUndefined();
    expect(section(plain, /Routing table/)).toBeDefined();
  });

  it('formats pipe bandwidth as ipfw does', () => {
    expect([rateText(0), rateText(1_000_000), rateText(64_000), rateText(1500)]).toEqual(['unlimited', '1 Mbit/s', '64 Kbit/s', '1500 bit/s']);
  });
});

describe('InspectView services', () => {
  it('shows each running service as its own table (dhcpd leases)', () => {
    const el = render({ ...base, services: [{ key: 'dhcpd', title: 'dhcpd leases', columns: ['Address', 'MAC', 'State', 'Expires in'], rows: [['10.0.0.100', '42:00:aa:00:00:01', 'active', '598 s']] }] });
    expect(cells(section(el, /dhcpd leases/))).toEqual([['10.0.0.100', '42:00:aa:00:00:01', 'active', '598 s']]);
  });
});

describe('InspectView DNS cache', () => {
  it("lists named's cache with TTLs left, hits and misses, and says how many rows were left out", () => {
    const el = render({
      ...base,
      dnsCache: {
        zones: [{ name: 'example.lab.', type: 'master', serial: 7, records: 9, state: 'loaded' }, { name: 'hr.', type: 'slave', serial: null, records: 0, state: 'waiting: ECONNREFUSED' }],
        rows: [{ name: 'www.example.lab.', type: 'A', data: '10.0.3.2', ttlS: 40 }, { name: 'nosuch.example.lab.', type: 'ANY', data: 'NXDOMAIN', ttlS: 30 }],
        more: 2,
        hits: 3,
        misses: 5,
      },
    });
    const dns = section(el, /DNS cache/)!;
    expect(cells(dns)).toEqual([['www.example.lab.', 'A', '10.0.3.2', '40 s'], ['nosuch.example.lab.', 'ANY', 'NXDOMAIN', '30 s']]);
    expect(dns.textContent).toContain('3 hits, 5 misses; 2 more records not shown');
    expect(cells(section(el, /DNS zones/))).toEqual([['example.lab.', 'master', '7', '9', 'loaded'], ['hr.', 'slave', '—', '0', 'waiting: ECONNREFUSED']]);
  });

  it('has no DNS section for a node without named', () => {
    expect(section(render(base), /DNS cache/)).toBeUndefined();
  });
});

describe('InspectView spanning tree', () => {
  it('shows an stpswitch\'s root, port roles and states', () => {
    const el = render({
      ...base,
      kind: 'stpswitch',
      stp: {
        protocol: 'rstp',
        bridgeId: '32768.42:00:aa:00:00:03',
        rootId: '32768.42:00:aa:00:00:01',
        rootCost: 20000,
        rootPort: 'e0',
        topologyChanges: 2,
        lastTopologyChangeNs: 1e9,
        ports: [
          { port: 'e0', role: 'root', state: 'forwarding', edge: false, pathCost: 20000, designatedRoot: '32768.42:00:aa:00:00:01', designatedBridge: '32768.42:00:aa:00:00:01' },
          { port: 'e1', role: 'alternate', state: 'discarding', edge: false, pathCost: 20000, designatedRoot: '32768.42:00:aa:00:00:01', designatedBridge: '32768.42:00:aa:00:00:02' },
        ],
      },
    });
    const s = section(el, /Spanning tree/);
    expect(s!.querySelector('h4')!.textContent).toContain('root 32768.42:00:aa:00:00:01 via e0, cost 20000, 2 topology changes');
    expect(cells(s)).toEqual([
      ['e0', 'root', 'forwarding', 'no', '20000', '32768.42:00:aa:00:00:01'],
      ['e1', 'alternate', 'discarding', 'no', '20000', '32768.42:00:aa:00:00:02'],
    ]);
  });
});
