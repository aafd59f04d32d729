import { describe, expect, it } from 'vitest';
import { stepToTraffic } from './drivers';
import { Scheduler } from './scheduler';

describe('stepToTraffic', () => {
  it('runs silent timers on the way and stops at the event that records traffic', () => {
    const sim = new Scheduler();
    let recorded = 0;
    const ran: string[] = [];
    sim.schedule(10, () => ran.push('timer a'));
    sim.schedule(20, () => ran.push('timer b'));
    sim.schedule(30, () => (ran.push('hop'), recorded++));
    sim.schedule(40, () => (ran.push('next hop'), recorded++));
    expect(stepToTraffic(sim, () => recorded)).toBe(3);
    expect(ran).toEqual(['timer a', 'timer b', 'hop']);
    expect(sim.now()).toBe(30);
    expect(stepToTraffic(sim, () => recorded)).toBe(1);
    expect(sim.now()).toBe(40);
    expect(stepToTraffic(sim, () => recorded)).toBe(0);
  });

  it('stops after maxEvents when nothing records traffic', () => {
    const sim = new Scheduler();
    const tick = () => void sim.schedule(1, tick);
    sim.schedule(1, tick);
    expect(stepToTraffic(sim, () => 0, 50)).toBe(50);
  });
});
