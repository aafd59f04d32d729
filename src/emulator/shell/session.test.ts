import { describe, expect, it } from 'vitest';
import { World } from '../engine/world';
import type { TopologyDoc } from '../topology/document';
import { twoPcs as twoPcsDoc } from '../../../test/scenarios/topologies';
import { SimStall, ZERO_PROGRESS_EVENTS } from '../sim/scheduler';
import { runCommand, runLine } from './run-command';
import { COMMANDS_PER_LINE_MAX, LINE_MAX_CHARS, QUEUED_LINES_MAX, openShell } from './session';

const twoPcs = (delayUs = 500): TopologyDoc => twoPcsDoc({ delayUs });

function open(delayUs = 500) {
  const world = new World(twoPcs(delayUs), { seed: 5 });
  let text = '';
  const shell = openShell(world, 'n0', { write: (t) => (text += t) });
  return { world, shell, text: () => text };
}

describe('shell session', () => {
  it('has a FreeBSD-like prompt and answers sync commands at once', () => {
    const { shell, text } = open();
    expect(shell.prompt()).toBe('pc1# ');
    let code = -1;
    shell.exec('hostname', (c) => (code = c));
    expect(code).toBe(0);
    expect(text()).toBe('pc1\n');
  });

  it('runs ping in virtual time; exec returns before it finishes; Ctrl-C prints the summary', () => {
    const { world, shell, text } = open();
    let code = -1;
    shell.exec('ping 10.0.0.21', (c) => (code = c));
    expect(code).toBe(-1);
    world.sim.runUntil(3.5e9);
    expect(code).toBe(-1);
    shell.interrupt();
    expect(code).toBe(0);
    expect(text()).toContain('\n--- 10.0.0.21 ping statistics ---\n4 packets transmitted, 4 packets received, 0.0% packet loss\n');
    expect(text()).toContain('icmp_seq=3 ttl=64 time=1.000 ms');
  });

  it('queues lines typed while a command runs; Ctrl-C drops the queue', () => {
    const { world, shell, text } = open();
    const codes: number[] = [];
    shell.exec('ping -c 2 10.0.0.21', (c) => codes.push(c));
    shell.exec('hostname', (c) => codes.push(c));
    expect(codes).toEqual([]);
    world.sim.runUntilIdle();
    expect(codes).toEqual([0, 0]);
    expect(text().endsWith('pc1\n')).toBe(true);
    shell.exec('ping 10.0.0.21; hostname', (c) => codes.push(c));
    shell.exec('echo queued', (c) => codes.push(c));
    world.sim.runUntil(world.sim.now() + 1.5e9);
    shell.interrupt();
    world.sim.runUntil(world.sim.now() + 5e9);
    expect(codes).toEqual([0, 0, 0]);
    expect(text()).not.toContain('queued');
    expect(text().match(/pc1\n/g)).toHaveLength(1);
  });

  it('close stops a running job; later exec fails', () => {
    const { world, shell } = open();
    let code = -1;
    shell.exec('ping 10.0.0.21', (c) => (code = c));
    world.sim.runUntil(1e9);
    shell.close();
    expect(code).toBe(0);
    world.sim.runUntilIdle(10_000);
    expect(world.sim.pending()).toBe(0);
    shell.exec('hostname', (c) => (code = c));
    expect(code).toBe(1);
  });
});

describe('shell session limits (issue 10: a shell never wedges)', () => {
  it('runs 10,000 chained commands in one line without overflowing the stack', () => {
    const { shell, text } = open();
    let code = -1;
    shell.exec(Array(10_000).fill('echo x').join('; '), (c) => (code = c));
    expect(code).toBe(0);
    expect(text().match(/x\n/g)).toHaveLength(10_000);
    shell.exec('hostname', (c) => (code = c));
    expect(text().endsWith('pc1\n')).toBe(true);
  });

  it('runs 10,000 chained sleeps (jobs) one after another, then the next line', () => {
    const { world, shell } = open();
    const codes: number[] = [];
    shell.exec(Array(10_000).fill('sleep 0.001').join(';'), (c) => codes.push(c));
    shell.exec('true', (c) => codes.push(c));
    world.sim.runUntilIdle();
    expect(codes).toEqual([0, 0]);
    expect(world.sim.now()).toBe(10e9);
  });

  it('refuses a 1 MB line with a clear message and stays usable', () => {
    const { shell, text } = open();
    let code = -1;
    const line = 'true;'.repeat(200_000) + 'x'.repeat(48_576);
    expect(line.length).toBe(1_048_576);
    shell.exec(line, (c) => (code = c));
    expect(code).toBe(2);
    expect(text()).toBe(`sh: line too long: 1048576 characters (the limit is ${LINE_MAX_CHARS})\n`);
    shell.exec('hostname', (c) => (code = c));
    expect(code).toBe(0);
    expect(text().endsWith('pc1\n')).toBe(true);
  });

  it('refuses more commands per line than the limit, before running any', () => {
    const { shell, text } = open();
    let code = -1;
    shell.exec('echo;'.repeat(COMMANDS_PER_LINE_MAX + 1), (c) => (code = c));
    expect(code).toBe(2);
    expect(text()).toBe(`sh: too many commands on one line: ${COMMANDS_PER_LINE_MAX + 1} (the limit is ${COMMANDS_PER_LINE_MAX})\n`);
  });

  it('bounds the lines waiting behind a running command', () => {
    const { world, shell, text } = open();
    const codes: number[] = [];
    shell.exec('sleep 1', (c) => codes.push(c));
    for (let i = 0; i < QUEUED_LINES_MAX; i++) shell.exec('true', (c) => codes.push(c));
    shell.exec('echo late', (c) => codes.push(c));
    expect(codes).toEqual([1]);
    expect(text()).toBe(`sh: input queue full (${QUEUED_LINES_MAX} lines): line dropped\n`);
    world.sim.runUntilIdle();
    expect(codes.length).toBe(QUEUED_LINES_MAX + 2);
  });

  it('Ctrl-C during a long chain stops the chain and the shell takes the next line', () => {
    const { world, shell, text } = open();
    const codes: number[] = [];
    shell.exec(Array(5000).fill('sleep 1; echo tick').join(';'), (c) => codes.push(c));
    world.sim.runUntil(2.5e9);
    shell.interrupt();
    expect(codes).toEqual([130]);
    expect(text().match(/tick/g)).toHaveLength(2);
    shell.exec('hostname', (c) => codes.push(c));
    expect(codes).toEqual([130, 0]);
  });
});

describe('sleep', () => {
  it('waits in virtual time, fractional seconds and units add up', () => {
    const world = new World(twoPcs(), { seed: 5 });
    const r = runCommand(world, 'pc1', 'sleep 1.5');
    expect(r.exitCode).toBe(0);
    expect(r.endNs - r.startNs).toBe(1_500_000_000);
    const r2 = runCommand(world, 'pc1', 'sleep 1m .25s');
    expect(r2.endNs - r2.startNs).toBe(60_250_000_000);
  });

  it('lets a script wait before the next command on the same line', () => {
    const world = new World(twoPcs(), { seed: 5 });
    const r = runCommand(world, 'pc1', 'sleep 30; ping -c 1 10.0.0.21');
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('1 packets transmitted, 1 packets received');
    expect(r.startNs).toBe(0);
    expect(r.endNs).toBeGreaterThanOrEqual(30e9);
  });

  it('is interrupted by Ctrl-C with status 130 and cancels its timer', () => {
    const { world, shell } = open();
    let code = -1;
    shell.exec('sleep 30', (c) => (code = c));
    world.sim.runUntil(1e9);
    expect(code).toBe(-1);
    shell.interrupt();
    expect(code).toBe(130);
    world.sim.runUntilIdle();
    expect(world.sim.now()).toBeLessThan(30e9);
  });

  it('reports bad operands as FreeBSD sleep(1) does', () => {
    const world = new World(twoPcs(), { seed: 5 });
    const r = runCommand(world, 'pc1', 'sleep 1x');
    expect(r.exitCode).toBe(1);
    expect(r.output).toBe("sleep: invalid time interval: 1x\nusage: sleep number[unit] [...]\nUnit can be 's' (seconds, the default), m (minutes), h (hours), or d (days).\n");
    expect(runCommand(world, 'pc1', 'sleep').exitCode).toBe(1);
    expect(runCommand(world, 'pc1', 'sleep 0').exitCode).toBe(0);
  });

  it('is listed by help', () => {
    const world = new World(twoPcs(), { seed: 5 });
    expect(runCommand(world, 'pc1', 'help').output).toMatch(/\n {2}sleep {7}suspend execution/);
  });
});

describe('ping intervals and flood (issue 10)', () => {
  it('ping -i 0.0000000001 without -c still advances virtual time (1 ms floor)', () => {
    const { world, shell, text } = open();
    shell.exec('ping -q -i 0.0000000001 10.0.0.21', () => undefined);
    // Bounded so the old code (a 0 ns interval: time never moves) fails instead of hanging.
    world.sim.runUntil(1e9, 200_000);
    expect(world.sim.now()).toBe(1e9);
    shell.interrupt();
    // 1,001 probes in one virtual second; the last one's reply is still on its way.
    expect(text()).toMatch(/\n1001 packets transmitted, 1000 packets received/);
  });

  it('keeps -i in whole milliseconds as FreeBSD does', () => {
    const world = new World(twoPcs(), { seed: 5 });
    const r = runCommand(world, 'pc1', 'ping -q -c 3 -i 0.0019 10.0.0.21');
    // Probes at 0, 1 and 2 ms; the last reply 1 ms later.
    expect(r.endNs - r.startNs).toBe(3_000_000);
  });

  it('floods with dots and backspaces, a probe per reply, and stops at -c', () => {
    const world = new World(twoPcs(), { seed: 5 });
    const r = runCommand(world, 'pc1', 'ping -f -c 100 10.0.0.21');
    expect(r.exitCode).toBe(0);
    const body = r.output.slice(r.output.indexOf('\n') + 1, r.output.indexOf('\n---'));
    expect(body).toBe('.\b'.repeat(100));
    expect(r.output).toContain('100 packets transmitted, 100 packets received, 0.0% packet loss');
    // Reply-driven: an RTT (1 ms) per probe, not the 10 ms flood timer (+0.5 ms for the first ARP).
    expect(r.endNs - r.startNs).toBe(100_500_000);
  });

  it('a flood over a zero-delay link still advances virtual time', () => {
    const { world, shell, text } = open(0);
    shell.exec('ping -f 10.0.0.21', () => undefined);
    world.sim.runUntil(1e9, 200_000);
    expect(world.sim.now()).toBe(1e9);
    shell.interrupt();
    expect(text()).toMatch(/\n1001 packets transmitted, 1001 packets received/);
  });

  it('refuses -f with -i, as FreeBSD does', () => {
    const world = new World(twoPcs(), { seed: 5 });
    const r = runCommand(world, 'pc1', 'ping -f -i 1 10.0.0.21');
    expect(r.exitCode).toBe(64);
    expect(r.output).toBe('ping: -f and -i: incompatible options\n');
  });

  it('runLine stops a flood at the time limit', () => {
    const { world, shell } = open();
    const r = runLine(shell, world, 'ping -f 10.0.0.21', 2e9);
    expect(r.interrupted).toBe(true);
    expect(r.endNs).toBe(2e9);
  });
});

describe('runLine', () => {
  it('a zero-delay livelock under a command reaches the caller as the scheduler\'s SimStall (one guard, engine-wide)', () => {
    const { world, shell } = open();
    // 2M events at t=0 that keep rescheduling themselves: the network makes no progress.
    let left = 2 * ZERO_PROGRESS_EVENTS;
    const spin = (): void => {
      if (--left > 0) world.sim.schedule(0, spin);
    };
    world.sim.schedule(0, spin);
    expect(() => runLine(shell, world, 'sleep 1')).toThrow(SimStall);
    expect(world.sim.now()).toBe(0);
  });
});
