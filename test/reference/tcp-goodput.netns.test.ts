// The Linux kernel as referee for TCP goodput (issue 14): iperf3 through the same
// bottleneck in network namespaces shaped with tc and in VirtNet, over a grid of rates
// (1, 10, 100 Mbit/s), one-way delays (1–100 ms) and loss (0–2%), printed as one table per
// algorithm. NEWRENO_GRID is the like-for-like comparison: NewReno on both sides, Linux
// configured like FreeBSD 14's base stack wherever it has a knob (FREEBSD_BASE); every cell
// agrees within 15%. CUBIC_GRID runs FreeBSD's cc_cubic against Linux's tcp_cubic with
// Linux's loss recovery as shipped; every cell but one agrees within 15% (see there). Both
// grids give the two receivers the same 2 MB buffer ceiling (see RECEIVER_2MB). Then
// tshark's TCP analysis of a lossy transfer on each: VirtNet shows no warning or error kind
// Linux does not. Needs root, iproute2, iperf3, tcpdump and tshark; skipped with one line
// otherwise. Global state touched: only tcp_cubic's hystart module parameter, put back
// afterwards; every net.ipv4 setting is made inside the test's own namespaces. It runs in
// the `alone` project (vitest.config.mts), after every other suite: Linux's figures depend
// on the CPU its relay and iperf3 get.
//
// Topology: client — router — server. client→router: one-way delay d and loss p (the data
// path), router→client: delay d (the ACK path), router→server: the bottleneck, rate B with a
// 100-packet drop-tail queue (Linux: tbf; VirtNet: the link's bandwidth and queue). This
// kernel has no sch_netem, so on Linux the access link's delay and loss come from a small
// L2 relay (delay-relay.py) in a namespace of its own between client and router; its delay
// drifts with the machine's load, so VirtNet is given the RTT the Linux path measured. Offloads
// (TSO/GSO/GRO, checksum) are off so the kernel sends what a wire carries.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Capture } from '../../src/emulator/engine/capture';
import { World } from '../../src/emulator/engine/world';
import { openShell, runCommand } from '../../src/emulator/shell';
import { tsharkAvailable } from '../support/tshark';
import { netnsUnavailable, removeStaleNamespaces } from './netns';
import { virtnetDoc, type RefTopology } from './ref-topology';

function tool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const WHY =
  netnsUnavailable() ??
  (['iperf3', 'tc', 'tcpdump', 'ethtool', 'python3'].find((t) => !tool(t)) !== undefined ? `${['iperf3', 'tc', 'tcpdump', 'ethtool', 'python3'].find((t) => !tool(t))} not found` : !tsharkAvailable() ? 'tshark not found' : null);
if (WHY !== null) console.warn(`tcp-goodput.netns.test.ts skipped: ${WHY}`);

const TOPO: RefTopology = {
  name: 'goodput',
  nodes: [
    { name: 'client', kind: 'pc' },
    { name: 'router', kind: 'router' },
    { name: 'server', kind: 'pc' },
  ],
  links: [
    { a: ['client', '10.0.0.20/24'], b: ['router', '10.0.0.1/24'] },
    { a: ['router', '10.0.1.1/24'], b: ['server', '10.0.1.20/24'] },
  ],
  routes: [
    { node: 'client', dest: '0.0.0.0/0', gateway: '10.0.0.1' },
    { node: 'server', dest: '0.0.0.0/0', gateway: '10.0.1.1' },
  ],
  probes: [],
};

interface Cell {
  mbps: number;
  delayMs: number;
  lossPercent: number;
}

const CELLS: Cell[] = [
  { mbps: 1, delayMs: 10, lossPercent: 0 },
  { mbps: 1, delayMs: 100, lossPercent: 0 },
  { mbps: 10, delayMs: 20, lossPercent: 0 },
  { mbps: 10, delayMs: 50, lossPercent: 0 },
  { mbps: 100, delayMs: 1, lossPercent: 0 },
  { mbps: 100, delayMs: 20, lossPercent: 0 },
  { mbps: 10, delayMs: 20, lossPercent: 0.5 },
  { mbps: 10, delayMs: 5, lossPercent: 1 },
  { mbps: 100, delayMs: 10, lossPercent: 2 },
];
const SECONDS = 10;

/**
 * VN_GOODPUT_CELLS=100x20x0,10x5x1 runs only those cells (`${mbps}x${delayMs}x${lossPercent}`)
 * and skips the tshark comparison, to iterate on one cell quickly.
 */
const SELECTED = process.env.VN_GOODPUT_CELLS?.split(',').map((x) => x.trim()).filter((x) => x !== '') ?? null;
const cellName = (c: Cell): string => `${c.mbps}x${c.delayMs}x${c.lossPercent}`;
if (SELECTED !== null) {
  const unknown = SELECTED.filter((x) => !CELLS.some((c) => cellName(c) === x));
  if (unknown.length > 0) throw new Error(`VN_GOODPUT_CELLS: no such cell ${unknown.join(', ')} (cells: ${CELLS.map(cellName).join(', ')})`);
}
const RUN_CELLS = SELECTED === null ? CELLS : CELLS.filter((c) => SELECTED.includes(cellName(c)));

/** Bandwidth-delay product of a cell in full-size frames. */
const bdpPackets = (c: Cell): number => ((c.mbps * 1e6) / 8) * ((2 * c.delayMs) / 1000) / 1514;
const QUEUE_PACKETS = 100;
/** Linux runs and VirtNet seeds in a cell with random loss (each side's mean counts). */
const LINUX_RUNS_LOSSY = 3;
const VIRTNET_SEEDS_LOSSY = 5;

type LinuxCc = 'cubic' | 'reno';
type VirtnetCc = 'cubic' | 'newreno';

/** One grid: the same cells with one algorithm on both sides. */
interface Grid {
  title: string;
  claim: string;
  virtnetCc: VirtnetCc;
  /** sysctl settings of both VirtNet nodes (the algorithm first). */
  virtnetSysctls: readonly string[];
  linuxCc: LinuxCc;
  /** Per-namespace net.ipv4 settings of the Linux client and server for this grid. */
  linuxSysctls: readonly string[];
  /** HyStart on Linux in this cell (CUBIC only). */
  hystart: (c: Cell) => boolean;
  tolerance: (c: Cell) => number;
  asserted: (c: Cell) => boolean;
}

/**
 * Every Linux run starts as a fresh FreeBSD host would: net.ipv4.tcp_no_metrics_save=1, so
 * no ssthresh or RTT is carried from one iperf3 test to the next through tcp_metrics (each
 * VirtNet run is a new world with an empty host cache; Linux would otherwise start a cell
 * with the previous cell's ssthresh).
 */
const FRESH_HOST = ['net.ipv4.tcp_no_metrics_save=1'];

/**
 * Both receivers get a 2 MB ceiling that the window never reaches before the first loss:
 * VirtNet's (FreeBSD) receiver starts with net.inet.tcp.recvspace=2097152 (its
 * net.inet.tcp.recvbuf_max), Linux's may grow to 2 MB (net.ipv4.tcp_rmem max; default
 * 32 MB). With the defaults the receivers, not the senders, decide the cells whose BDP
 * exceeds the queue: FreeBSD's tcp_autorcvbuf grows the buffer by half per half RTT and
 * holds ~730 KB (515 segments) when slow start overshoots at 100 Mbit/s × 20 ms, where
 * Linux's receiver already advertises 1.5 MB. The sender, held at 515 segments by that
 * window, stalls in recovery until the first retransmission is acknowledged, then PRR
 * releases ~70 segments at once (prr_delivered − prr_out grew while the window was shut)
 * and slow-starts towards ssthresh at twice the bottleneck rate: a segment is lost again, a
 * second congestion event halves ssthresh once more (NewReno 258 → 129 segments, 67 Mbit/s;
 * CUBIC 62 Mbit/s), while Linux's sender, never window-limited, keeps the first ssthresh
 * (Linux 84 / 92 Mbit/s). With the same ceiling VirtNet gives 84.7 (NewReno) and 88.8
 * (CUBIC) there. That is FreeBSD's receive-buffer autosizing against Linux's, not TCP's
 * congestion control; this test compares the latter.
 */
const RECEIVER_2MB = 'net.ipv4.tcp_rmem=4096 131072 2097152';

/**
 * Linux configured like FreeBSD 14's base stack wherever Linux has a knob for a feature the
 * base stack lacks (all per-namespace, so nothing global changes), on a fresh host with the
 * receiver of RECEIVER_2MB:
 * - net.ipv4.tcp_recovery=0: no RACK (RFC 8985) loss detection. FreeBSD has RACK only as the
 *   separate tcp_rack stack; the base stack marks losses by RFC 6675's DupThresh (three
 *   duplicate ACKs or more than two segments SACKed above a hole), as Linux then does.
 * - net.ipv4.tcp_early_retrans=0: no Tail Loss Probe (RFC 8985 §7). The base stack has none
 *   (a lost tail is recovered by the retransmission timer).
 * - net.ipv4.tcp_frto=0: no F-RTO (RFC 5682). The base stack has none; it undoes a spurious
 *   timeout only by timestamps (t_badrxtwin), as Linux still does with F-RTO off.
 * Left as they are because the base stack has the same: SACK and D-SACK, PRR (Linux always,
 * FreeBSD net.inet.tcp.do_prr=1), limited transmit, initial window 10, delayed ACKs. The RTO
 * is not set: FreeBSD's (srtt + 4·rttvar + 200 ms slop, at least 30 ms) and Linux's (srtt +
 * max(4·mdev, 200 ms)) are close, and a timeout is rare here.
 */
const FREEBSD_BASE = [...FRESH_HOST, RECEIVER_2MB, 'net.ipv4.tcp_recovery=0', 'net.ipv4.tcp_early_retrans=0', 'net.ipv4.tcp_frto=0'];

/**
 * NewReno on both sides, Linux configured like FreeBSD's base stack (FREEBSD_BASE): the
 * algorithms are the same (RFC 5681 with byte counting, halving cwnd on loss, RFC 6582
 * recovery ending at ssthresh or pipe + 1 segment), so every cell, those whose BDP exceeds
 * the queue and those with random loss included, agrees within 15%. Differences no Linux
 * knob removes, small here: FreeBSD's PRR (tcp_do_prr_ack) sends one segment more than was
 * delivered on any ACK that delivered data without showing a new loss, Linux only on one
 * that moved snd_una; Linux grows cwnd only while it is used (tcp_is_cwnd_limited), FreeBSD
 * whenever cwnd ≤ the peer's window (net.inet.tcp.newcwv=0).
 */
const NEWRENO_GRID: Grid = {
  title: 'NewReno (VirtNet net.inet.tcp.cc.algorithm=newreno; Linux iperf3 -C reno like FreeBSD base: no RACK, TLP, F-RTO; both receivers 2 MB)',
  claim: 'every cell within 15%',
  virtnetCc: 'newreno',
  virtnetSysctls: ['net.inet.tcp.cc.algorithm=newreno', 'net.inet.tcp.recvspace=2097152'],
  linuxCc: 'reno',
  linuxSysctls: FREEBSD_BASE,
  hystart: () => false,
  tolerance: () => 0.15,
  asserted: () => true,
};

/**
 * CUBIC, FreeBSD's cc_cubic against Linux's tcp_cubic, Linux's loss recovery as shipped
 * (RACK-TLP, F-RTO), the receivers as in RECEIVER_2MB.
 *
 * FreeBSD 14's base stack runs no HyStart: its cc_cubic runs HyStart++ only when the TCP
 * stack sets CCF_HYSTART_ALLOWED (cubic_does_slow_start), which the default stack never does
 * (only RACK, when enabled). The cells whose BDP exceeds the queue, where the slow-start
 * overshoot decides the figure, run Linux's CUBIC without HyStart too. The other cells run
 * Linux as shipped: without HyStart its recovery from the deep overshoot of 1 Mbit/s × 200 ms
 * into a 1.2 s queue is erratic (0.73–0.92 Mbit/s from run to run, VirtNet 0.93), so it would
 * measure Linux's luck rather than VirtNet. The module parameter is global; the value found
 * is put back in afterAll.
 *
 * FreeBSD's cc_cubic is not Linux's tcp_cubic: cubic_ssthresh_update halves ssthresh at the
 * first congestion event and keeps only 0.7·cwnd as W_max (Linux: ssthresh 0.7·cwnd, W_max =
 * cwnd); with fast convergence it takes ssthresh = 0.7 of the already reduced 0.85·cwnd
 * (Linux reduces only W_max); its Reno-friendly estimate starts at 0.7·W_max and grows with
 * time / mean RTT (tf_cwnd in cc_cubic.h). Measured with each side's figure a mean over
 * runs (measureCell), the lossy cells agree all the same: 10 Mbit/s × 20 ms at 0.5% within
 * a few percent (the 25% this cell had needed came from single runs and from Linux starting
 * with the previous cell's cached ssthresh, see FRESH_HOST).
 * - 100 Mbit/s × 10 ms at 2% (BDP 165 frames) is printed, not asserted: VirtNet's cc_cubic
 *   measures +10% to +18% above Linux's tcp_cubic (VirtNet 4.11–4.16, Linux 3.51–3.75 Mbit/s
 *   over seven runs, 18.4% in a CI run whose third Linux run gave 3.06), while the same cell
 *   with NewReno on both sides agrees within 3%. With windows of 5–10 segments both CUBICs
 *   live in their Reno-friendly region, where FreeBSD's estimate grows with the time since
 *   the epoch and Linux's with the ACKed segments (tcp_cubic's tcp_friendliness), and Linux's
 *   RACK-TLP recovers differently. It read +17% to +20% while VirtNet took one RTT sample
 *   per round trip instead of FreeBSD's one per ACK from the timestamps, and without
 *   FreeBSD's undo of a spurious timeout.
 */
const HYSTART_PARAM = '/sys/module/tcp_cubic/parameters/hystart';
const CUBIC_GRID: Grid = {
  title: 'CUBIC (VirtNet FreeBSD cc_cubic; Linux iperf3 -C cubic, recovery as shipped: RACK-TLP, F-RTO; both receivers 2 MB)',
  claim: 'every cell within 15% but 100 Mbit/s × 10 ms at 2% (printed)',
  virtnetCc: 'cubic',
  virtnetSysctls: ['net.inet.tcp.cc.algorithm=cubic', 'net.inet.tcp.recvspace=2097152'],
  linuxCc: 'cubic',
  linuxSysctls: [...FRESH_HOST, RECEIVER_2MB, 'net.ipv4.tcp_recovery=1', 'net.ipv4.tcp_early_retrans=3', 'net.ipv4.tcp_frto=2'],
  hystart: (c) => bdpPackets(c) <= QUEUE_PACKETS,
  tolerance: () => 0.15,
  asserted: (c) => !(c.mbps === 100 && c.delayMs === 10 && c.lossPercent === 2),
};

const GRIDS: readonly Grid[] = [NEWRENO_GRID, CUBIC_GRID];
/** VN_GOODPUT_CC=newreno (or cubic) runs only that grid (and skips the tshark comparison). */
const SELECTED_GRIDS = process.env.VN_GOODPUT_CC?.split(',').map((x) => x.trim()) ?? null;
if (SELECTED_GRIDS !== null) {
  const unknown = SELECTED_GRIDS.filter((x) => !GRIDS.some((g) => g.virtnetCc === x));
  if (unknown.length > 0) throw new Error(`VN_GOODPUT_CC: no such grid ${unknown.join(', ')} (grids: ${GRIDS.map((g) => g.virtnetCc).join(', ')})`);
}

function sh(ns: string, args: string[], timeoutMs = 20_000): string {
  return execFileSync('ip', ['netns', 'exec', ns, ...args], { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The Linux side: namespaces client, delay (the relay), router, server, named as netns.ts names them. */
class GoodputLab {
  private readonly created: string[] = [];
  private relay: ChildProcess | null = null;

  ns(node: string): string {
    return `vnref${process.pid}-tcp-${node}`;
  }

  build(): void {
    for (const n of ['client', 'delay', 'router', 'server']) {
      execFileSync('ip', ['netns', 'add', this.ns(n)]);
      this.created.push(this.ns(n));
      execFileSync('ip', ['-n', this.ns(n), 'link', 'set', 'lo', 'up']);
    }
    sh(this.ns('router'), ['sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    // The relay's namespace is a wire: no addresses, no IPv6 chatter of its own.
    sh(this.ns('delay'), ['sysctl', '-q', '-w', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1']);
    const pairs: [string, string, string, string][] = [
      ['client', 'eth0', 'delay', 'd0'],
      ['delay', 'd1', 'router', 'eth0'],
      ['router', 'eth1', 'server', 'eth0'],
    ];
    pairs.forEach(([a, ia, b, ib], k) => {
      const ta = `vg${process.pid % 10000}${k}a`;
      const tb = `vg${process.pid % 10000}${k}b`;
      execFileSync('ip', ['link', 'add', ta, 'netns', this.ns(a), 'type', 'veth', 'peer', 'name', tb, 'netns', this.ns(b)]);
      execFileSync('ip', ['-n', this.ns(a), 'link', 'set', ta, 'name', ia]);
      execFileSync('ip', ['-n', this.ns(b), 'link', 'set', tb, 'name', ib]);
      for (const [n, i] of [[a, ia], [b, ib]]) {
        sh(this.ns(n), ['ethtool', '-K', i, 'tx', 'off', 'rx', 'off', 'sg', 'off', 'tso', 'off', 'gso', 'off', 'gro', 'off']);
        execFileSync('ip', ['-n', this.ns(n), 'link', 'set', i, 'up', ...(n === 'delay' ? ['promisc', 'on'] : [])]);
      }
    });
    const addr = (n: string, i: string, cidr: string) => execFileSync('ip', ['-n', this.ns(n), 'addr', 'add', cidr, 'dev', i]);
    addr('client', 'eth0', '10.0.0.20/24');
    addr('router', 'eth0', '10.0.0.1/24');
    addr('router', 'eth1', '10.0.1.1/24');
    addr('server', 'eth0', '10.0.1.20/24');
    execFileSync('ip', ['-n', this.ns('client'), 'route', 'add', 'default', 'via', '10.0.0.1']);
    execFileSync('ip', ['-n', this.ns('server'), 'route', 'add', 'default', 'via', '10.0.1.1']);
  }

  shape(c: Cell): void {
    this.relay?.kill();
    const relay = spawn('ip', ['netns', 'exec', this.ns('delay'), 'python3', join(__dirname, 'delay-relay.py'), 'd0', 'd1', String(c.delayMs), String(c.lossPercent), '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.relay = relay;
    const router = this.ns('router');
    try {
      sh(router, ['tc', 'qdisc', 'del', 'dev', 'eth1', 'root']);
    } catch {
      /* none yet */
    }
    const burst = Math.max(3028, Math.ceil((c.mbps * 1e6) / 8 / 250));
    sh(router, ['tc', 'qdisc', 'add', 'dev', 'eth1', 'root', 'tbf', 'rate', `${c.mbps}mbit`, 'burst', String(burst), 'limit', String(QUEUE_PACKETS * 1514)]);
    // The relay is up when a ping crosses it (python may take a few seconds to start on a busy machine).
    for (let k = 0; ; k++) {
      try {
        sh(this.ns('client'), ['ping', '-c', '1', '-W', '2', '10.0.1.20'], 10_000);
        break;
      } catch (e) {
        if (k >= 10) throw e;
      }
    }
  }

  /** Sets per-namespace TCP sysctls (net.ipv4.*) on both ends; namespaces are ours, so nothing global changes. */
  tcpSysctls(settings: readonly string[]): void {
    for (const n of ['client', 'server']) sh(this.ns(n), ['sysctl', '-q', '-w', ...settings]);
  }

  /** Mean RTT client → server in ms (the relay adds some scheduling delay to the nominal 2d). */
  rttMs(): number {
    const out = sh(this.ns('client'), ['ping', '-q', '-c', '6', '-i', '0.2', '10.0.1.20'], 20_000);
    const m = /= [0-9.]+\/([0-9.]+)\//.exec(out);
    if (m === null) throw new Error(`no rtt in ping output:\n${out}`);
    return Number(m[1]);
  }

  destroy(): void {
    this.relay?.kill();
    for (const ns of this.created.splice(0).reverse()) {
      try {
        execFileSync('ip', ['netns', 'del', ns]);
      } catch {
        /* gone */
      }
    }
  }
}

/**
 * Linux goodput (receiver, Mbit/s) of one iperf3 test, the sender's mean RTT (tcp_info), and
 * the access path's RTT while the test runs: pings to the router, which cross the relay
 * under the test's load but not the bottleneck queue the flow builds for itself (VirtNet
 * models that queue). `pcap` also records the test at the server.
 */
function linuxGoodput(lab: GoodputLab, cc: LinuxCc, pcap?: string): LinuxRun {
  const server = lab.ns('server');
  const srv: ChildProcess = spawn('ip', ['netns', 'exec', server, 'iperf3', '-s', '-1', '-B', '10.0.1.20'], { stdio: 'ignore' });
  let dump: ChildProcess | null = null;
  // The test runs synchronously (execFileSync): ping writes its summary to a file, not a pipe.
  const pingFile = join(mkdtempSync(join(tmpdir(), 'vn-goodput-ping-')), 'ping.txt');
  const pingFd = openSync(pingFile, 'w');
  const ping = spawn('ip', ['netns', 'exec', lab.ns('client'), 'ping', '-q', '-i', '0.2', '-w', String(SECONDS + 1), '10.0.0.1'], { stdio: ['ignore', pingFd, 'ignore'] });
  try {
    if (pcap !== undefined) dump = spawn('ip', ['netns', 'exec', server, 'tcpdump', '-i', 'eth0', '-s', '96', '-w', pcap, 'tcp port 5201'], { stdio: 'ignore' });
    execFileSync('sleep', ['1']);
    const counters = (): Map<string, number> => new Map(sh(lab.ns('client'), ['nstat', '-a', '-s', '-z']).split('\n').map((l) => l.split(/\s+/)).filter((f) => f.length >= 2).map((f) => [f[0], Number(f[1])]));
    const before = SELECTED !== null ? counters() : null;
    // The grid's algorithm (this kernel's default is BBR, which ignores random loss).
    const out = sh(lab.ns('client'), ['iperf3', '-c', '10.0.1.20', '-t', String(SECONDS), '-C', cc, '-J'], (SECONDS + 30) * 1000);
    const j = JSON.parse(out) as {
      intervals: { streams: { start: number; end: number; bits_per_second: number; retransmits: number; snd_cwnd: number; rtt: number }[] }[];
      end: { sum_received: { bits_per_second: number }; streams: { sender: { mean_rtt: number } }[] };
    };
    // With selected cells, each second of the Linux run as iperf3 shows it, to compare with VirtNet's.
    if (SELECTED !== null) {
      const lines = j.intervals.map(({ streams: [x] }) => `  ${x.start.toFixed(2)}-${x.end.toFixed(2)} s  ${(x.bits_per_second / 1e6).toFixed(1)} Mbit/s  retr ${x.retransmits}  cwnd ${Math.round(x.snd_cwnd / 1024)} KB  rtt ${(x.rtt / 1000).toFixed(1)} ms`);
      const after = counters();
      const delta = ['TcpRetransSegs', 'TcpExtTCPTimeouts', 'TcpExtTCPSackRecovery', 'TcpExtTCPLostRetransmit', 'TcpExtTCPLossProbes', 'TcpExtTCPSackRecoveryFail'].map((k) => `${k} ${(after.get(k) ?? 0) - (before!.get(k) ?? 0)}`);
      console.log(`Linux iperf3:\n${lines.join('\n')}\n  ${delta.join(', ')}`);
    }
    ping.kill('SIGINT');
    execFileSync('sleep', ['0.5']);
    const m = /= [0-9.]+\/([0-9.]+)\//.exec(readFileSync(pingFile, 'utf8'));
    const meanRttMs = j.end.streams[0].sender.mean_rtt / 1000;
    return { mbps: j.end.sum_received.bits_per_second / 1e6, meanRttMs, accessRttMs: m === null ? meanRttMs : Number(m[1]) };
  } finally {
    ping.kill();
    closeSync(pingFd);
    if (dump !== null) {
      execFileSync('sleep', ['1']);
      dump.kill('SIGINT');
      execFileSync('sleep', ['1']);
    }
    srv.kill();
  }
}

/** VirtNet goodput of the same iperf3 test on the same shaped topology; `cap` records at the server. */
function virtnetGoodput(c: Cell, capture: boolean, rttMs: number, sysctls: readonly string[] = [], seed = 1): { mbps: number; cap: Capture | null } {
  const doc = virtnetDoc(TOPO);
  const [access, bottleneck] = doc.links;
  // The RTT Linux's path really had, split over the two directions of the access link.
  access.params = { ...access.params, delayUs: Math.round((rttMs / 2) * 1000) };
  bottleneck.params = { ...bottleneck.params, bandwidthBps: c.mbps * 1e6, queuePackets: QUEUE_PACKETS };
  const w = new World(doc, { seed, traceCapacity: 16 });
  for (const node of ['client', 'server']) {
    for (const setting of sysctls) {
      const r = runCommand(w, node, `sysctl ${setting}`);
      if (r.exitCode !== 0) throw new Error(`${node}: ${r.output}`);
    }
  }
  // Loss on the data path only (client → router), as netem on the client's egress.
  if (c.lossPercent > 0) w.setLinkParams(access.id, { lossPercent: c.lossPercent }, access.a.node === doc.nodes.find((n) => n.name === 'client')!.id ? 'ab' : 'ba');
  const cap = capture ? w.startCapture({ kind: 'iface', node: 'server', iface: 'eth0' }) : null;
  const srv = openShell(w, w.findNode('server')!.id, { write: () => {} });
  srv.exec('iperf3 -s -D', () => {});
  const r = runCommand(w, 'client', `iperf3 -c 10.0.1.20 -t ${SECONDS}`, (SECONDS + 30) * 1e9);
  cap?.finish();
  if (SELECTED !== null) console.log(`VirtNet iperf3:\n${r.output}`);
  const m = /\s([0-9.]+) ([KMG]?)bits\/sec\s+receiver$/m.exec(r.output);
  if (m === null) throw new Error(`no receiver line:\n${r.output}`);
  return { mbps: Number(m[1]) * ({ '': 1e-6, K: 1e-3, M: 1, G: 1e3 } as Record<string, number>)[m[2]], cap };
}

/** tshark's TCP-analysis expert kinds at Warning or Error severity: `Warning: Previous segment(s) not captured …`. */
function tcpAnalysisKinds(file: string): Set<string> {
  const out = execFileSync('tshark', ['-r', file, '-Y', 'tcp.analysis.flags', '-T', 'fields', '-e', '_ws.expert.severity', '-e', '_ws.expert.message'], { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 120_000 });
  const kinds = new Set<string>();
  for (const line of out.split('\n')) {
    const [sevs, msgs] = line.split('\t');
    if (!sevs || !msgs) continue;
    const sv = sevs.split(',');
    const ms = msgs.split(',');
    sv.forEach((s, k) => {
      // 6291456 = Warning, 8388608 = Error (epan/proto.h PI_WARN, PI_ERROR).
      if (Number(s) >= 6291456 && ms[k] !== undefined) kinds.add(ms[k].replace(/\d+/g, 'N'));
    });
  }
  return kinds;
}

/** Linux's side of one run (see measureCell for how runs make a cell's figure). */
interface LinuxRun {
  mbps: number;
  meanRttMs: number;
  accessRttMs: number;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** One row of a grid's table and whether it agreed. */
interface CellResult {
  row: string;
  ok: boolean;
}

/**
 * Measures one cell of `grid`: Linux first (its RTT feeds VirtNet), then VirtNet.
 * - With random loss one 10 s run sees only some 20–90 losses, and its goodput moves with
 *   where they fall (Linux 3.5–4.7 Mbit/s from run to run at 100 Mbit/s × 10 ms × 2%, VirtNet
 *   3.7–4.8 over seeds), so each side's figure is a mean: Linux over LINUX_RUNS_LOSSY runs
 *   through the same relay (its drop pattern continues from run to run), VirtNet over
 *   VIRTNET_SEEDS_LOSSY seeds (a VirtNet run costs a few seconds of CPU, a Linux run 13 s).
 * - Without loss one run each; if they disagree, Linux runs twice more and the median of the
 *   three counts: a run starved of CPU on a loaded machine falls short of the line rate, and
 *   the median discards one such run but cannot prefer a lucky run to two typical ones.
 */
function measureCell(lab: GoodputLab, grid: Grid, c: Cell): CellResult {
  lab.shape(c);
  const lossy = c.lossPercent > 0;
  // The relay's delay drifts with the machine's load, so a lossy cell takes the access
  // path's RTT measured during the tests (pings to the router: the relay under load, not
  // the bottleneck queue). tcp_info's mean RTT would count the queue the Linux flow built
  // (at 10 Mbit/s × 5 ms with 1% loss 15 ms against a 10.7 ms path), and VirtNet then
  // adds its own queue on top. Cells without loss fill the queue; they use the idle ping.
  const idleRtt = lossy ? 0 : lab.rttMs();
  const runs: LinuxRun[] = [];
  for (let k = 0; k < (lossy ? LINUX_RUNS_LOSSY : 1); k++) runs.push(linuxGoodput(lab, grid.linuxCc));
  const rtt = lossy ? median(runs.map((r) => r.accessRttMs)) : idleRtt;
  const seeds = Array.from({ length: lossy ? VIRTNET_SEEDS_LOSSY : 1 }, (_, k) => k + 1);
  const vnRuns = seeds.map((seed) => virtnetGoodput(c, false, rtt, grid.virtnetSysctls, seed).mbps);
  const vn = mean(vnRuns);
  let linux = mean(runs.map((r) => r.mbps));
  const tol = grid.tolerance(c);
  if (!lossy && Math.abs((vn - linux) / linux) > tol) {
    runs.push(linuxGoodput(lab, grid.linuxCc), linuxGoodput(lab, grid.linuxCc));
    linux = median(runs.map((r) => r.mbps));
  }
  const diff = (vn - linux) / linux;
  const asserted = grid.asserted(c);
  const runsNote = runs.length > 1 ? `  (Linux ${runs.map((r) => r.mbps.toFixed(2)).join(', ')}${vnRuns.length > 1 ? `; VirtNet ${vnRuns.map((x) => x.toFixed(2)).join(', ')}` : ''})` : '';
  const row =
    `${String(c.mbps).padStart(11)}  ${String(c.delayMs).padStart(8)}  ${String(c.lossPercent).padStart(6)}  ${rtt.toFixed(1).padStart(6)}  ${`(${median(runs.map((r) => r.meanRttMs)).toFixed(1)})`.padStart(12)}  ${linux.toFixed(2).padStart(12)}  ${vn.toFixed(2).padStart(14)}  ${(diff * 100).toFixed(1).padStart(5)}%` +
    (asserted ? '' : '  (reported, not asserted)') +
    runsNote;
  return { row, ok: !asserted || Math.abs(diff) <= tol };
}

describe.skipIf(WHY !== null)('TCP goodput against Linux in network namespaces', () => {
  const lab = new GoodputLab();
  let hystart: string | null = null;
  /** HyStart on (as the kernel had it) or off for the next Linux runs. */
  const setHystart = (on: boolean) => {
    if (hystart !== null) writeFileSync(HYSTART_PARAM, on ? hystart : '0');
  };
  beforeAll(() => {
    removeStaleNamespaces();
    lab.build();
    try {
      hystart = readFileSync(HYSTART_PARAM, 'utf8').trim();
    } catch {
      hystart = null; // tcp_cubic built in without parameters: HyStart stays as it is
    }
  });
  afterAll(() => {
    if (hystart !== null) writeFileSync(HYSTART_PARAM, hystart);
    lab.destroy();
  });

  for (const grid of GRIDS) {
    it.skipIf(SELECTED_GRIDS !== null && !SELECTED_GRIDS.includes(grid.virtnetCc))(`${grid.title}: ${grid.claim}, and prints the table`, () => {
      const rows: string[] = [`${grid.title}`, 'rate Mbit/s  delay ms  loss %  RTT ms  (Linux mean)  Linux Mbit/s  VirtNet Mbit/s   diff'];
      const bad: string[] = [];
      lab.tcpSysctls(grid.linuxSysctls);
      for (const c of RUN_CELLS) {
        if (grid.linuxCc === 'cubic') setHystart(grid.hystart(c));
        const r = measureCell(lab, grid, c);
        rows.push(r.row);
        if (!r.ok) bad.push(r.row);
      }
      console.log(rows.join('\n'));
      expect(bad).toEqual([]);
    }, 900_000);
  }

  it.skipIf(SELECTED !== null || SELECTED_GRIDS !== null)('tshark finds no TCP-analysis warning or error kind on VirtNet that Linux does not show', () => {
    const c: Cell = { mbps: 10, delayMs: 20, lossPercent: 1 };
    lab.shape(c);
    lab.tcpSysctls(CUBIC_GRID.linuxSysctls);
    setHystart(false);
    const dir = mkdtempSync(join(tmpdir(), 'vn-goodput-'));
    const linuxPcap = join(dir, 'linux.pcap');
    const rtt = linuxGoodput(lab, 'cubic', linuxPcap).meanRttMs;
    const vn = virtnetGoodput(c, true, rtt, CUBIC_GRID.virtnetSysctls);
    const vnPcap = join(dir, 'virtnet.pcap');
    writeFileSync(vnPcap, vn.cap!.toPcap());
    const linux = tcpAnalysisKinds(linuxPcap);
    const ours = tcpAnalysisKinds(vnPcap);
    console.log(`tshark TCP analysis (Warning/Error) — Linux: ${[...linux].sort().join('; ')}\n  VirtNet: ${[...ours].sort().join('; ')}`);
    expect([...ours].filter((k) => !linux.has(k))).toEqual([]);
  }, 300_000);
});
