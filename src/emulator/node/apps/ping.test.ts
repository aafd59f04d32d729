import { describe, expect, it } from 'vitest';
import { fakePort } from './fake-port.test-util';
import { PING_DEFAULTS, startPing, type PingOptions } from './ping';

const DST = 0x0a000115; // 10.0.1.21

function opts(over: Partial<PingOptions> = {}): PingOptions {
  return { dst: DST, hostText: '10.0.1.21', ident: 0x1234, quiet: false, waitTimeSet: false, ...PING_DEFAULTS, ...over };
}

function run(script: Parameters<typeof fakePort>[0], o: Partial<PingOptions>, interruptAtNs?: number) {
  const f = fakePort(script);
  let text = '';
  let code = -1;
  const p = startPing(f.port, opts(o), (t) => (text += t), (c) => (code = c));
  if (interruptAtNs !== undefined) f.sim.schedule(interruptAtNs, () => p.interrupt());
  f.sim.runUntilIdle(100_000);
  return { text, code, f, endNs: f.sim.now() };
}

describe('ping', () => {
  it('prints FreeBSD lines and stops right after the last reply', () => {
    const r = run(() => ({ kind: 'echo', ttl: 63, delayNs: 1_234_000 }), { count: 3 });
    expect(r.text).toBe(
      'PING 10.0.1.21 (10.0.1.21): 56 data bytes\n' +
        '64 bytes from 10.0.1.21: icmp_seq=0 ttl=63 time=1.234 ms\n' +
        '64 bytes from 10.0.1.21: icmp_seq=1 ttl=63 time=1.234 ms\n' +
        '64 bytes from 10.0.1.21: icmp_seq=2 ttl=63 time=1.234 ms\n' +
        '\n--- 10.0.1.21 ping statistics ---\n' +
        '3 packets transmitted, 3 packets received, 0.0% packet loss\n' +
        'round-trip min/avg/max/stddev = 1.234/1.234/1.234/0.000 ms\n',
    );
    expect(r.code).toBe(0);
    expect(r.endNs).toBe(2_001_234_000);
    expect(r.f.sent.map((s) => s.payload.length)).toEqual([64, 64, 64]);
  });

  it('reports timeouts as FreeBSD does and exits 2 with no reply', () => {
    const r = run(() => ({ kind: 'drop' }), { count: 3 });
    expect(r.text).toContain('Request timeout for icmp_seq 0\nRequest timeout for icmp_seq 1\n');
    expect(r.text).not.toContain('icmp_seq 2');
    expect(r.text).toContain('3 packets transmitted, 0 packets received, 100.0% packet loss\n');
    expect(r.text).not.toContain('round-trip');
    expect(r.code).toBe(2);
    // 2 s of sends, 1 s interval, then the 10 s wait time.
    expect(r.endNs).toBe(13_000_000_000);
  });

  it('counts partial loss, duplicates and computes stddev', () => {
    const r = run((s, i) => (i === 1 ? { kind: 'drop' } : i === 2 ? { kind: 'dup', delayNs: 3_000_000 } : { kind: 'echo', delayNs: 1_000_000 }), { count: 4 });
    expect(r.text).toContain('64 bytes from 10.0.1.21: icmp_seq=2 ttl=64 time=3.001 ms (DUP!)\n');
    expect(r.text).toContain('4 packets transmitted, 3 packets received, +1 duplicates, 25.0% packet loss\n');
    expect(r.text).toMatch(/round-trip min\/avg\/max\/stddev = 1\.000\/2\.000\/3\.001\/1\.000 ms/);
    expect(r.code).toBe(0);
  });

  it('prints send errors and still counts the packet', () => {
    const r = run(() => ({ kind: 'errno', errno: 'EHOSTDOWN' }), { count: 2 });
    expect(r.text).toBe(
      'PING 10.0.1.21 (10.0.1.21): 56 data bytes\n' +
        'ping: sendto: Host is down\n' +
        'ping: sendto: Host is down\n' +
        'Request timeout for icmp_seq 0\n' +
        '\n--- 10.0.1.21 ping statistics ---\n' +
        '2 packets transmitted, 0 packets received, 100.0% packet loss\n',
    );
    expect(r.code).toBe(2);
  });

  it('prints ICMP errors about our echo with the quoted header dump', () => {
    const r = run(() => ({ kind: 'error', type: 11, code: 0, from: 0x0a000001 }), { count: 1, ttl: 1 });
    expect(r.text).toContain('36 bytes from 10.0.0.1: Time to live exceeded\nVr HL TOS  Len   ID Flg  off TTL Pro  cks      Src      Dst\n');
    expect(r.text).toContain(' 4  5  00 0054 0000   0 0000  01  01 0000 10.0.0.20  10.0.1.21 \n\n');
    expect(r.f.sent[0].ttl).toBe(1);
    expect(r.code).toBe(2);
  });

  it('ignores errors about other processes', () => {
    const f = fakePort(() => ({ kind: 'error', type: 3, code: 1 }));
    let text = '';
    const other = startPing(f.port, opts({ count: 1, ident: 7, quiet: true }), () => undefined, () => undefined);
    startPing(f.port, opts({ count: 1, ident: 8 }), (t) => (text += t), () => undefined);
    f.sim.runUntilIdle();
    expect(other.stats.transmitted).toBe(1);
    expect(text.match(/Destination Host Unreachable/g)?.length).toBe(1);
  });

  it('interrupt prints the summary at once; -t stops after the timeout', () => {
    const r = run(() => ({ kind: 'echo' }), { count: 0 }, 2_500_000_000);
    expect(r.text).toContain('3 packets transmitted, 3 packets received, 0.0% packet loss');
    expect(r.endNs).toBe(2_500_000_000);
    const t = run(() => ({ kind: 'echo' }), { count: 0, timeoutNs: 4_000_000_000 });
    expect(t.text).toContain('4 packets transmitted, 4 packets received');
    expect(t.endNs).toBe(4_000_000_000);
  });

  it('quiet mode prints only the header and summary; small sizes have no times', () => {
    const q = run(() => ({ kind: 'echo' }), { count: 2, quiet: true });
    expect(q.text.split('\n')[1]).toBe('');
    const s = run(() => ({ kind: 'echo' }), { count: 1, sizeBytes: 4 });
    expect(s.text).toContain('12 bytes from 10.0.1.21: icmp_seq=0 ttl=64\n');
    expect(s.text).not.toContain('round-trip');
  });

  it('-W discards late replies', () => {
    const r = run(() => ({ kind: 'echo', delayNs: 50_000_000 }), { count: 2, waitTimeNs: 10_000_000, waitTimeSet: true });
    expect(r.text).toContain('2 packets transmitted, 0 packets received, 100.0% packet loss, 2 packets out of wait time');
  });

  it('flood: a dot per probe, a backspace per reply, lost probes stay as dots, no timeout lines', () => {
    const r = run((_s, i) => (i === 1 ? { kind: 'drop' } : { kind: 'echo', delayNs: 2_000_000 }), { count: 4, flood: true });
    const body = r.text.slice(r.text.indexOf('\n') + 1, r.text.indexOf('\n---'));
    // Probe 0 answered; probe 1 lost (its dot stays); then one probe per reply or per 10 ms tick.
    expect(body).toBe('.\b..\b.\b');
    expect(r.text).not.toContain('Request timeout');
    expect(r.text).toContain('4 packets transmitted, 3 packets received, 25.0% packet loss');
  });

  it('flood: a full interface queue is not counted and backs off 20 ms, as FreeBSD', () => {
    const r = run((_s, i) => (i < 2 ? { kind: 'errno', errno: 'ENOBUFS' } : { kind: 'echo', delayNs: 1_000_000 }), { count: 1, flood: true });
    expect(r.f.sent.map((s) => s.timeNs)).toEqual([0, 20_000_000, 40_000_000]);
    expect(r.text).not.toContain('sendto');
    expect(r.text).toContain('1 packets transmitted, 1 packets received');
  });

  it('never sends two probes less than 1 ms apart, whatever the interval', () => {
    const r = run(() => ({ kind: 'echo', delayNs: 0 }), { count: 5, intervalNs: 0 });
    expect(r.f.sent.map((s) => s.timeNs)).toEqual([0, 1e6, 2e6, 3e6, 4e6]);
    const f = run(() => ({ kind: 'echo', delayNs: 0 }), { count: 5, flood: true });
    expect(f.f.sent.map((s) => s.timeNs)).toEqual([0, 1e6, 2e6, 3e6, 4e6]);
  });
});
