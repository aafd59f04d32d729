// Name and number parsing shared by the shell's tools. A host name resolves as on FreeBSD
// (`hosts: files dns`): a literal, /etc/hosts, the world's node names (IMUNES's
// auto_etc_hosts), then DNS through the node's stub resolver (node/services/resolver.ts).

import type { NodeRuntime, World } from '../../engine/world';
import { dnsLookup, hostsLookup, RESOLV_CONF } from '../../node/services/resolver';
import { parseIpv4 } from '../../wire/addr';
import { EXIT, type CommandContext, type Job } from '../types';
import { isIpv6LinkLocal, parseIpv6 } from '../../wire/ipv6-addr';

/** IPv4 address of `text`: dotted quad, or the first address of the node so named. */
export function resolveHost(world: World, text: string): number | null {
  const ip = parseIpv4(text);
  if (ip !== null) return ip;
  const node = world.nodeByName(text);
  if (!node || !node.stack) return null;
  for (const iface of node.stack.ifaces) {
    if (iface.loopback) continue;
    if (iface.addrs.length > 0) return iface.addrs[0].addr;
  }
  return null;
}

/**
 * A TCP destination as the tools take it: an IPv6 literal (16 bytes), a dotted quad, or a
 * node's name: its first IPv4 address, or with `six` (-6) its first global IPv6 address.
 */
export function resolveHost46(world: World, text: string, six: boolean): number | Uint8Array | null {
  const a6 = text.includes(':') ? parseIpv6(text) : null;
  if (a6 !== null) return a6;
  if (!six) return resolveHost(world, text);
  if (parseIpv4(text) !== null) return null;
  const stack = world.nodeByName(text)?.stack;
  if (!stack || stack.inet6 === null) return null;
  for (const iface of stack.ifaces) {
    if (iface.loopback) continue;
    for (const a of stack.inet6.ifs[iface.index]?.addrs ?? []) if (!a.linkLocal && !isIpv6LinkLocal(a.addr)) return a.addr;
  }
  return null;
}

/** A strict decimal integer (no sign, no junk), or null. */
export function parseUint(text: string | undefined): number | null {
  if (text === undefined || !/^[0-9]+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** A non-negative decimal number such as `0.5`, or null. */
export function parseDecimal(text: string | undefined): number | null {
  if (text === undefined || !/^([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(text)) return null;
  return Number(text);
}

/** Name of the node that owns `addr` (reverse of resolveHost), or null. */
export function nodeNameOf(world: World, addr: number): string | null {
  for (const node of world.nodes) {
    if (node.stack?.local.has(addr >>> 0)) return node.name;
  }
  return null;
}

export type HostFailure = 'not-found' | 'try-again';

/** hstrerror(3)'s text for a failed lookup, as ping prints it. */
export function hostErrorText(f: HostFailure): string {
  return f === 'not-found' ? 'Unknown host' : 'Host name lookup failure';
}

/** Address of `text` without the network: a literal, /etc/hosts, then node names; null when DNS must be asked. */
export function resolveHostLocal(world: World, node: NodeRuntime, text: string): number | null {
  const lit = parseIpv4(text);
  if (lit !== null) return lit;
  const h = hostsLookup(node.files, text, 4);
  if (typeof h === 'number') return h;
  return resolveHost(world, text);
}

/**
 * Resolves `text` the way getaddrinfo does on a node, then continues with `then`. The order:
 * a literal address; /etc/hosts; the names of the nodes (what IMUNES's auto_etc_hosts would
 * write into /etc/hosts); then DNS through /etc/resolv.conf (stub resolver, in virtual time).
 * Returns `then`'s result at once when no query is needed; otherwise a job that runs `then`
 * (or `fail`) once the answer arrives, so the command becomes asynchronous only while it waits.
 */
export function resolveHostThen(
  ctx: CommandContext,
  text: string,
  then: (addr: number) => number | Job,
  fail: (f: HostFailure) => number,
  readsInput = false,
): number | Job {
  const local = resolveHostLocal(ctx.world, ctx.node, text);
  if (local !== null) return then(local);
  if (!ctx.stack || !usesDns(ctx.node)) return fail('not-found');
  return waitFor<number>(
    (done) => dnsLookup(ctx.stack, ctx.node.files, text, 4, (r) => done(r.ok ? { ok: true, value: r.addrs[0] as number } : { ok: false, f: r.error }), ctx.gate()),
    ctx, then, fail, readsInput,
  );
}

/**
 * resolveHostThen for tools that speak IPv4 and IPv6 (nc, iperf3): an IPv6 literal goes
 * straight on; with `six` (-6) a name resolves to IPv6: /etc/hosts, a node's first global
 * address, then a DNS AAAA query; without it, as resolveHostThen.
 */
export function resolveHost46Then(
  ctx: CommandContext,
  text: string,
  six: boolean,
  then: (addr: number | Uint8Array) => number | Job,
  fail: (f: HostFailure) => number,
  readsInput = false,
): number | Job {
  const lit6 = text.includes(':') ? parseIpv6(text) : null;
  if (lit6 !== null) return then(lit6);
  if (!six) return resolveHostThen(ctx, text, then, fail, readsInput);
  if (parseIpv4(text) !== null) return fail('not-found');
  const h = hostsLookup(ctx.node.files, text, 6);
  if (h instanceof Uint8Array) return then(h);
  const local = resolveHost46(ctx.world, text, true);
  if (local !== null) return then(local);
  if (!ctx.stack || !usesDns(ctx.node)) return fail('not-found');
  return waitFor<number | Uint8Array>(
    (done) => dnsLookup(ctx.stack, ctx.node.files, text, 6, (r) => done(r.ok ? { ok: true, value: r.addrs[0]! } : { ok: false, f: r.error }), ctx.gate()),
    ctx, then, fail, readsInput,
  );
}

/**
 * Whether the node asks DNS at all: it has /etc/resolv.conf, or runs named (libc's default
 * server is 127.0.0.1). A node with neither fails at once, as it did before DNS existed,
 * instead of querying a loopback nobody answers on.
 */
export function usesDns(node: NodeRuntime): boolean {
  return node.named !== undefined || node.files?.exists(RESOLV_CONF) === true;
}

/** A job that waits for an asynchronous lookup, then hands over to what `then` starts. */
export function waitFor<T>(
  start: (done: (r: { ok: true; value: T } | { ok: false; f: HostFailure }) => void) => { cancel(): void },
  ctx: CommandContext,
  then: (value: T) => number | Job,
  fail: (f: HostFailure) => number,
  readsInput = false,
): Job {
  let inner: Job | null = null;
  let over = false;
  const pending = start((r) => {
    if (over) return;
    const res = r.ok ? then(r.value) : fail(r.f);
    if (typeof res === 'number') {
      over = true;
      ctx.finish(res);
    } else inner = res;
  });
  const job: Job = {
    interrupt: () => {
      if (inner) return inner.interrupt();
      if (over) return;
      over = true;
      pending.cancel();
      ctx.finish(EXIT.INTERRUPTED);
    },
  };
  if (readsInput) job.input = (t: string) => inner?.input?.(t);
  return job;
}
