// Builds a reference topology in Linux network namespaces (one per node, veth pairs per
// link, static routes) so tests can compare VirtNet with what the kernel does. Needs root
// and iproute2; every namespace it creates is named `vnref<pid>-…` and removed by destroy().

import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { ifacesOf, type RefProbe, type RefTopology } from './ref-topology';

const PREFIX = 'vnref';

function run(cmd: string, args: string[], timeoutMs = 10_000): string {
  return execFileSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Why the kernel reference cannot run here, or null when it can. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'needs root to create network namespaces';
  for (const [tool, pkg] of [['ip', 'iproute2'], ['ping', 'iputils-ping'], ['traceroute', 'traceroute']]) {
    try {
      run('sh', ['-c', `command -v ${tool}`]);
    } catch {
      return `${tool} not found (Debian package ${pkg})`;
    }
  }
  const probe = `${PREFIX}${process.pid}-probe`;
  try {
    run('ip', ['netns', 'add', probe]);
  } catch (e) {
    return `ip netns add failed: ${String((e as { stderr?: string }).stderr ?? e).trim().split('\n')[0]}`;
  } finally {
    try {
      run('ip', ['netns', 'del', probe]);
    } catch {
      /* never created */
    }
  }
  return null;
}

/** Removes namespaces left by earlier runs whose process is gone (a killed test run). */
export function removeStaleNamespaces(): void {
  const list = run('ip', ['netns', 'list']);
  for (const line of list.split('\n')) {
    const name = line.split(' ')[0];
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (m === null || existsSync(`/proc/${m[1]}`)) continue;
    try {
      run('ip', ['netns', 'del', name]);
    } catch {
      /* already gone */
    }
  }
}

export class NetnsLab {
  private readonly created: string[] = [];
  private seq = 0;

  constructor(private readonly tag: string) {}

  ns(node: string): string {
    return `${PREFIX}${process.pid}-${this.tag}-${node}`;
  }

  /** Creates the namespaces, links, addresses and routes of `t`. Throws on any failure (call destroy). */
  build(t: RefTopology): void {
    const ifaces = ifacesOf(t);
    for (const n of t.nodes) {
      const ns = this.ns(n.name);
      run('ip', ['netns', 'add', ns]);
      this.created.push(ns);
      const sysctls = [
        `net.ipv4.ip_forward=${n.kind === 'router' ? 1 : 0}`,
        // Asymmetric routes are the point: no reverse-path filter, no redirects, no ICMP rate limit.
        'net.ipv4.conf.all.rp_filter=0',
        'net.ipv4.conf.default.rp_filter=0',
        'net.ipv4.conf.all.send_redirects=0',
        'net.ipv4.conf.default.send_redirects=0',
        'net.ipv4.conf.all.accept_redirects=0',
        'net.ipv4.conf.default.accept_redirects=0',
        'net.ipv4.icmp_ratelimit=0',
      ];
      run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', ...sysctls]);
      run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    const next = new Map<string, number>();
    for (const l of t.links) {
      const ends = [l.a, l.b].map(([node, cidr]) => {
        const k = next.get(node) ?? 0;
        next.set(node, k + 1);
        return { node, cidr, name: ifaces.get(node)![k][0] };
      });
      // Temporary names in the root namespace's scope, renamed once inside the node.
      const tmp = ends.map((_, i) => `vr${process.pid % 10000}${this.seq}${i}`);
      this.seq++;
      run('ip', ['link', 'add', tmp[0], 'netns', this.ns(ends[0].node), 'type', 'veth', 'peer', 'name', tmp[1], 'netns', this.ns(ends[1].node)]);
      ends.forEach((e, i) => {
        const ns = this.ns(e.node);
        run('ip', ['-n', ns, 'link', 'set', tmp[i], 'name', e.name]);
        // Rule out rp_filter on the interface itself too (the kernel uses max(all, iface)).
        run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', `net.ipv4.conf.${e.name}.rp_filter=0`]);
        run('ip', ['-n', ns, 'addr', 'add', e.cidr, 'dev', e.name]);
        run('ip', ['-n', ns, 'link', 'set', e.name, 'up']);
      });
    }
    for (const r of t.routes) {
      const dest = r.dest === '0.0.0.0/0' ? 'default' : r.dest;
      run('ip', ['-n', this.ns(r.node), 'route', 'add', dest, 'via', r.gateway]);
    }
  }

  /** Output of the probe as the Linux tools print it (numeric). */
  probe(p: RefProbe): string {
    const ns = this.ns(p.from);
    try {
      if (p.kind === 'ping') return run('ip', ['netns', 'exec', ns, 'ping', '-n', '-c', '1', '-W', '1', '-t', String(p.ttl ?? 64), p.to], 15_000);
      return run('ip', ['netns', 'exec', ns, 'traceroute', '-n', '-q', '1', '-w', '1', '-m', String(p.maxHops ?? 6), p.to], 60_000);
    } catch (e) {
      // ping exits 1 when no reply came: its output is still the answer.
      const out = (e as { stdout?: string }).stdout;
      if (typeof out === 'string') return out;
      throw e;
    }
  }

  /** Deletes every namespace this lab created (their veths go with them). Never throws. */
  destroy(): void {
    for (const ns of this.created.splice(0).reverse()) {
      try {
        run('ip', ['netns', 'del', ns]);
      } catch {
        /* already gone */
      }
    }
  }
}

/**
 * Removes a folder a reference daemon wrote to. A daemon that was just sent SIGTERM may still
 * be writing its journal or pid file there, so a failed removal is retried for up to 2 s and
 * then reported on stderr instead of failing the suite. Never throws.
 */
export function removeTree(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  } catch (e) {
    console.warn(`could not remove ${path}: ${(e as Error).message}`);
  }
}

/** Sends SIGTERM to a spawned reference process and waits (at most `ms`) until it has exited, then SIGKILL. */
export async function stopChild(child: ChildProcess | null, ms = 5_000): Promise<void> {
  if (child === null || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), ms).unref());
  if ((await Promise.race([exited, timer])) === 'late') {
    child.kill('SIGKILL');
    await exited;
  }
}
