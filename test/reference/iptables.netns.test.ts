// iptables fidelity: the same iptables rules in Linux network namespaces and in VirtNet give
// the same reachability (ping, nc TCP, nc -u; connected / refused / silent) and the same
// translated addresses and ports (MASQUERADE, SNAT, DNAT) in captures on both sides of the
// gateway, read by tshark from each. Prints an agreement table and asserts it. Needs root,
// iproute2, iptables, netcat-openbsd, dumpcap and tshark; elsewhere it skips with one line.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { World } from '../../src/emulator/engine/world';
import { runCommand } from '../../src/emulator/shell';
import { runTshark, tsharkAvailable } from '../support/tshark';
import { NetnsLab, netnsUnavailable, removeStaleNamespaces } from './netns';
import { virtnetDoc, type RefTopology } from './ref-topology';
import { shellSession } from '../support/shell-session';

function missingTool(): string | null {
  for (const [tool, pkg] of [['iptables', 'iptables'], ['nc', 'netcat-openbsd'], ['dumpcap', 'tshark']]) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} not found (Debian package ${pkg})`;
    }
  }
  return tsharkAvailable() ? null : 'tshark not found';
}

const why = netnsUnavailable() ?? missingTool();
if (why !== null) console.warn(`iptables reference vs Linux skipped: ${why}`);

/** pc1 (10.0.0.20) — gw (10.0.0.1 | 198.51.100.1) — server (198.51.100.20); the server routes back to the LAN only when `routeBack`. */
function office(name: string, routeBack: boolean): RefTopology {
  return {
    name,
    nodes: [
      { name: 'pc1', kind: 'pc' },
      { name: 'gw', kind: 'router' },
      { name: 'server', kind: 'pc' },
    ],
    links: [
      { a: ['pc1', '10.0.0.20/24'], b: ['gw', '10.0.0.1/24'] },
      { a: ['gw', '198.51.100.1/24'], b: ['server', '198.51.100.20/24'] },
    ],
    routes: [{ node: 'pc1', dest: '0.0.0.0/0', gateway: '10.0.0.1' }, ...(routeBack ? [{ node: 'server', dest: '10.0.0.0/24', gateway: '198.51.100.1' }] : [])],
    probes: [],
  };
}

interface Probe {
  kind: 'ping' | 'tcp' | 'udp';
  from: string;
  /** The server that listens (tcp/udp) and the port it listens on. */
  at: string;
  listenPort: number;
  /** Address and port the client sends to. */
  to: string;
  port: number;
}

interface Scenario {
  name: string;
  routeBack: boolean;
  rules: string[];
  probes: Probe[];
}

const out = (kind: Probe['kind'], port: number): Probe => ({ kind, from: 'pc1', at: 'server', listenPort: port, to: '198.51.100.20', port });
const SCENARIOS: Scenario[] = [
  { name: 'MASQUERADE', routeBack: false, rules: ['-t nat -A POSTROUTING -o eth1 -j MASQUERADE'], probes: [out('ping', 0), out('tcp', 5000), out('udp', 5001)] },
  { name: 'SNAT', routeBack: false, rules: ['-t nat -A POSTROUTING -o eth1 -j SNAT --to-source 198.51.100.1'], probes: [out('ping', 0), out('tcp', 5000), out('udp', 5001)] },
  {
    name: 'DNAT',
    routeBack: false,
    rules: ['-t nat -A PREROUTING -i eth1 -p tcp --dport 8080 -j DNAT --to-destination 10.0.0.20:80', '-t nat -A PREROUTING -i eth1 -p udp --dport 5353 -j DNAT --to-destination 10.0.0.20:53'],
    probes: [
      { kind: 'tcp', from: 'server', at: 'pc1', listenPort: 80, to: '198.51.100.1', port: 8080 },
      { kind: 'udp', from: 'server', at: 'pc1', listenPort: 53, to: '198.51.100.1', port: 5353 },
    ],
  },
  {
    name: 'stateful FORWARD',
    routeBack: true,
    rules: ['-P FORWARD DROP', '-A FORWARD -i eth0 -o eth1 -j ACCEPT', '-A FORWARD -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT'],
    probes: [
      out('ping', 0),
      out('tcp', 5000),
      out('udp', 5001),
      { kind: 'ping', from: 'server', at: 'pc1', listenPort: 0, to: '10.0.0.20', port: 0 },
      { kind: 'tcp', from: 'server', at: 'pc1', listenPort: 5000, to: '10.0.0.20', port: 5000 },
      { kind: 'udp', from: 'server', at: 'pc1', listenPort: 5001, to: '10.0.0.20', port: 5001 },
    ],
  },
  {
    name: 'REJECT',
    routeBack: true,
    rules: ['-A FORWARD -p tcp --dport 5000 -j REJECT --reject-with tcp-reset', '-A FORWARD -p tcp --dport 5002 -j DROP', '-A FORWARD -p udp --dport 5001 -j REJECT', '-A FORWARD -p tcp --dport 5004 -j REJECT'],
    probes: [out('tcp', 5000), out('tcp', 5002), out('udp', 5001), out('tcp', 5004), out('tcp', 5003)],
  },
];

/** What a probe did: the outcome and the first request as seen inside (gw eth0) and outside (gw eth1). */
interface Outcome {
  result: string;
  inside: string;
  outside: string;
}

const DISPLAY = '(tcp.flags.syn==1 && tcp.flags.ack==0) || udp || icmp.type==8';

/**
 * The first request packet on each side, the client's own port written `P` and a port the
 * gateway chose `P'` (so Linux's random choices and VirtNet's compare), `-` when absent.
 */
async function firstRequests(file: string, p: Probe): Promise<{ inside: string; outside: string }> {
  const rows = (await runTshark(['-r', file, '-Y', DISPLAY, '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.interface_name', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'udp.srcport', '-e', 'udp.dstport', '-e', 'icmp.ident']))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'));
  const first = new Map<string, string[]>();
  // dumpcap names interfaces `eth0`, VirtNet `gw:eth0`.
  for (const r of rows) if (!first.has(r[0].replace(/^.*:/, ''))) first.set(r[0].replace(/^.*:/, ''), r);
  const clientSide = p.from === 'pc1' ? 'eth0' : 'eth1';
  const clientPort = first.get(clientSide)?.[3] || first.get(clientSide)?.[5] || first.get(clientSide)?.[7] || '';
  const text = (r: string[] | undefined): string => {
    if (r === undefined) return '-';
    const sport = r[3] || r[5] || r[7]?.split(',')[0] || '';
    const dport = r[4] || r[6] || '';
    const sp = sport === clientPort ? 'P' : "P'";
    return p.kind === 'ping' ? `${r[1]} id ${sp} > ${r[2]}` : `${r[1]}:${sp} > ${r[2]}:${dport}`;
  };
  return { inside: text(first.get('eth0')), outside: text(first.get('eth1')) };
}

/** `connected`, `refused` or `silent` from nc's words (OpenBSD's and VirtNet's alike). */
function tcpResult(text: string, code: number): string {
  if (code === 0 || /succeeded/.test(text)) return 'connected';
  return /refused/i.test(text) ? 'refused' : 'silent';
}

// ---- Linux ------------------------------------------------------------------------------

function sh(ns: string, cmd: string, timeoutMs = 15_000): { code: number; text: string } {
  try {
    const text = execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', cmd], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, text };
  } catch (e) {
    const x = e as { status?: number; stdout?: string; stderr?: string };
    return { code: x.status ?? 1, text: `${x.stdout ?? ''}${x.stderr ?? ''}` };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function linuxProbe(lab: NetnsLab, dir: string, p: Probe, k: number): Promise<Outcome> {
  const pcap = join(dir, `linux-${k}.pcapng`);
  const cap: ChildProcess = spawn('ip', ['netns', 'exec', lab.ns('gw'), 'dumpcap', '-q', '-i', 'eth0', '-i', 'eth1', '-w', pcap], { stdio: 'ignore' });
  await sleep(1500);
  let server: ChildProcess | null = null;
  const got = join(dir, `udp-${k}.txt`);
  if (p.kind === 'tcp') server = spawn('ip', ['netns', 'exec', lab.ns(p.at), 'timeout', '6', 'nc', '-l', String(p.listenPort)], { stdio: 'ignore' });
  if (p.kind === 'udp') server = spawn('sh', ['-c', `ip netns exec ${lab.ns(p.at)} timeout 4 nc -u -l ${p.listenPort} > ${got}`], { stdio: 'ignore' });
  await sleep(300);
  let result: string;
  const ns = lab.ns(p.from);
  if (p.kind === 'ping') result = sh(ns, `ping -n -c 1 -W 2 ${p.to}`).code === 0 ? 'answered' : 'silent';
  else if (p.kind === 'tcp') {
    const r = sh(ns, `nc -v -z -w 3 ${p.to} ${p.port} 2>&1`);
    result = tcpResult(r.text, r.code);
  } else {
    sh(ns, `echo hello | nc -u -w 1 ${p.to} ${p.port}`);
    await sleep(300);
    let text = '';
    try {
      text = readFileSync(got, 'utf8');
    } catch {
      /* nothing arrived */
    }
    result = text.includes('hello') ? 'delivered' : 'lost';
  }
  await sleep(300);
  server?.kill('SIGKILL');
  cap.kill('SIGINT');
  await new Promise((r) => cap.once('exit', r));
  return { result, ...(await firstRequests(pcap, p)) };
}

// ---- VirtNet ----------------------------------------------------------------------------

async function virtnetProbe(t: RefTopology, rules: string[], dir: string, p: Probe, k: number): Promise<Outcome> {
  const w = new World(virtnetDoc(t), { seed: 1 });
  for (const r of rules) expect(runCommand(w, 'gw', `iptables ${r}`).exitCode, r).toBe(0);
  const cap = w.startCapture({ kind: 'iface', node: 'gw', iface: 'eth0' });
  const cap1 = w.startCapture({ kind: 'iface', node: 'gw', iface: 'eth1' });
  const session = (node: string) => shellSession(w, node);
  const run = (sec: number) => w.sim.runUntil(w.sim.now() + sec * 1e9);
  let result: string;
  if (p.kind === 'ping') result = /1 packets received/.test(runCommand(w, p.from, `ping -c 1 -t 2 ${p.to}`).output) ? 'answered' : 'silent';
  else if (p.kind === 'tcp') {
    session(p.at).exec(`nc -l ${p.listenPort}`);
    run(0.1);
    const r = runCommand(w, p.from, `nc -v -z ${p.to} ${p.port}`);
    result = tcpResult(r.output, r.exitCode);
  } else {
    const srv = session(p.at);
    srv.exec(`nc -u -l ${p.listenPort}`);
    const cli = session(p.from);
    cli.exec(`nc -u ${p.to} ${p.port}`);
    run(0.1);
    cli.s.input('hello\n');
    run(2);
    result = srv.out.text.includes('hello') ? 'delivered' : 'lost';
  }
  cap.finish();
  cap1.finish();
  // One file with both interfaces, named as dumpcap names them, for the same tshark reading.
  const a = join(dir, `virtnet-${k}-eth0.pcapng`);
  const b = join(dir, `virtnet-${k}-eth1.pcapng`);
  writeFileSync(a, cap.toPcapng());
  writeFileSync(b, cap1.toPcapng());
  const merged = join(dir, `virtnet-${k}.pcapng`);
  execFileSync('mergecap', ['-w', merged, a, b]);
  return { result, ...(await firstRequests(merged, p)) };
}

describe.skipIf(why !== null)('iptables: VirtNet vs the Linux kernel (network namespaces)', () => {
  const rows: { scenario: string; probe: string; linux: Outcome; virtnet: Outcome }[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'virtnet-ipt-ref-'));

  beforeAll(() => removeStaleNamespaces());
  afterAll(() => {
    const same = (a: Outcome, b: Outcome) => a.result === b.result && a.inside === b.inside && a.outside === b.outside;
    const agree = rows.filter((r) => same(r.linux, r.virtnet)).length;
    const lines = [`iptables reference: VirtNet agrees with Linux in ${agree} of ${rows.length} probes`];
    lines.push(`${'scenario'.padEnd(17)} ${'probe'.padEnd(34)} ${'Linux'.padEnd(60)} VirtNet`);
    for (const r of rows) {
      const f = (o: Outcome) => `${o.result} | in ${o.inside} | out ${o.outside}`;
      lines.push(`${r.scenario.padEnd(17)} ${r.probe.padEnd(34)} ${f(r.linux).padEnd(60)} ${same(r.linux, r.virtnet) ? '=' : f(r.virtnet)}`);
    }
    console.log(lines.join('\n'));
  });

  SCENARIOS.forEach((s, si) => {
    it(`${s.name}: same reachability and the same translated addresses and ports`, async () => {
      const t = office(`ipt${si}`, s.routeBack);
      const lab = new NetnsLab(`ipt${si}`);
      try {
        lab.build(t);
        for (const r of s.rules) execFileSync('ip', ['netns', 'exec', lab.ns('gw'), 'sh', '-c', `iptables ${r}`], { stdio: 'pipe' });
        for (const [k, p] of s.probes.entries()) {
          const linux = await linuxProbe(lab, dir, p, si * 10 + k);
          const virtnet = await virtnetProbe(t, s.rules, dir, p, si * 10 + k);
          const probe = `${p.from} ${p.kind} ${p.to}${p.port > 0 ? `:${p.port}` : ''}`;
          rows.push({ scenario: s.name, probe, linux, virtnet });
          expect.soft(virtnet, `${s.name}: ${probe}`).toEqual(linux);
        }
      } finally {
        lab.destroy();
      }
    }, 180_000);
  });
});
