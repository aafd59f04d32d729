import { describe, expect, it } from 'vitest';
import { arpDelete, arpList, ifaceGet } from '../../src/emulator/stack/index';
import { ARP_OP, ArpView } from '../../src/emulator/wire/arp';
import { collectIcmp, sendEcho } from './helpers';
import { hostRouterHost, ip, TestNet } from './harness';

const SEC = 1_000_000_000;

function arpFrames(n: TestNet, node: string) {
  return n.tx
    .filter((t) => t.node === node && t.frame[12] === 0x08 && t.frame[13] === 0x06)
    .map((t) => ({ t, v: new ArpView(t.frame, 14) }));
}

function lan(): TestNet {
  const n = new TestNet();
  n.add('a', false, 1);
  n.add('b', false, 1);
  n.link('a', 0, 'b', 0);
  n.addr('a', 'eth0', '10.0.0.1/24');
  n.addr('b', 'eth0', '10.0.0.2/24');
  n.run(SEC);
  n.tx.length = 0;
  return n;
}

describe('ARP', () => {
  it('resolves, answers, caches and learns from requests addressed to us', () => {
    const n = lan();
    const got = collectIcmp(n.get('a'));
    expect(sendEcho(n.get('a'), ip('10.0.0.2'), 0)).toEqual({ ok: true });
    n.run(SEC);
    expect(got.filter((m) => m.type === 0)).toHaveLength(1);
    const reqs = arpFrames(n, 'a').filter((f) => f.v.op === ARP_OP.REQUEST);
    const reps = arpFrames(n, 'b').filter((f) => f.v.op === ARP_OP.REPLY);
    expect(reqs).toHaveLength(1);
    expect(reps).toHaveLength(1);
    expect(reps[0].v.senderIp).toBe(ip('10.0.0.2'));
    expect(reps[0].v.targetIp).toBe(ip('10.0.0.1'));
    // b learned a from the request, so its echo reply needed no ARP of its own
    expect(arpFrames(n, 'b').filter((f) => f.v.op === ARP_OP.REQUEST)).toHaveLength(0);
    const la = arpList(n.get('a'));
    expect(la).toHaveLength(1);
    expect(la[0].mac).toBe(ifaceGet(n.get('b'), 'eth0')?.mac);
    expect(la[0].text).toMatch(/^\? \(10\.0\.0\.2\) at 42:00:aa:00:00:02 on eth0 expires in 1200 seconds \[ethernet\]$/);
    // cached: a second ping sends no ARP
    sendEcho(n.get('a'), ip('10.0.0.2'), 1);
    n.run(SEC);
    expect(arpFrames(n, 'a')).toHaveLength(1);
    expect(got.filter((m) => m.type === 0)).toHaveLength(2);
  });

  it('expires complete entries after 1200 s and resolves again', () => {
    const n = lan();
    sendEcho(n.get('a'), ip('10.0.0.2'), 0);
    n.run(SEC);
    n.run(1200 * SEC);
    expect(arpList(n.get('a'))).toHaveLength(0);
    sendEcho(n.get('a'), ip('10.0.0.2'), 1);
    n.run(SEC);
    expect(arpFrames(n, 'a').filter((f) => f.v.op === ARP_OP.REQUEST)).toHaveLength(2);
  });

  it('sends a gratuitous ARP when an address is set and updates existing entries from it', () => {
    const n = lan();
    sendEcho(n.get('a'), ip('10.0.0.2'), 0);
    n.run(SEC);
    n.tx.length = 0;
    n.addr('b', 'eth0', '10.0.0.2/24'); // re-set: announces again
    const g = arpFrames(n, 'b');
    expect(g).toHaveLength(1);
    expect(g[0].v.senderIp).toBe(ip('10.0.0.2'));
    expect(g[0].v.targetIp).toBe(ip('10.0.0.2'));
    expect(g[0].t.frame.subarray(0, 6)).toEqual(new Uint8Array([255, 255, 255, 255, 255, 255]));
    n.run(SEC);
    expect(arpList(n.get('a'))[0].expiresInS).toBe(1200);
    // an unrelated host does not create an entry from someone else's announcement
    expect(arpList(n.get('b')).map((e) => e.ip)).toEqual([ip('10.0.0.1')]);
  });

  it('holds up to 16 packets, retries 1/s, gives up after 5 requests: EHOSTDOWN for 20 s', () => {
    const n = lan();
    n.setLinkUp('a', 0, false); // b never hears
    const a = n.get('a');
    for (let i = 0; i < 18; i++) expect(sendEcho(a, ip('10.0.0.2'), i).ok).toBe(true);
    expect(n.dropsOf('arp-queue-full', 'a')).toHaveLength(2);
    n.run(4.5 * SEC);
    expect(arpFrames(n, 'a').filter((f) => f.v.op === ARP_OP.REQUEST)).toHaveLength(5);
    expect(n.dropsOf('arp-timeout', 'a')).toHaveLength(0);
    n.run(SEC);
    expect(n.dropsOf('arp-timeout', 'a')).toHaveLength(16);
    expect(sendEcho(a, ip('10.0.0.2'), 99)).toEqual({ ok: false, errno: 'EHOSTDOWN' });
    n.run(20 * SEC);
    expect(sendEcho(a, ip('10.0.0.2'), 100)).toEqual({ ok: true }); // window over: tries again
    expect(arpFrames(n, 'a').filter((f) => f.v.op === ARP_OP.REQUEST)).toHaveLength(6);
  });

  it('a router reports host unreachable for held packets when ARP gives up', () => {
    const n = hostRouterHost();
    n.setLinkUp('r1', 1, false);
    const got = collectIcmp(n.get('pc1'));
    sendEcho(n.get('pc1'), ip('10.0.1.20'), 0);
    n.run(7 * SEC);
    const un = got.filter((m) => m.type === 3);
    expect(un).toHaveLength(1);
    expect(un[0].code).toBe(1);
    expect(un[0].src).toBe(ip('10.0.0.1'));
    expect(un[0].quoted?.dst).toBe(ip('10.0.1.20'));
    expect(n.dropsOf('arp-timeout', 'r1')).toHaveLength(1);
  });

  it('arp -d deletes an entry, unknown ones are not in table', () => {
    const n = lan();
    sendEcho(n.get('a'), ip('10.0.0.2'), 0);
    n.run(SEC);
    expect(arpDelete(n.get('a'), ip('10.0.0.2')).ok).toBe(true);
    expect(arpList(n.get('a'))).toHaveLength(0);
    const r = arpDelete(n.get('a'), ip('10.0.0.9'));
    expect(r.ok).toBe(false);
  });
});
