// Retransmissions are explained in the traffic record (issue 14): every TCP data segment a
// sender puts on the wire again carries why on its tx event ("retransmitted: 3 duplicate
// ACKs", "retransmitted: RTO expired", "retransmitted: SACK recovery"), and no first
// transmission does. Checked against the segments' own sequence numbers.
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import type { TrafficEvent } from '../../src/emulator/engine/protocol';
import { runCommand } from '../../src/emulator/shell';
import { tcpAccept, tcpClose, tcpConnect, tcpListen, tcpRecv, tcpSend, type TcpConn } from '../../src/emulator/stack/tcp';
import { hostRouterHost } from './topologies';

function transfer(sack: boolean, lossPercent: number, seed: number): TrafficEvent[] {
  const w = new World(hostRouterHost({ bandwidthBps: 10_000_000, delayUs: 5000, lossPercent }), { seed, traceCapacity: 1 << 16 });
  if (!sack) runCommand(w, 'pc1', 'sysctl net.inet.tcp.sack.enable=0');
  const pc1 = w.nodeByName('pc1')!.stack!;
  const pc2 = w.nodeByName('pc2')!.stack!;
  let got = 0;
  const l = tcpListen(pc2, 5001, 4, () => {
    const c: TcpConn | null = tcpAccept(l as never, {
      readable: () => {
        for (let d = tcpRecv(c!); d !== null && d.length > 0; d = tcpRecv(c!)) got += d.length;
      },
    });
  });
  const total = 400_000;
  let sent = 0;
  const chunk = new Uint8Array(16384);
  const pump = (): void => {
    while (sent < total) {
      const n = tcpSend(c, chunk.subarray(0, Math.min(chunk.length, total - sent)));
      if (typeof n !== 'number' || n === 0) return;
      sent += n;
    }
    tcpClose(c);
  };
  const c = tcpConnect(pc1, (10 << 24) | (1 << 8) | 20, 5001, { connected: pump, writable: pump }) as TcpConn;
  const events: TrafficEvent[] = [];
  for (let t = 0; t < 60 && got < total; t++) {
    w.sim.runUntil(w.sim.now() + 1e9);
    events.push(...w.drainTraffic(1 << 16).events);
  }
  expect(got).toBe(total);
  return events.filter((e) => e.action === 'tx' && e.node === w.nodeByName('pc1')!.id && e.proto === 'tcp');
}

/** Each data segment's sequence number from the tshark-like summary (absolute numbers). */
function seqOf(e: TrafficEvent): { seq: number; len: number } {
  const m = /Seq=(\d+) .*Len=(\d+)/.exec(e.summary)!;
  return { seq: Number(m[1]), len: Number(m[2]) };
}

function check(txs: TrafficEvent[]): Map<string, number> {
  const seen = new Set<number>();
  const reasons = new Map<string, number>();
  for (const e of txs) {
    const { seq, len } = seqOf(e);
    if (len === 0 && !/\[(SYN|FIN)/.test(e.summary)) {
      expect(e.reason, e.summary).toBeUndefined();
      continue;
    }
    const again = seen.has(seq);
    seen.add(seq);
    if (again) {
      expect(e.reason, e.summary).toMatch(/^retransmitted: /);
      reasons.set(e.reason!, (reasons.get(e.reason!) ?? 0) + 1);
    } else expect(e.reason, e.summary).toBeUndefined();
  }
  return reasons;
}

describe('retransmissions explained in the traffic record', () => {
  it('SACK recovery and RTOs name themselves on 2% loss', () => {
    const reasons = check(transfer(true, 2, 3));
    expect(reasons.get('retransmitted: SACK recovery') ?? 0).toBeGreaterThan(0);
    expect([...reasons.keys()].every((r) => r === 'retransmitted: SACK recovery' || r === 'retransmitted: RTO expired')).toBe(true);
  });

  it('NewReno without SACK: fast retransmits after 3 duplicate ACKs and partial ACKs', () => {
    const reasons = check(transfer(false, 2, 3));
    expect(reasons.get('retransmitted: 3 duplicate ACKs') ?? 0).toBeGreaterThan(0);
    expect([...reasons.keys()].every((r) => /^retransmitted: (3 duplicate ACKs|partial ACK in fast recovery|RTO expired)$/.test(r))).toBe(true);
  });
});
