// Run store against the real Engine over an in-memory port (no fakes): start, shell ping,
// capture with summaries, stop. Proves the renderer glue speaks the engine's protocol.
import { afterEach, describe, expect, it } from 'vitest';
import { disposeRealEngine, pcRouterPc, storeOnRealEngine as setup } from './real-engine.test-util';

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
});
