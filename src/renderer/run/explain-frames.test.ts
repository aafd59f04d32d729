import { afterEach, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../emulator/wire/decode';
import { changedBytes, changedFieldNames, comparable, framesAround } from './explain-frames';
import { disposeRealEngine, pcRouterPc, storeOnRealEngine } from './real-engine.test-util';
import { findField } from './hex-map';
import { compileTimelineText, NO_FILTER } from './timeline';

afterEach(disposeRealEngine);

/** A ping across pcRouterPc's router with explanations on (the app's default), on the real engine. */
async function pinged(count = 1) {
  const { store, settle } = storeOnRealEngine();
  await store.getState().start(pcRouterPc());
  await store.getState().setSpeed('max');
  const session = (await store.getState().openShell('n0'))!;
  await store.getState().exec(session, `ping -c ${count} 10.0.1.20`);
  for (let i = 0; i < 10 && !/packets received/.test(store.shells.transcript(session)); i++) await settle();
  expect(store.shells.transcript(session)).toMatch(new RegExp(`${count} packets received`));
  return store;
}

describe('the packet before and after a decision', () => {
  it('a router: received with TTL 64, forwarded with TTL 63 and a new checksum and MACs', async () => {
    // The second request: the router's ARP cache holds pc2 (the first one's is held for ARP).
    const store = await pinged(2);
    const t = store.timeline;
    const hop = t.all().filter((e) => e.node === 'n1' && e.action === 'rx' && /request/.test(e.summary))[1]!;
    expect(hop.bytes).toBeInstanceOf(Uint8Array);
    const { received, sent } = framesAround(t, hop);
    expect(received).toBe(hop);
    expect(sent?.action).toBe('fwd');
    expect(sent?.iface).toBe('eth1');
    const changed = changedBytes(received!.bytes!, sent!.bytes!);
    const names = changedFieldNames(decodeFrame(sent!.bytes!), changed);
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/^Time to Live/i), expect.stringMatching(/checksum/i), expect.stringMatching(/^Source/i)]));
    expect(names.some((n) => /icmp|sequence|identifier/i.test(n))).toBe(false);
    // TTL is byte 14 + 8; only the IPv4 TTL and header checksum change inside the datagram.
    const ipChanged = [...changed.subarray(14)].flatMap((c, k) => (c ? [k] : []));
    expect(ipChanged).toEqual([8, 10, 11].filter((k) => received!.bytes![14 + k] !== sent!.bytes![14 + k]));
    expect(received!.bytes![22]).toBe(sent!.bytes![22] + 1);
    // Selecting the forward itself gives the same pair.
    expect(framesAround(t, sent!)).toEqual({ received, sent });
    await store.getState().stop();
  });

  it('the destination: received the request, sent the echo reply', async () => {
    const store = await pinged();
    const t = store.timeline;
    const rx = t.all().find((e) => e.node === 'n2' && e.action === 'rx' && /request/.test(e.summary))!;
    const { received, sent } = framesAround(t, rx);
    expect(received).toBe(rx);
    expect(sent?.summary).toMatch(/Echo \(ping\) reply/);
    await store.getState().stop();
  });

  it('the timeline takes the display-filter language on the frames it keeps', async () => {
    const store = await pinged();
    const t = store.timeline;
    const names = (id: string) => store.getState().doc!.nodes.find((n) => n.id === id)?.name ?? id;
    const rows = (text: string) => [...t.filter({ ...NO_FILTER, text }, names)].map((i) => t.at(i)!);
    const fromPc1 = rows('icmp && ip.src==10.0.0.20');
    expect(fromPc1.length).toBeGreaterThan(2);
    expect(fromPc1.every((e) => /request/.test(e.summary))).toBe(true);
    expect(rows('ip.ttl==63 && icmp.type==8').every((e) => e.node !== 'n0')).toBe(true);
    expect(rows('ip.ttl==63 && icmp.type==8').length).toBeGreaterThan(0);
    expect(rows('arp.opcode==1').every((e) => e.proto === 'arp')).toBe(true);
    expect(rows('icmp and router1').every((e) => e.node === 'n1')).toBe(true);
    expect(compileTimelineText('ip.src==999.1.1.1')).toEqual({ ok: false, error: expect.stringMatching(/not an IPv4 address/) });
    await store.getState().stop();
  });
});

describe('a held packet', () => {
  it('the first request at the router: what it sent because of it is the ARP request, not compared byte by byte', async () => {
    const store = await pinged();
    const t = store.timeline;
    const hop = t.all().find((e) => e.node === 'n1' && e.action === 'rx' && /request/.test(e.summary))!;
    const pair = framesAround(t, hop);
    expect(pair.sent?.proto).toBe('arp');
    expect(comparable(pair)).toBe(false);
    await store.getState().stop();
  });
});

describe('a NAT rewrite', () => {
  it('router1 with ipfw nat on eth1: the echo request leaves with its source address and checksums rewritten', async () => {
    const { store, settle } = storeOnRealEngine();
    await store.getState().start(pcRouterPc());
    await store.getState().setSpeed('max');
    const r1 = (await store.getState().openShell('n1'))!;
    for (const line of ['ipfw -q nat 1 config if eth1 same_ports', 'ipfw -q add 100 nat 1 ip from any to any via eth1', 'ipfw -q add 65000 allow ip from any to any']) {
      await store.getState().exec(r1, line);
      await settle();
    }
    const pc1 = (await store.getState().openShell('n0'))!;
    await store.getState().exec(pc1, 'ping -c 2 10.0.1.20');
    for (let i = 0; i < 10 && !/packets received/.test(store.shells.transcript(pc1)); i++) await settle();
    expect(store.shells.transcript(pc1)).toMatch(/2 packets received/);
    const t = store.timeline;
    const hop = t.all().filter((e) => e.node === 'n1' && e.action === 'rx' && /request/.test(e.summary))[1]!;
    const pair = framesAround(t, hop);
    expect(hop.decision!.steps.some((s) => s.kind === 'nat')).toBe(true);
    expect(comparable(pair)).toBe(true);
    const names = changedFieldNames(decodeFrame(pair.sent!.bytes!), changedBytes(pair.received!.bytes!, pair.sent!.bytes!));
    expect(names).toEqual(expect.arrayContaining(['Source Address', 'Time to Live', 'Header Checksum']));
    expect(findField(decodeFrame(pair.sent!.bytes!), 'Source Address')?.value).toBe('10.0.1.1');
    expect(findField(decodeFrame(pair.received!.bytes!), 'Source Address')?.value).toBe('10.0.0.20');
    await store.getState().stop();
  });
});
