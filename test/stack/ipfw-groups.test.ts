// The hashed layout of similar rule runs (stack/ipfw/groups.ts) must decide exactly as the
// plain first-match scan: same verdict, same deciding rule, for random rule sets and packets.

import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { ipfwCheck } from '../../src/emulator/stack/ipfw/chk';
import { parseRule } from '../../src/emulator/stack/ipfw/parse';
import { firewallOf, ruleAdd } from '../../src/emulator/stack/ipfw/ruleset';
import { FW_DIR, type FwPacket } from '../../src/emulator/stack/ipfw/types';
import { Rng } from '../../src/emulator/sim/rng';
import { hostRouterHost } from '../scenarios/topologies';

describe('ipfw rule groups', () => {
  it('decide like the linear scan (random overlapping prefixes, mixed actions, SEED=11)', () => {
    const rng = new Rng(11, 'ipfw-groups');
    for (let round = 0; round < 20; round++) {
      const w = new World(hostRouterHost(), { seed: 1 });
      const stack = w.nodeByName('router1')!.stack!;
      const fw = firewallOf(stack);
      let num = 1;
      for (let run = 0; run < 4; run++) {
        const action = ['deny', 'allow', 'unreach port'][rng.nextInt(3)];
        const field = rng.nextInt(2) === 0 ? 'from' : 'to';
        for (let k = 0; k < 5 + rng.nextInt(20); k++) {
          const len = [8, 16, 24, 32][rng.nextInt(4)];
          const net = `10.${rng.nextInt(4)}.${rng.nextInt(4)}.${rng.nextInt(4)}/${len}`;
          const words = field === 'from' ? `${num++} ${action} udp from ${net} to any` : `${num++} ${action} udp from any to ${net}`;
          ruleAdd(fw, parseRule(words.split(' ')));
        }
        ruleAdd(fw, parseRule(`${num++} count icmp from any to any`.split(' ')));
      }
      expect(fw.groups).toBeNull();
      for (let t = 0; t < 200; t++) {
        const p: FwPacket = { ...fw.pkt, proto: 17, src: ((10 << 24) | (rng.nextInt(4) << 16) | (rng.nextInt(4) << 8) | rng.nextInt(4)) >>> 0, dst: ((10 << 24) | (rng.nextInt(4) << 16) | (rng.nextInt(4) << 8) | rng.nextInt(4)) >>> 0, srcPort: 1, dstPort: 2, len: 28, dir: FW_DIR.IN, recvIf: 0, xmitIf: -1 };
        fw.groups = null;
        const grouped = ipfwCheck(stack, fw, { ...p });
        const gHit = fw.hit?.num;
        expect(fw.groups!.some((g) => g !== null)).toBe(true);
        fw.groups = fw.rules.map(() => null);
        const linear = ipfwCheck(stack, fw, { ...p });
        expect([grouped, gHit]).toEqual([linear, fw.hit?.num]);
      }
    }
  });
});
