// Peak memory under a switch-loop storm (issue 9 §4): writes the 4-lanswitch ring, runs
// `virtnet run` in this process with 60 s of broadcast pings (and a zero-delay hub ring,
// which stops as stalled), and prints the peak RSS. Usage: node --import tsx scripts/storm-rss.ts
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main';
import { serializeVnet } from '../src/emulator/topology/vnet';
import { switchRing } from '../test/scenarios/topologies';

async function run(name: string, doc: Parameters<typeof serializeVnet>[0], exec: string): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'virtnet-storm-')), `${name}.vnet`);
  writeFileSync(file, serializeVnet(doc));
  const t0 = performance.now();
  let out = '';
  const code = await main(['run', file, '--exec', exec, '--until', '60'], { stdout: (t) => void (out += t), stderr: (t) => void (out += t) });
  const last = out.trim().split('\n').slice(-2).join(' | ');
  console.log(`${name}: exit ${code} in ${((performance.now() - t0) / 1000).toFixed(1)} s wall; peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB; ${last}`);
}

void (async () => {
  await run('switch-ring', switchRing(4), 'pc1: ping -c 60 10.0.0.255');
  await run('switch-ring-delay', switchRing(4, 'lanswitch', { delayUs: 100 }), 'pc1: ping -c 60 10.0.0.255');
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MB`);
})();
