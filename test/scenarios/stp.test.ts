// IMUNES's stpswitch: FreeBSD if_bridge with RSTP. On a ring of four stpswitches the
// lowest bridge id becomes root, exactly one port blocks (alternate, discarding), pings
// pass with no storm; cutting a ring link unblocks the alternate port (topology change);
// legacy STP takes the 2 × 15 s forward delay; the IMUNES rstp examples; tshark; determinism.
// IEEE 802.1D-2004 §17.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import type { StpBridge } from '../../src/emulator/node/stp';
import { parseTopology } from '../../src/emulator/topology/formats';
import { IMUNES_EXAMPLES } from '../support/paths';
import { runTshark, tsharkAvailable, validateCapture } from '../support/tshark';
import { switchRing } from './topologies';
import { summarizeFrame } from '../../src/emulator/wire/decode';

const S = 1_000_000_000;

function stp(world: World, name: string): StpBridge {
  return world.nodeByName(name)!.bridge as StpBridge;
}

function roles(world: World, count: number): string[] {
  const out: string[] = [];
  for (let k = 1; k <= count; k++) {
    const b = stp(world, `switch${k}`);
    b.ports.forEach((p, i) => out.push(`switch${k} ${p} ${b.portRole(i)} ${b.portState(i)}`));
  }
  return out;
}

describe('RSTP on a ring of four stpswitches', () => {
  it('elects the lowest bridge id root, blocks exactly one ring port, and pings pass with no storm', () => {
    const doc = switchRing(4, 'stpswitch');
    const world = new World(doc, { seed: 1 });
    expect(world.warnings).toEqual([]);
    const drops = new Map<string, number>();
    world.onTraffic((e) => e.action === 'drop' && drops.set(e.reason!, (drops.get(e.reason!) ?? 0) + 1));
    world.sim.runUntil(10 * S);
    const ids = [1, 2, 3, 4].map((k) => stp(world, `switch${k}`).stpInfo());
    const root = ids.reduce((a, b) => (a.bridgeId < b.bridgeId ? a : b)).bridgeId;
    for (const i of ids) expect(i.rootId).toBe(root);
    const r = roles(world, 4);
    expect(r.filter((x) => / alternate discarding$/.test(x))).toHaveLength(1);
    expect(r.filter((x) => / root forwarding$/.test(x))).toHaveLength(3);
    expect(r.filter((x) => / (discarding|learning)$/.test(x))).toHaveLength(1);
    const out = runCommand(world, 'pc1', 'ping -c 3 10.0.0.21').output;
    expect(out).toContain('3 packets received');
    // A broadcast ping: one copy per pc, no frame circling the ring.
    const before = world.inFlight();
    runCommand(world, 'pc1', 'ping -c 2 10.0.0.255');
    expect(world.inFlight()).toBeLessThanOrEqual(before + 2);
    expect(drops.get('loop-detected') ?? 0).toBe(0);
  });

  it('converges within a few seconds (proposal/agreement), and a cut ring link unblocks the alternate port', () => {
    const doc = switchRing(4, 'stpswitch');
    const world = new World(doc, { seed: 1 });
    let t = 0;
    for (; t < 40; t++) {
      world.sim.runUntil(t * S);
      if (runCommand(world, 'pc1', 'ping -c 1 -t 1 10.0.0.21').output.includes('1 packets received')) break;
    }
    console.log(`RSTP ring: pc1 reaches pc2 after ${t} virtual s`);
    expect(t).toBeLessThanOrEqual(6);
    const r = roles(world, 4);
    const blocked = r.find((x) => / alternate discarding$/.test(x))!;
    const [sw, port] = blocked.split(' ');
    const swNode = doc.nodes.find((n) => n.name === sw)!;
    // Cut a ring link that is forwarding (not the blocked one): the alternate port must take over.
    const cut = doc.links.find((l) => [l.a, l.b].every((e) => doc.nodes.find((n) => n.id === e.node)!.kind === 'stpswitch') && ![l.a, l.b].some((e) => e.node === swNode.id && e.iface === port))!;
    world.setLinkUp(cut.id, false);
    world.sim.runUntil(world.sim.now() + 8 * S);
    expect(stp(world, sw!).portState(stp(world, sw!).ports.indexOf(port!))).toBe('forwarding');
    expect(runCommand(world, 'pc1', 'ping -c 2 10.0.0.21').output).toContain('2 packets received');
    expect(stp(world, sw!).stpInfo().topologyChanges).toBeGreaterThan(0);
  });

  it('legacy STP (proto stp): ports learn then forward after 2 × forward delay', () => {
    const doc = switchRing(4, 'stpswitch');
    for (const n of doc.nodes) if (n.kind === 'stpswitch') n.extra = { bridge: { protocol: 'stp' } };
    const world = new World(doc, { seed: 1 });
    world.sim.runUntil(20 * S);
    // Before 2 × 15 s no ring port forwards yet, except root ports that moved into learning.
    expect(roles(world, 4).filter((x) => / e[01] \w+ forwarding$/.test(x))).toEqual([]);
    world.sim.runUntil(40 * S);
    expect(roles(world, 4).filter((x) => / alternate discarding$/.test(x))).toHaveLength(1);
    expect(runCommand(world, 'pc1', 'ping -c 1 10.0.0.21').output).toContain('1 packets received');
  });

  it('is deterministic', () => {
    const run = () => {
      const w = new World(switchRing(4, 'stpswitch'), { seed: 7 });
      w.sim.runUntil(30 * S);
      return w.traceHash();
    };
    expect(run()).toBe(run());
  });

  it.skipIf(!tsharkAvailable())('tshark decodes the BPDUs (stp) with zero malformed', async () => {
    const world = new World(switchRing(4, 'stpswitch'), { seed: 2 });
    const cap = world.startCapture({ kind: 'iface', node: 'switch1', iface: 'e0' });
    world.sim.runUntil(20 * S);
    cap.finish();
    const file = join(mkdtempSync(join(tmpdir(), 'virtnet-stp-')), 'stp.pcapng');
    writeFileSync(file, cap.toPcapng());
    const v = await validateCapture(file);
    expect(v.packets).toBeGreaterThan(5);
    expect(v.malformed, v.expertLines.join('; ')).toBe(0);
    const types = (await runTshark(['-r', file, '-Y', 'stp', '-T', 'fields', '-e', 'stp.type', '-e', 'stp.flags.proposal'])).trim().split('\n');
    expect(types.some((l) => l.startsWith('0x02'))).toBe(true);
    // The capture inspector's Info column is tshark's, frame for frame.
    const info = (await runTshark(['-r', file, '-T', 'fields', '-e', '_ws.col.Info'])).trim().split('\n');
    expect(cap.frames.map((f) => summarizeFrame(f.frame).info)).toEqual(info);
  }, 60_000);
});

describe('the IMUNES rstp examples', () => {
  for (const f of ['rstp-rstp_topo.imn', 'hub-rstp_topo.imn', 'lanswitch-rstp_topo.imn']) {
    it(`${f}: pc1 and pc2 ping through the stpswitches`, () => {
      const file = join(IMUNES_EXAMPLES, 'combinations', f);
      const r = parseTopology(readFileSync(file, 'utf8'), file);
      if ('errors' in r) throw new Error(JSON.stringify(r.errors));
      const world = new World(r.doc, { seed: 1 });
      expect(world.warnings.filter((w) => /stpswitch/.test(w))).toEqual([]);
      world.sim.runUntil(60 * S);
      const pc2 = r.doc.nodes.find((n) => n.name === 'pc2')!;
      const dst = pc2.interfaces.find((i) => i.ipv4.length > 0 && i.name !== 'lo0')!.ipv4[0]!.split('/')[0]!;
      expect(runCommand(world, 'pc1', `ping -c 1 ${dst}`).output).toContain('1 packets received');
    });
  }
});
