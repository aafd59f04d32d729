// Golden shell transcript: a fixed-seed lab session on the 4-router chain (1 ms, 10 Mb/s
// links) compared byte for byte with golden/chain-transcript.txt, so any change to what
// the tools print shows up as a reviewable diff. Regenerate on purpose only:
//   UPDATE_GOLDEN=1 npx vitest run --project unit test/scenarios/golden.test.ts
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { openShell, runLine } from '../../src/emulator/shell';
import { loadSample, setAllLinks } from './samples';

const GOLDEN = join(__dirname, 'golden', 'chain-transcript.txt');

const SESSION: [string, string][] = [
  ['pc1', 'ifconfig eth0'],
  ['pc1', 'netstat -rn'],
  ['pc1', 'ping -c 3 pc2'],
  ['pc1', 'traceroute pc2'],
  ['pc1', 'arp -an'],
  ['router2', 'route get 10.0.4.20'],
  ['router2', 'netstat -i'],
  ['pc1', 'ping -c 2 -m 2 10.0.4.20'],
  ['pc2', 'ip route; ip neigh'],
  ['pc1', 'ping -c 1 10.0.0.99'],
];

function transcript(): string {
  const world = new World(setAllLinks(loadSample('router-chain-4.vnet'), { delayUs: 1000, bandwidthBps: 10_000_000 }), { seed: 42 });
  let text = '';
  for (const [node, line] of SESSION) {
    const shell = openShell(world, world.nodeByName(node)!.id, { write: (t) => (text += t) });
    text += `${shell.prompt()}${line}\n`;
    const r = runLine(shell, world, line);
    text += `[exit ${r.exitCode}, t=${(r.endNs / 1e9).toFixed(6)} s]\n`;
    shell.close();
  }
  return text + `trace ${world.traceHash()}\n`;
}

describe('golden transcript', () => {
  it('matches golden/chain-transcript.txt', () => {
    const text = transcript();
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    expect(existsSync(GOLDEN)).toBe(true);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });
});
