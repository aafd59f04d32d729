// ng_patmat rules: pattern/mask at an offset or a range of offsets, hook/dupto/skipto/drop
// actions evaluated in order as ng_pm_rcvdata does (skipto resumes after its target).
import { describe, expect, it } from 'vitest';
import { PatmatFilter, patmatRulesFromDoc } from './filter';

function run(rules: string, frame: number[]): { out: number[]; drops: string[] } {
  const problems: string[] = [];
  const r = patmatRulesFromDoc(rules, ['e0', 'e1', 'e2'], [true, true, true], problems);
  expect(problems).toEqual([]);
  const out: number[] = [];
  const drops: string[] = [];
  const f = new PatmatFilter({ ports: ['e0', 'e1', 'e2'], rules: [r, [], []], transmit: (p) => out.push(p), drop: (_p, _f, why) => drops.push(why) });
  f.input(0, Uint8Array.from(frame));
  return { out, drops };
}

const FRAME = [1, 2, 3, 4, 0xaa, 0xbb, 7, 8];

describe('ng_patmat', () => {
  it('matches a masked pattern at an offset, or anywhere in an offset range', () => {
    expect(run('10 {action match_hook pattern aa.bb mask ff.ff offset 4 action_data e1} 20 {action match_hook action_data e2}', FRAME).out).toEqual([1]);
    expect(run('10 {action match_hook pattern aa.bb mask ff.ff offset 3 action_data e1} 20 {action match_hook action_data e2}', FRAME).out).toEqual([2]);
    expect(run('10 {action match_hook pattern aa:b0 mask ff:f0 offset 1.6 action_data e1}', FRAME).out).toEqual([1]);
    expect(run('10 {action nomatch_hook pattern 09 mask ff offset 0 action_data e2}', FRAME).out).toEqual([2]);
  });

  it('dupto sends a copy and goes on; drop and the end of the list drop', () => {
    expect(run('10 {action match_dupto action_data e2} 20 {action match_hook action_data e1}', FRAME).out).toEqual([2, 1]);
    expect(run('10 {action match_drop pattern 01 mask ff offset 0} 20 {action match_hook action_data e1}', FRAME)).toEqual({ out: [], drops: ['filter-drop'] });
    expect(run('10 {action nomatch_hook action_data e1}', FRAME)).toEqual({ out: [], drops: ['filter-drop'] });
  });

  it('skipto resumes after the target rule, as ng_pm_rcvdata\'s loop increment does', () => {
    const rules = '10 {action match_skipto action_data 20} 20 {action match_hook action_data e1} 30 {action match_hook action_data e2}';
    expect(run(rules, FRAME).out).toEqual([2]);
  });

  it('leaves out a hook rule toward an interface without a link, as IMUNES does', () => {
    const problems: string[] = [];
    expect(patmatRulesFromDoc('10 {action match_hook action_data e1}', ['e0', 'e1'], [true, false], problems)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
