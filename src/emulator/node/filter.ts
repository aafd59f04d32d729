// The filter node: IMUNES's ng_patmat (imunes/src/ng_patmat), a netgraph pattern matcher
// with a rule list per interface (hook). Each rule compares PATTERN under MASK with the
// frame's bytes at OFFSET (or at every offset of a range) and, on match or no match as the
// action says, sends the frame out another interface (`hook`), sends a copy and goes on
// (`dupto`), jumps ahead (`skipto`) or drops it; a frame no rule takes is dropped, and an
// interface without rules drops everything. No learning, no MAC table, no timers.

import { DROP, type DropReason } from '../stack/env';
import { tclList } from '../topology/imunes/tcl-words';
import { PortedNode } from './bridge';

/** ng_patmat's limits: 128 rules per hook, 32-byte patterns. */
export const PATMAT_MAX_RULES = 128;
export const PATMAT_MAX_PATTERN = 32;

export type PatmatAction = 'match_hook' | 'nomatch_hook' | 'match_dupto' | 'nomatch_dupto' | 'match_skipto' | 'nomatch_skipto' | 'match_drop' | 'nomatch_drop';
const ACTIONS: readonly PatmatAction[] = ['match_hook', 'nomatch_hook', 'match_dupto', 'nomatch_dupto', 'match_skipto', 'nomatch_skipto', 'match_drop', 'nomatch_drop'];

export interface PatmatRule {
  num: number;
  action: PatmatAction;
  pattern: Uint8Array;
  mask: Uint8Array;
  offLo: number;
  offHi: number;
  /** Port index for hook/dupto; rule index for skipto; -1 for drop. */
  target: number;
}

export class PatmatFilter extends PortedNode {
  readonly rules: PatmatRule[][];

  constructor(o: { ports: string[]; rules: PatmatRule[][]; transmit(port: number, frame: Uint8Array): void; drop?(port: number, frame: Uint8Array, reason: DropReason): void }) {
    super(o.ports, o.transmit, o.drop);
    this.rules = o.rules;
  }

  /** ng_pm_rcvdata: the rules of the arrival port in order. */
  input(port: number, frame: Uint8Array): void {
    this.countRx(port, frame);
    const rules = this.rules[port] ?? [];
    for (let k = 0; k < rules.length; k++) {
      const r = rules[k]!;
      const match = matches(r, frame);
      switch (r.action) {
        case 'match_hook':
        case 'nomatch_hook':
          if (match === (r.action === 'match_hook')) return this.send(r.target, frame, false);
          break;
        case 'match_dupto':
        case 'nomatch_dupto':
          if (match === (r.action === 'match_dupto')) this.send(r.target, frame.slice(), false);
          break;
        case 'match_skipto':
        case 'nomatch_skipto':
          // As ng_patmat does it: the loop's increment follows, so evaluation resumes after the target rule.
          if (match === (r.action === 'match_skipto')) k = r.target;
          break;
        case 'match_drop':
        case 'nomatch_drop':
          if (match === (r.action === 'match_drop')) return this.discard(port, frame, DROP.FILTER);
          break;
        default:
          r.action satisfies never;
      }
    }
    this.discard(port, frame, DROP.FILTER);
  }
}

/** PATTERN/MASK at any offset from offLo to offHi; a rule without a pattern always matches. */
function matches(r: PatmatRule, frame: Uint8Array): boolean {
  const n = r.pattern.length;
  if (n === 0) return true;
  for (let off = r.offLo; off <= r.offHi; off++) {
    if (off + n > frame.length) return false;
    let ok = true;
    for (let i = 0; i < n; i++) {
      if (((frame[off + i]! ^ r.pattern[i]!) & r.mask[i]!) !== 0) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

function hexBytes(s: string): Uint8Array | null {
  const parts = s.split(/[.: ]/).filter((x) => x !== '');
  if (parts.length === 0 || parts.length > PATMAT_MAX_PATTERN || parts.some((x) => !/^[0-9a-fA-F]{2}$/.test(x))) return null;
  return Uint8Array.from(parts.map((x) => parseInt(x, 16)));
}

/** A rule's fields as IMUNES stores them: a Tcl dict string or an object. */
function fieldsOf(v: unknown): Record<string, string> {
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)]));
  const w = tclList(String(v));
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < w.length; i += 2) out[w[i]!] = w[i + 1]!;
  return out;
}

/**
 * One interface's `filter_rules` (IMUNES: rule number → {action pattern mask offset
 * action_data}) as ng_patmat runs them. Like IMUNES's nodeConfigure, a hook rule toward an
 * interface without a link is left out; a rule ng_patmat refuses makes the whole list
 * refused (the interface then drops everything), with a problem naming it.
 */
export function patmatRulesFromDoc(raw: unknown, ports: string[], linked: boolean[], problems: string[]): PatmatRule[] {
  if (raw === undefined || raw === '') return [];
  const entries: [string, unknown][] = typeof raw === 'object' && raw !== null ? Object.entries(raw) : [];
  if (typeof raw === 'string') {
    const w = tclList(raw);
    for (let i = 0; i + 1 < w.length; i += 2) entries.push([w[i]!, w[i + 1]!]);
  }
  entries.sort((a, b) => Number(a[0]) - Number(b[0]));
  const rules: PatmatRule[] = [];
  const skips: { rule: PatmatRule; to: number }[] = [];
  for (const [key, v] of entries) {
    const num = Number(key);
    const f = fieldsOf(v);
    const bad = (why: string): PatmatRule[] => {
      problems.push(`rule ${key}: ${why}; ng_patmat refuses the list, so the interface drops every frame`);
      return [];
    };
    if (!/^[1-9]\d*$/.test(key) || num > 65535) return bad('the rule number must be 1–65535');
    const action = f.action as PatmatAction;
    if (!ACTIONS.includes(action)) return bad(`unknown action ${JSON.stringify(f.action ?? '')}`);
    let pattern: Uint8Array = new Uint8Array(0);
    let mask: Uint8Array = new Uint8Array(0);
    let offLo = 0;
    let offHi = 0;
    if ((f.offset ?? '') !== '' || (f.pattern ?? '') !== '') {
      const p = hexBytes(f.pattern ?? '');
      const m = hexBytes(f.mask ?? '') ?? (p === null ? null : new Uint8Array(p.length).fill(0xff));
      const o = /^(\d+)(?:\.+(\d+))?$/.exec(f.offset ?? '');
      if (p === null || m === null || m.length !== p.length) return bad('pattern and mask must be the same number of hex bytes (aa.bb.cc), at most 32');
      if (o === null || (o[2] !== undefined && Number(o[2]) <= Number(o[1]))) return bad(`offset ${JSON.stringify(f.offset ?? '')} must be N or LOW.HIGH`);
      pattern = p;
      mask = m;
      offLo = Number(o[1]);
      offHi = o[2] === undefined ? offLo : Number(o[2]);
    }
    const rule: PatmatRule = { num, action, pattern, mask, offLo, offHi, target: -1 };
    const data = f.action_data ?? '';
    if (action.endsWith('_hook') || action.endsWith('_dupto')) {
      const port = ports.indexOf(data);
      if (port < 0) return bad(`interface ${JSON.stringify(data)} does not exist`);
      if (!linked[port]) continue; // IMUNES leaves out rules toward an interface without a link
      rule.target = port;
    } else if (action.endsWith('_skipto')) {
      if (!/^\d+$/.test(data)) return bad(`skipto needs a rule number, not ${JSON.stringify(data)}`);
      skips.push({ rule, to: Number(data) });
    }
    rules.push(rule);
  }
  if (rules.length > PATMAT_MAX_RULES) {
    problems.push(`${rules.length} rules: ng_patmat holds at most ${PATMAT_MAX_RULES}; the interface drops every frame`);
    return [];
  }
  for (const s of skips) {
    const from = rules.indexOf(s.rule);
    const to = rules.findIndex((r, k) => k > from && r.num === s.to);
    if (to < 0) {
      problems.push(`rule ${s.rule.num}: skipto ${s.to} names no later rule; ng_patmat refuses the list, so the interface drops every frame`);
      return [];
    }
    s.rule.target = to;
  }
  return rules;
}
