// `virtnet validate` warns about layer-2 loops with no STP (issue 9 §4), with the line of
// the link that closes the loop; a tree of switches, or a loop through a router, is fine.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { layer2Loops } from '../../src/emulator/topology/l2-loops';
import { serializeVnet } from '../../src/emulator/topology/vnet';
import { builder, lan, switchRing } from '../scenarios/topologies';

async function validate(doc: Parameters<typeof serializeVnet>[0]) {
  const file = join(mkdtempSync(join(tmpdir(), 'virtnet-l2-')), 'lab.vnet');
  writeFileSync(file, serializeVnet(doc));
  let stdout = '';
  let stderr = '';
  const code = await main(['validate', file], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr, file };
}

describe('layer-2 loops', () => {
  it('validate warns about the ring of four lanswitches, naming the closing link and its line', async () => {
    const r = await validate(switchRing(4));
    expect(r.code).toBe(0);
    const lines = (r.stdout + r.stderr).split('\n').filter((l) => l.includes('layer-2 loop'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/lab\.vnet:\d+: warning: link l3 \(switch4:e1 — switch1:e1\) closes a layer-2 loop of switches\/hubs with no STP/);
  });

  it('two parallel links between switches are a loop; hubs count too', () => {
    const b = builder();
    const s1 = b.node('lanswitch', 'switch1');
    const h1 = b.node('hub', 'hub1');
    b.link(s1, h1);
    b.link(s1, h1);
    expect(layer2Loops(b.doc).map((i) => i.path)).toEqual([['links', 1]]);
  });

  it('no warning for a tree of switches or a cycle through a router', () => {
    expect(layer2Loops(lan('lanswitch', 3))).toEqual([]);
    const b = builder();
    const s1 = b.node('lanswitch', 'switch1');
    const s2 = b.node('lanswitch', 'switch2');
    const r = b.node('router', 'router1');
    b.link(s1, s2);
    b.link(s2, r, { bIp: '10.0.0.1/24' });
    b.link(r, s1, { aIp: '10.0.1.1/24' });
    expect(layer2Loops(b.doc)).toEqual([]);
  });
});
