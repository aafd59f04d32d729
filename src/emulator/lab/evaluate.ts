// Evaluates one lab check against a running World, as a student would look: ping in a
// node's shell, read the routing table and addresses from the inspect snapshot, match a
// command's output, filter captured frames, follow a ping's traffic. Every result says
// what it looked at and, when it fails, why, in words a student reads. Never trusts a file.

import { SimStall } from '../sim/scheduler';
import type { Capture } from '../engine/capture';
import { nodeSnapshot } from '../engine/inspect';
import type { World } from '../engine/world';
import { compileFilter } from '../filter/display-filter';
import { runCommand } from '../shell';
import type { AddressPredicate, CheckPredicate, CommandPredicate, PacketPredicate, PathPredicate, PingPredicate, RoutePredicate } from '../topology/lab';
import { formatCidr, parseCidr, parseIpv4 } from '../wire/addr';
import { summarizeFrame } from '../wire/decode';

export interface CheckOutcome {
  passed: boolean;
  /** What the check looked at, and on failure why it failed. */
  detail: string;
}

/** Virtual time one check's command may run before it is interrupted (like Ctrl-C). */
export const CHECK_COMMAND_LIMIT_NS = 120e9;
const EXCERPT_CHARS = 300;

export interface EvalContext {
  world: World;
  /** Captures started at boot for packet checks, by `node:iface`. */
  captures: Map<string, Capture>;
  /**
   * Set once a command stalled (virtual time stood still: a frame storm, e.g. a switching
   * loop): later commands would stall again, so checks that run one fail at once with this.
   */
  stuck?: string;
}

const STUCK = 'the network was stuck in a frame storm (virtual time stood still; is there a switching loop?)';

/** Runs a check's command unless the network is already stuck; marks it stuck on a stall. */
export function checkCommand(ctx: EvalContext, nodeId: string, line: string, limitNs = CHECK_COMMAND_LIMIT_NS): { output: string } | string {
  if (ctx.stuck) return ctx.stuck;
  try {
    return { output: runCommand(ctx.world, nodeId, line, limitNs).output };
  } catch (e) {
    if (!(e instanceof SimStall)) throw e;
    ctx.stuck = STUCK;
    return `\`${line}\` was stopped: ${STUCK}`;
  }
}

/** Lets the network run `seconds` of virtual time (a protocol converging), unless it is stuck. */
export function settle(ctx: EvalContext, seconds: number): void {
  if (ctx.stuck || seconds <= 0) return;
  try {
    ctx.world.sim.runUntil(ctx.world.sim.now() + seconds * 1e9);
  } catch (e) {
    if (!(e instanceof SimStall)) throw e;
    ctx.stuck = STUCK;
  }
}

const fail = (detail: string): CheckOutcome => ({ passed: false, detail });
const pass = (detail: string): CheckOutcome => ({ passed: true, detail });

function excerpt(text: string): string {
  const t = text.trim().replace(/\s*\n\s*/g, ' | ');
  return t.length > EXCERPT_CHARS ? `${t.slice(0, EXCERPT_CHARS)}…` : t;
}

/** The node by name if it runs a stack (or bridge), else why not. */
function runningNode(world: World, name: string, needStack = true): { id: string } | string {
  const n = world.nodeByName(name);
  if (!n) return `the network has no node named ${name}`;
  if (needStack && !n.stack) return `${name} (kind ${n.kind}) has no IP stack to run this on`;
  return { id: n.id };
}

/** An IPv4 address for `to`: itself, or the first address of the node so named. */
function targetAddress(world: World, to: string): { ip: string; label: string } | string {
  if (parseIpv4(to) !== null && /^\d+\.\d+\.\d+\.\d+$/.test(to)) return { ip: to, label: to };
  const n = world.nodeByName(to);
  if (!n) return `the network has no node named ${to}`;
  if (!n.stack) return `${to} (kind ${n.kind}) has no IP address to ping`;
  for (const f of n.stack.ifaces) {
    if (f.loopback) continue;
    const a = f.addrs[0];
    if (a) return { ip: formatCidr(a.addr, a.prefixLen).split('/')[0]!, label: `${to} (${formatCidr(a.addr, a.prefixLen).split('/')[0]})` };
  }
  return `${to} has no IPv4 address on any interface`;
}

/** The network address of `addr` under a prefix length (unsigned). */
function networkOf(addr: number, prefixLen: number): number {
  return prefixLen === 0 ? 0 : (addr & (~0 << (32 - prefixLen))) >>> 0;
}

function pingRun(ctx: EvalContext, from: string, to: string, count: number): { sent: number; got: number; target: string; output: string } | string {
  const node = runningNode(ctx.world, from);
  if (typeof node === 'string') return node;
  const t = targetAddress(ctx.world, to);
  if (typeof t === 'string') return t;
  const r = checkCommand(ctx, node.id, `ping -c ${count} ${t.ip}`);
  if (typeof r === 'string') return r;
  const m = /(\d+) packets transmitted, (\d+) packets received/.exec(r.output);
  return { sent: m ? Number(m[1]) : 0, got: m ? Number(m[2]) : 0, target: t.label, output: r.output };
}

function evalPing(ctx: EvalContext, p: PingPredicate): CheckOutcome {
  const count = p.count ?? 3;
  const r = pingRun(ctx, p.from, p.to, count);
  if (typeof r === 'string') return fail(r);
  const summary = `${r.sent} sent, ${r.got} answered`;
  if (p.expect === 'reachable') {
    if (r.got > 0) return pass(`${p.from} pinged ${r.target}: ${summary}`);
    const why = r.output.split('\n').find((l) => /^ping:|unreachable|timed out|No route/i.test(l));
    return fail(`${p.from} cannot ping ${r.target}: ${summary}${why ? ` (${excerpt(why)})` : ''}`);
  }
  if (r.got === 0) return pass(`${p.from} cannot reach ${r.target}, as required: ${summary}`);
  return fail(`${p.from} can ping ${r.target} (${summary}), but it must not be able to`);
}

function evalRoute(ctx: EvalContext, p: RoutePredicate): CheckOutcome {
  const node = runningNode(ctx.world, p.node);
  if (typeof node === 'string') return fail(node);
  const c = parseCidr(p.dest)!;
  const want = formatCidr(networkOf(c.addr, c.prefixLen), c.prefixLen);
  const routes = nodeSnapshot(ctx.world, ctx.world.nodeById(node.id)!).routes;
  const table = routes.map((r) => `${r.dest}${r.gateway ? ` via ${r.gateway}` : ` on ${r.iface}`}`).join(', ');
  const hits = routes.filter((r) => r.dest === want || (want === '0.0.0.0/0' && r.dest === 'default'));
  if (!hits.length) return fail(`${p.node}'s routing table has no route to ${want} (it has: ${table || 'nothing'})`);
  if (p.gateway === undefined) return pass(`${p.node} has a route to ${want}`);
  if (hits.some((r) => r.gateway === p.gateway)) return pass(`${p.node} routes ${want} via ${p.gateway}`);
  return fail(`${p.node} routes ${want} via ${hits.map((r) => r.gateway ?? `direct on ${r.iface}`).join(', ')}, not via ${p.gateway}`);
}

function evalAddress(ctx: EvalContext, p: AddressPredicate): CheckOutcome {
  const node = runningNode(ctx.world, p.node);
  if (typeof node === 'string') return fail(node);
  const subnet = parseCidr(p.subnet)!;
  const ifaces = nodeSnapshot(ctx.world, ctx.world.nodeById(node.id)!).interfaces.filter((f) => (p.iface === undefined ? f.name !== 'lo0' : f.name === p.iface));
  if (p.iface !== undefined && !ifaces.length) return fail(`${p.node} has no interface ${p.iface}`);
  const where = p.iface ? `${p.node} ${p.iface}` : p.node;
  const all = ifaces.flatMap((f) => f.ipv4.map((a) => ({ f: f.name, a })));
  const inside = all.find(({ a }) => {
    const c = parseCidr(a);
    return c !== null && networkOf(c.addr, subnet.prefixLen) === networkOf(subnet.addr, subnet.prefixLen);
  });
  if (inside) return pass(`${where} has ${inside.a} (on ${inside.f}), inside ${p.subnet}`);
  return fail(`${where} has ${all.length ? all.map(({ f, a }) => `${a} on ${f}`).join(', ') : 'no IPv4 address'}; none is inside ${p.subnet}`);
}

function evalCommand(ctx: EvalContext, p: CommandPredicate): CheckOutcome {
  const node = runningNode(ctx.world, p.node, false);
  if (typeof node === 'string') return fail(node);
  const r = checkCommand(ctx, node.id, p.command);
  if (typeof r === 'string') return fail(r);
  const matched = new RegExp(p.pattern, 'm').test(r.output);
  const want = (p.expect ?? 'match') === 'match';
  const looked = `the output of \`${p.command}\` on ${p.node}`;
  if (matched === want) return pass(`${looked} ${want ? 'shows' : 'does not show'} /${p.pattern}/`);
  return fail(`${looked} ${want ? 'does not show' : 'shows'} /${p.pattern}/; it printed: ${excerpt(r.output) || '(nothing)'}`);
}

function evalPacket(ctx: EvalContext, p: PacketPredicate): CheckOutcome {
  const cap = ctx.captures.get(p.at);
  const f = compileFilter(p.filter);
  if (!cap || !f.ok) return fail(`cannot capture at ${p.at} in this network`);
  let hits = 0;
  for (const fr of cap.frames) {
    if (f.match({ ...summarizeFrame(fr.frame), lengthBytes: fr.frame.length, where: p.at, bytes: fr.frame })) hits++;
  }
  const want = (p.expect ?? 'seen') === 'seen';
  const looked = `${cap.frames.length} frames captured at ${p.at}`;
  if ((hits > 0) === want) return pass(`${looked}, ${hits} match \`${p.filter}\``);
  return fail(want ? `no frame matching \`${p.filter}\` was seen at ${p.at} (${looked})` : `${hits} frames matching \`${p.filter}\` were seen at ${p.at}, and none should be`);
}

function evalPath(ctx: EvalContext, p: PathPredicate): CheckOutcome {
  const crossed = new Set<string>();
  const names = new Map(ctx.world.nodes.map((n) => [n.id, n.name] as const));
  const stop = ctx.world.onTraffic((e) => {
    if (e.proto === 'icmp' && e.action !== 'drop') crossed.add(names.get(e.node) ?? e.node);
  });
  let r;
  try {
    r = pingRun(ctx, p.from, p.to, 1);
  } finally {
    stop();
  }
  if (typeof r === 'string') return fail(r);
  const seen = [...crossed].sort().join(', ') || 'no node';
  if (r.got === 0) return fail(`the ping from ${p.from} to ${r.target} got no answer, so it crossed no complete path (it reached ${seen})`);
  const missing = p.through.filter((n) => !crossed.has(n));
  const wrong = p.avoid.filter((n) => crossed.has(n));
  if (missing.length) return fail(`the ping from ${p.from} to ${r.target} did not cross ${missing.join(', ')} (it crossed ${seen})`);
  if (wrong.length) return fail(`the ping from ${p.from} to ${r.target} crossed ${wrong.join(', ')}, which it must avoid (it crossed ${seen})`);
  return pass(`the ping from ${p.from} to ${r.target} crossed ${seen}`);
}

export function evaluateCheck(ctx: EvalContext, p: CheckPredicate): CheckOutcome {
  switch (p.type) {
    case 'ping': return evalPing(ctx, p);
    case 'route': return evalRoute(ctx, p);
    case 'address': return evalAddress(ctx, p);
    case 'command': return evalCommand(ctx, p);
    case 'packet': return evalPacket(ctx, p);
    case 'path': return evalPath(ctx, p);
    default: return p satisfies never;
  }
}
