// Running a packet through a stack's ruleset (FreeBSD ipfw_chk): rules in number order,
// the first terminal action decides; count and skipto continue; the first keep-state or
// check-state rule probes the dynamic states. Every match is counted on its rule. Must not
// touch the packet, trace or send anything: pfil.ts acts on the verdict.

import { buildGroups, groupLookup } from './groups';
import { ruleMatches } from './match';
import { stateInstall, stateLookup } from './state';
import type { Firewall, FwPacket, FwRule } from './types';
import type { NetStack } from '../types';

export const FW_VERDICT = { PASS: 0, DENY: 1, UNREACH: 2, PIPE: 3, NAT: 4 } as const;
export type FwVerdict = (typeof FW_VERDICT)[keyof typeof FW_VERDICT];

function count(r: FwRule, p: FwPacket, nowNs: number): void {
  r.packets++;
  r.bytes += p.len;
  r.lastNs = nowNs;
}

/** Index of the first rule numbered `to` or higher after index `from` (skipto never goes back). */
function skipIndex(rules: FwRule[], from: number, to: number): number {
  let i = from + 1;
  while (i < rules.length - 1 && rules[i].num < to) i++;
  return i;
}

/** The verdict for packet `p`; `fw.hit` is the deciding rule (null when the firewall is off). */
export function ipfwCheck(stack: NetStack, fw: Firewall, p: FwPacket, from = 0): FwVerdict {
  fw.hit = null;
  if (!fw.enabled) return FW_VERDICT.PASS;
  const rules = fw.rules;
  const nowNs = stack.env.sim.now();
  let probed = !fw.stateful;
  const groups = fw.groups ?? (fw.groups = buildGroups(fw));
  for (let i = from; i < rules.length; i++) {
    let r = rules[i];
    const g = groups[i];
    if (g !== null) {
      // A run of rules differing only in one prefix: one hashed lookup finds the first that can match.
      const k = groupLookup(g, g.field === 12 ? p.src | 0 : p.dst | 0);
      if (k < 0 || !ruleMatches(stack, fw, rules[k], p)) {
        i = g.end - 1;
        continue;
      }
      i = k;
      r = rules[k];
    } else if (!probed && (r.keepState || r.action.kind === 'check-state')) {
      probed = true;
      const s = stateLookup(fw, p, nowNs);
      // A live state applies the action of the rule that created it (ipfw(8) check-state).
      if (s !== null) r = s.rule;
      else if (r.action.kind === 'check-state') continue;
      else if (!ruleMatches(stack, fw, r, p)) continue;
      else if (!stateInstall(fw, r, p, nowNs)) {
        fw.hit = r;
        return FW_VERDICT.DENY; // dyn_max reached: FreeBSD drops the packet
      }
    } else if (r.action.kind === 'check-state' || !ruleMatches(stack, fw, r, p)) {
      continue;
    } else if (r.keepState && !stateInstall(fw, r, p, nowNs)) {
      fw.hit = r;
      return FW_VERDICT.DENY;
    }
    count(r, p, nowNs);
    const a = r.action;
    switch (a.kind) {
      case 'count':
        continue;
      case 'skipto':
        i = skipIndex(rules, rules.indexOf(r), a.to) - 1;
        continue;
      case 'check-state':
        continue;
      case 'allow':
        if (r.chain !== 0 && fw.postrouting !== 0) {
          i = skipIndex(rules, i, fw.postrouting) - 1; // iptables ACCEPT: on to the nat table's POSTROUTING
          continue;
        }
        fw.hit = r;
        return FW_VERDICT.PASS;
      case 'deny':
        fw.hit = r;
        return FW_VERDICT.DENY;
      case 'unreach':
        fw.hit = r;
        return FW_VERDICT.UNREACH;
      case 'pipe':
      case 'queue':
        fw.hit = r;
        return FW_VERDICT.PIPE;
      case 'nat':
        fw.hit = r;
        fw.hitIndex = i;
        return FW_VERDICT.NAT;
      default:
        return a satisfies never;
    }
  }
  return FW_VERDICT.PASS; // unreachable: rule 65535 always decides
}
