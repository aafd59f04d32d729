// Run store against the real Engine over an in-memory port (no fakes): start, shell ping,
// capture with summaries, stop. Proves the renderer glue speaks the engine's protocol.
import { afterEach, describe, expect, it } from 'vitest';
import { disposeRealEngine, pcRouterPc, storeOnRealEngine as setup } from './real-engine.test-util';
import { journeyKey, journeyLabel } from './timeline';

afterEach(disposeRealEngine);

describe('run store with the real engine', () => {
  it('pings through a router from a shell and captures the echo exchange', async () => {
    const { store, settle } = setup();
    await store.getState().start(pcRouterPc());
    expect(store.getState().status).toBe('running');
    await store.getState().setSpeed('max');
    const cap = await store.getState().startCapture({ kind: 'link', link: 'l1' });
    expect(cap).not.toBeNull();
    const session = (await store.getState().openShell('n0'))!;
    await store.getState().exec(session, 'ping -c 3 10.0.1.20');
    for (let i = 0; i < 10 && !/packets received/.test(store.shells.transcript(session)); i++) await settle();
    const text = store.shells.transcript(session);
    expect(text.match(/bytes from 10\.0\.1\.20/g)?.length).toBe(3);
    expect(text).toMatch(/3 packets transmitted, 3 packets received/);
    const rows = store.captureMap.get(cap!)!.rows;
    expect(rows.some((r) => r.proto === 'icmp' && /request/i.test(r.info))).toBe(true);
    expect(rows.some((r) => r.proto === 'icmp' && /reply/i.test(r.info))).toBe(true);
    expect(store.getState().clock!.nowNs).toBeGreaterThan(2e9);
    await store.getState().inspect('n0');
    expect(store.getState().snapshot?.arp.some((a) => a.ip === '10.0.0.1')).toBe(true);
    const exp = await store.getState().exportCapture(cap!, 'pcap');
    expect(exp!.bytes.length).toBeGreaterThan(24 + rows.length * 16);
    await store.getState().stop();
    expect(store.getState().status).toBe('stopped');
  });

  it('follows a packet: its nodes and links, which shrink when the run steps back', async () => {
    const { store, settle } = setup();
    await store.getState().start(pcRouterPc());
    await store.getState().setSpeed('max');
    const session = (await store.getState().openShell('n0'))!;
    await store.getState().exec(session, 'ping -c 1 10.0.1.20');
    for (let i = 0; i < 10 && !/packets received/.test(store.shells.transcript(session)); i++) await settle();
    await store.getState().pause();
    const reply = store.timeline.all().find((e) => /Echo \(ping\) reply/.test(e.summary))!;
    store.getState().follow(journeyKey(reply), journeyLabel(reply));
    expect(store.getState().journey).toMatchObject({ label: expect.stringMatching(/^Echo \(ping\) reply\s+id=0x[0-9a-f]+, seq=0\/0$/) });
    expect([...store.getState().journey!.nodes].sort()).toEqual(['n0', 'n1', 'n2']);
    expect([...store.getState().journey!.links].sort()).toEqual(['l0', 'l1']);
    // Back to before the router forwarded the reply: it has only crossed l1 to router1.
    const last = store.timeline.all().filter((e) => e.node === 'n1' && e.action === 'rx' && /reply/.test(e.summary)).at(-1)!;
    const after = store.timeline.all().length - store.timeline.indexOf(last);
    await store.getState().stepBack(after);
    await settle();
    expect([...store.getState().journey!.nodes].sort()).toEqual(['n2']);
    expect(store.getState().journey!.links).toEqual(['l1']);
    store.getState().follow(null);
    expect(store.getState().journey).toBeNull();
    await store.getState().stop();
  });

  it('steps back to before a live link change and reports the link as it was then', async () => {
    const { store, settle } = setup();
    await store.getState().start(pcRouterPc());
    await store.getState().setSpeed('max');
    const session = (await store.getState().openShell('n0'))!;
    await store.getState().exec(session, 'ping -c 1 10.0.1.20');
    for (let i = 0; i < 10 && !/packets received/.test(store.shells.transcript(session)); i++) await settle();
    const before = store.timeline.all().length;
    await store.getState().setLinkUp('l1', false);
    await store.getState().exec(session, 'ping -c 1 10.0.1.20');
    for (let i = 0; i < 40 && (store.shells.transcript(session).match(/packets transmitted/g) ?? []).length < 2; i++) await settle();
    await store.getState().pause();
    expect(store.timeline.all().length).toBeGreaterThan(before);
    await store.getState().stepBack(store.timeline.all().length - before + 1);
    await settle();
    expect(store.getState().rewoundLinks?.links).toEqual([expect.objectContaining({ link: 'l1', up: true })]);
    await store.getState().stop();
  });
});
