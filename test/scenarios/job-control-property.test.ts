// Job control under any sequence of what a person can do in two terminals of one node
// (start commands in the foreground or background, Ctrl-Z, Ctrl-C, fg, bg, kill with any
// signal from either terminal, let time pass, close a terminal): the shell never throws,
// a program is stopped exactly when it says which signal stopped it, a stopped program sends
// nothing, and closing both terminals leaves no program behind (none is lost by a terminal).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { procList } from '../../src/emulator/node/procs';
import { runFor, shellSession, type TestSession } from '../support/shell-session';
import { twoPcs } from './topologies';

const COMMANDS = ['sleep 3', 'ping -q 10.0.0.21', 'ping -c 2 10.0.0.21', 'nc -l 7000', 'tcpdump -n -i eth0', 'iperf3 -s', 'cat'];
const SIGNALS = ['', '-STOP', '-CONT', '-9', '-TERM', '-INT', '-HUP', '-TSTP', '-0'];

type Step =
  | { t: 0 | 1; kind: 'run'; cmd: string; bg: boolean }
  | { t: 0 | 1; kind: 'suspend' }
  | { t: 0 | 1; kind: 'interrupt' }
  | { t: 0 | 1; kind: 'builtin'; line: string }
  | { t: 0 | 1; kind: 'kill'; sig: string; pidIndex: number }
  | { kind: 'time'; sec: number };

const term = fc.constantFrom<0 | 1>(0, 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ t: term, kind: fc.constant('run' as const), cmd: fc.constantFrom(...COMMANDS), bg: fc.boolean() }),
  fc.record({ t: term, kind: fc.constant('suspend' as const) }),
  fc.record({ t: term, kind: fc.constant('interrupt' as const) }),
  fc.record({ t: term, kind: fc.constant('builtin' as const), line: fc.constantFrom('fg', 'bg', 'jobs -l', 'fg %1', 'bg %2', 'kill %1', 'kill -STOP %1', 'kill -CONT %-', 'ps ax') }),
  fc.record({ t: term, kind: fc.constant('kill' as const), sig: fc.constantFrom(...SIGNALS), pidIndex: fc.nat(5) }),
  fc.record({ kind: fc.constant('time' as const), sec: fc.constantFrom(0.001, 0.5, 2, 10) }),
);

describe('job control holds together whatever is typed', () => {
  it('never throws, keeps the process table to what the terminals know, and closing both ends every program', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const w = new World(twoPcs(), { seed: 3 });
        const terms: TestSession[] = [shellSession(w, 'pc1'), shellSession(w, 'pc1')];
        const node = w.findNode('pc1')!;
        for (const s of steps) {
          if (s.kind === 'time') {
            runFor(w, s.sec);
            continue;
          }
          const t = terms[s.t];
          if (s.kind === 'run') t.exec(`${s.cmd}${s.bg ? ' &' : ''}`);
          else if (s.kind === 'suspend') t.s.suspend();
          else if (s.kind === 'interrupt') t.s.interrupt();
          else if (s.kind === 'builtin') t.exec(s.line);
          else {
            const procs = procList(node);
            const pid = procs.length === 0 ? 4242 : procs[s.pidIndex % procs.length].pid;
            t.exec(`kill ${s.sig} ${pid}`.replace('  ', ' '));
          }
          // ps shows every stopped program as T, and only those.
          for (const p of procList(node)) expect(p.stopSignal !== undefined).toBe(p.gate?.stopped === true);
        }
        // Stopped programs send nothing: with everything of the node stopped, its counters stand still.
        for (const p of procList(node)) if (p.gate !== undefined && !p.gate.stopped) p.gate.stop();
        if (procList(node).every((p) => p.gate !== undefined)) {
          runFor(w, 1); // what was already queued in the kernel leaves
          const tx = node.stack!.ifaces[0].counters.txPackets;
          runFor(w, 30);
          // TCP's own timers (keepalive, retransmissions of what was written) may still send; ICMP echo and UDP do not.
          if (!procList(node).some((p) => p.name === 'nc' || p.name === 'iperf3')) expect(node.stack!.ifaces[0].counters.txPackets).toBe(tx);
        }
        terms[0].s.close();
        terms[1].s.close();
        runFor(w, 1);
        expect(procList(node)).toEqual([]);
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
