import { describe, expect, it } from 'vitest';
// The node process table itself (node/procs.ts): PID order and reuse, its bound, and when a
// socket's owner counts (procs.test.ts drives the same table through the shell).
import { World } from '../../src/emulator/engine/world';
import { udpBind } from '../../src/emulator/stack/udp';
import { endProc, FIRST_PID, liveOwner, newProc, ownUdp, procByPid, procList, PROCS_MAX, runProc, udpOwner } from '../../src/emulator/node/procs';
import { twoPcs } from './topologies';

function pcNode() {
  return new World(twoPcs(), { seed: 1 }).nodes[0];
}

describe('node process table', () => {
  it('gives PIDs in order from FIRST_PID, once, and forgets ended programs', () => {
    const node = pcNode();
    const a = newProc('nc', 'nc -l 80', '0');
    const b = newProc('iperf3', 'iperf3 -s -D', null);
    expect(runProc(node, a, 5, () => {})).toBe(true);
    expect(runProc(node, a, 6, () => {})).toBe(true); // already running: unchanged
    expect(runProc(node, b, 7, () => {})).toBe(true);
    expect([a.pid, a.startedNs, b.pid]).toEqual([FIRST_PID, 5, FIRST_PID + 1]);
    expect(procByPid(node, FIRST_PID + 1)).toBe(b);
    endProc(node, a);
    endProc(node, a);
    expect(procList(node)).toEqual([b]);
    const c = newProc('sleep', 'sleep 9', '0');
    runProc(node, c, 8, () => {});
    expect(c.pid).toBe(FIRST_PID + 2); // PIDs are not reused at once
  });

  it(`refuses program number ${PROCS_MAX + 1}`, () => {
    const node = pcNode();
    for (let k = 0; k < PROCS_MAX; k++) expect(runProc(node, newProc('sleep', 'sleep 1', null), 0, () => {})).toBe(true);
    const extra = newProc('sleep', 'sleep 1', null);
    expect(runProc(node, extra, 0, () => {})).toBe(false);
    expect(extra.pid).toBe(0);
  });

  it('a UDP port is its program\'s only while the receiver it took is bound, and only while the program runs', () => {
    const node = pcNode();
    const stack = node.stack!;
    const p = newProc('nc', 'nc -lu 9', '0');
    runProc(node, p, 0, () => {});
    const s1 = udpBind(stack, 9, () => {});
    if ('errno' in s1) throw new Error(s1.errno);
    ownUdp(node, 4, 9, p);
    expect(udpOwner(node, 4, 9)).toEqual({ proc: p, fd: 3 });
    expect(udpOwner(node, 6, 9)).toBeNull();
    // The port changes hands behind the table's back: nobody recorded holds it.
    s1.close();
    const s2 = udpBind(stack, 9, () => {});
    expect('errno' in s2).toBe(false);
    expect(udpOwner(node, 4, 9)).toBeNull();
    // An owner whose program ended is no owner.
    const o = { proc: p, fd: 4 };
    expect(liveOwner(node, o)).toBe(o);
    endProc(node, p);
    expect(liveOwner(node, o)).toBeNull();
    expect(liveOwner(node, { proc: newProc('x', 'x', null), fd: 3 })).toBeNull();
  });
});
