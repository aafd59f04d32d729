// Editing the settings of IMUNES's layer-2 node kinds in the document, in IMUNES's own
// fields (kept in `extra` so .imn files round-trip): an stpswitch's `bridge` (protocol,
// priority, timers), a packgen's `packgen` (packet rate, packet list of hex frames), a
// filter interface's `filter_rules` (ng_patmat rules). Each change is checked by the same
// reader the engine runs (node/stp.ts, packgen.ts, filter.ts) and refused with its reason.
// Pure: returns a new document.

import type { NodeDoc, TopologyDoc } from './document';
import { STP_DEFAULTS, stpConfigFromDoc } from '../node/stp';
import { PACKGEN_DEFAULT_PPS, packgenFromDoc } from '../node/packgen';
import { patmatRulesFromDoc } from '../node/filter';

type Edited = { doc: TopologyDoc } | { error: string };

/** What IMUNES sets on a new node of these kinds (stpswitch.confNewNode, packgen's default rate). */
export function l2Defaults(kind: string): Record<string, unknown> | undefined {
  if (kind === 'stpswitch') return { bridge: { protocol: 'rstp', priority: String(STP_DEFAULTS.priority), hold_count: String(STP_DEFAULTS.holdCount), max_age: String(STP_DEFAULTS.maxAgeS), forwarding_delay: String(STP_DEFAULTS.fwdDelayS), hello_time: String(STP_DEFAULTS.helloS) } };
  if (kind === 'packgen') return { packgen: { packetrate: String(PACKGEN_DEFAULT_PPS), packets: {} } };
  return undefined;
}

function withNode(doc: TopologyDoc, nodeId: string, kind: string, f: (n: NodeDoc) => NodeDoc): Edited {
  const n = doc.nodes.find((x) => x.id === nodeId);
  if (n === undefined) return { error: `no node with id "${nodeId}"` };
  if (n.kind !== kind) return { error: `${n.name} is not a ${kind}` };
  return { doc: { ...doc, nodes: doc.nodes.map((x) => (x.id === nodeId ? f(x) : x)) } };
}

export type StpBridgeFields = Partial<Record<'protocol' | 'priority' | 'max_age' | 'hello_time' | 'forwarding_delay' | 'hold_count', string>>;

function nodeOf(doc: TopologyDoc, nodeId: string, kind: string): NodeDoc | { error: string } {
  const n = doc.nodes.find((x) => x.id === nodeId);
  if (n === undefined) return { error: `no node with id "${nodeId}"` };
  return n.kind === kind ? n : { error: `${n.name} is not a ${kind}` };
}

/** The first problem as a refusal, without the reader's "using the default" tail. */
const refusal = (problems: string[]): { error: string } | null => (problems.length === 0 ? null : { error: problems[0]!.replace(/; (using|it is not sent|ng_patmat refuses).*$/, '') });

/** An stpswitch's bridge settings; refused when if_bridge would refuse a value. */
export function setStpBridge(doc: TopologyDoc, nodeId: string, fields: StpBridgeFields): Edited {
  const n = nodeOf(doc, nodeId, 'stpswitch');
  if ('error' in n) return n;
  const bridge = { ...((n.extra?.bridge as Record<string, unknown> | undefined) ?? {}), ...fields };
  const problems: string[] = [];
  const cfg = stpConfigFromDoc(bridge, [], problems);
  // 802.1D-2004 §17.13.7: the bridge priority goes in steps of 4096.
  if (cfg.priority % 4096 !== 0) problems.push(`bridge priority ${cfg.priority} is not a multiple of 4096`);
  // 802.1D §17.14: 2 × (forward delay − 1) ≥ max age ≥ 2 × (hello + 1).
  if (problems.length === 0 && (2 * (cfg.fwdDelayS - 1) < cfg.maxAgeS || cfg.maxAgeS < 2 * (cfg.helloS + 1))) problems.push(`timers must satisfy 2 × (forwarding delay − 1) ≥ max age ≥ 2 × (hello + 1)`);
  return refusal(problems) ?? withNode(doc, nodeId, 'stpswitch', (x) => ({ ...x, extra: { ...x.extra, bridge } }));
}

export type StpPortFields = Partial<Record<'stp_enabled' | 'stp_edge' | 'stp_autoedge' | 'stp_priority' | 'stp_path_cost', string>>;

/** One stpswitch port's settings (IMUNES's per-interface stp_* fields); refused when if_bridge would refuse a value. */
export function setStpPort(doc: TopologyDoc, nodeId: string, iface: string, fields: StpPortFields): Edited {
  const n = nodeOf(doc, nodeId, 'stpswitch');
  if ('error' in n) return n;
  const i = n.interfaces.find((x) => x.name === iface);
  if (i === undefined) return { error: `${n.name} has no interface ${iface}` };
  const extra = { ...i.extra, ...fields };
  const problems: string[] = [];
  const cfg = stpConfigFromDoc(n.extra?.bridge, [{ extra }], problems);
  // 802.1D-2004 §17.13.10: the port priority goes in steps of 16.
  if (problems.length === 0 && cfg.ports[0]!.priority % 16 !== 0) problems.push(`port stp_priority ${cfg.ports[0]!.priority} is not a multiple of 16`);
  return refusal(problems) ?? withNode(doc, nodeId, 'stpswitch', (x) => ({ ...x, interfaces: x.interfaces.map((y) => (y.name === iface ? { ...y, extra } : y)) }));
}

/** A packgen's rate and packet list (hex Ethernet frames, one per entry, sent in order). */
export function setPackgen(doc: TopologyDoc, nodeId: string, packetrate: string, frames: readonly string[]): Edited {
  const n = nodeOf(doc, nodeId, 'packgen');
  if ('error' in n) return n;
  const packets: Record<string, string> = {};
  frames.forEach((f, i) => (packets[String((i + 1) * 10)] = f.replace(/[.: ]/g, '').toLowerCase()));
  const packgen = { ...((n.extra?.packgen as Record<string, unknown> | undefined) ?? {}), packetrate, packets };
  const problems: string[] = [];
  packgenFromDoc(packgen, problems);
  return refusal(problems.map((p) => p.replace(/^packet (\d+)/, (_, id: string) => `packet ${Number(id) / 10}`))) ?? withNode(doc, nodeId, 'packgen', (x) => ({ ...x, extra: { ...x.extra, packgen } }));
}

/** A packgen's packet list as the properties panel edits it: one hex frame per line. */
export function packgenFrames(n: NodeDoc): string[] {
  const raw = (n.extra?.packgen as { packets?: unknown } | undefined)?.packets;
  if (typeof raw !== 'object' || raw === null) return [];
  return Object.entries(raw as Record<string, unknown>).sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => String(v));
}

export function packgenRate(n: NodeDoc): string {
  const r = (n.extra?.packgen as { packetrate?: unknown } | undefined)?.packetrate;
  return r === undefined ? String(PACKGEN_DEFAULT_PPS) : String(r);
}

const RULE_FIELDS = ['action', 'action_data', 'pattern', 'mask', 'offset'] as const;

/** Rule lines (`10 match_hook action_data=e1 pattern=08.00 mask=ff.ff offset=12`) to IMUNES's rule dict. */
export function parseFilterRuleLines(lines: readonly string[]): { rules: Record<string, Record<string, string>> } | { error: string } {
  const out: Record<string, Record<string, string>> = {};
  for (const [k, line] of lines.entries()) {
    const w = line.trim().split(/\s+/).filter(Boolean);
    if (w.length === 0) continue;
    const [num, action, ...rest] = w;
    if (action === undefined) return { error: `line ${k + 1}: expected NUMBER ACTION [action_data=…] [pattern=… mask=… offset=…]` };
    if (Object.hasOwn(out, num!)) return { error: `line ${k + 1}: rule ${num} appears twice` };
    const rule: Record<string, string> = { action };
    for (const kv of rest) {
      const m = /^([a-z_]+)=(.*)$/.exec(kv);
      if (m === null || !(RULE_FIELDS as readonly string[]).includes(m[1]!) || m[1] === 'action') return { error: `line ${k + 1}: "${kv}" is not action_data=, pattern=, mask= or offset=` };
      rule[m[1]!] = m[2]!;
    }
    out[num!] = rule;
  }
  return { rules: out };
}

export function formatFilterRules(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null) return [];
  return Object.entries(raw as Record<string, Record<string, unknown>>)
    .sort((a, b) => Number(a[0]) - Number(b[0]))
    .map(([num, r]) => [num, String(r.action ?? ''), ...RULE_FIELDS.filter((f) => f !== 'action' && r[f] !== undefined && r[f] !== '').map((f) => `${f}=${String(r[f])}`)].join(' '));
}

/** A filter interface's rules, checked as ng_patmat checks them (actions, hex, offsets, targets). */
export function setFilterRules(doc: TopologyDoc, nodeId: string, iface: string, lines: readonly string[]): Edited {
  const n = nodeOf(doc, nodeId, 'filter');
  if ('error' in n) return n;
  if (!n.interfaces.some((i) => i.name === iface)) return { error: `${n.name} has no interface ${iface}` };
  const parsed = parseFilterRuleLines(lines);
  if ('error' in parsed) return parsed;
  const rules = parsed.rules;
  const ports = n.interfaces.filter((i) => i.type !== 'lo').map((i) => i.name);
  const problems: string[] = [];
  patmatRulesFromDoc(rules, ports, ports.map(() => true), problems);
  const err = refusal(problems);
  if (err !== null) return err;
  return withNode(doc, nodeId, 'filter', (x) => ({
    ...x,
    interfaces: x.interfaces.map((i) => (i.name !== iface ? i : { ...i, extra: { ...i.extra, filter_rules: rules } })),
  }));
}
