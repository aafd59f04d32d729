// Converts one IMUNES 2.x `node nX { … }` block to the 3.x JSON node shape (ifcN ids,
// ipv4_addrs, croutes4, router_config …) plus its GUI entry. Keeps what it does not
// model under `legacy_*` keys. Does not resolve links (legacy-links.ts does).

import { setOwn, type JsonObj } from './json3-model';
import { parseNetworkConfig, type LegacyIface } from './legacy-network-config';
import { splitCommands, tclList, type TclWord } from './tcl-words';

export interface LegacyNode {
  id: string;
  line: number;
  node: JsonObj;
  gui: JsonObj;
  /** interface-peer entries in file order: interface name → peer node id. */
  peers: { iface: string; peer: string }[];
  /** Interface name → ifcN id. */
  ifcByName: Map<string, string>;
  /** Interface name → line in the file (for located errors). */
  ifaceLines: Map<string, number>;
  mirror?: string;
  warnings: { line: number; message: string }[];
}

function coords(text: string): string {
  return text.trim().split(/\s+/).map((n) => String(Number(n))).join(' ');
}

function customConfigs(w: TclWord): JsonObj {
  const out: JsonObj = {};
  for (const c of splitCommands(w.text, w.line)) {
    if (c.words[0]?.text !== 'custom-config-id' || !c.words[1] || !c.words[2]) continue;
    const entry: JsonObj = {};
    for (const f of splitCommands(c.words[2].text, c.words[2].line)) {
      const k = f.words[0]?.text;
      if (k === 'custom-command') entry.custom_command = f.words.slice(1).map((x) => x.text).join(' ');
      else if (k === 'config') entry.custom_config = f.words[1]?.text ?? '';
      else if (k) entry[`legacy_${k}`] = f.words.slice(1).map((x) => x.text).join(' ');
    }
    setOwn(out, c.words[1].text, entry);
  }
  return { NODE_CONFIG: out };
}

function ifaceJson(i: LegacyIface | undefined, name: string): JsonObj {
  const type = i?.type ?? (name.startsWith('lo') ? 'lo' : 'phys');
  const o: JsonObj = { name, type };
  if (i?.mac) o.mac = i.mac;
  if (i?.ipv4.length) o.ipv4_addrs = [...i.ipv4];
  if (i?.ipv6.length) o.ipv6_addrs = [...i.ipv6];
  if (i?.mtu !== undefined) o.mtu = String(i.mtu);
  if (i?.down) o.oper_state = 'down';
  if (i?.other.length) o.legacy_config = i.other.join('\n');
  return o;
}

export function readLegacyNode(id: string, body: TclWord, line: number): LegacyNode {
  const res: LegacyNode = { id, line, node: {}, gui: {}, peers: [], ifcByName: new Map(), ifaceLines: new Map(), warnings: [] };
  let cfg = parseNetworkConfig('', line);
  const n = res.node;
  for (const c of splitCommands(body.text, body.line)) {
    const [k, ...args] = c.words;
    const key = k!.text;
    const v = args[0];
    const text = args.map((a) => a.text).join(' ');
    if (key === 'type') n.type = text;
    else if (key === 'model') n.model = text;
    else if (key === 'network-config' && v) cfg = parseNetworkConfig(v.text, v.line);
    else if (key === 'canvas') res.gui.canvas = text;
    else if (key === 'iconcoords' && v) res.gui.iconcoords = coords(v.text);
    else if (key === 'labelcoords' && v) res.gui.labelcoords = coords(v.text);
    else if (key === 'interface-peer' && v) {
      const [iface, peer] = tclList(v.text);
      if (iface !== undefined && peer !== undefined) {
        res.peers.push({ iface, peer });
        res.ifaceLines.set(iface, c.line);
      }
    } else if (key === 'custom-configs' && v) n.custom_configs = customConfigs(v);
    else if (key === 'custom-selected') n.custom_selected = `NODE_CONFIG ${text}`;
    else if (key === 'custom-enabled') n.custom_enabled = text;
    else if (key === 'services' && v) n.services = tclList(v.text);
    else if (key === 'cpu' || key === 'snapshot' || key === 'auto_default_routes') n[key] = text;
    else if (key === 'mirror') res.mirror = text;
    else n[`legacy_${key}`] = text;
  }
  buildInterfaces(res, cfg);
  n.name = cfg.hostname ?? id;
  if (cfg.routes4.length) n.croutes4 = [...cfg.routes4];
  if (cfg.routes6.length) n.croutes6 = [...cfg.routes6];
  const daemons = Object.keys(cfg.routing);
  if (daemons.length) {
    n.router_config = daemons.map((d) => `${d} 1`).join(' ');
    n.legacy_routing = { ...cfg.routing };
  }
  if (cfg.vlan) n.vlan = { ...cfg.vlan };
  if (cfg.other.length) n.legacy_network_config = cfg.other.join('\n');
  res.gui.label = n.name;
  return res;
}

/** lo interfaces first, then link order (interface-peer), then unlinked configured ones. */
function buildInterfaces(res: LegacyNode, cfg: ReturnType<typeof parseNetworkConfig>): void {
  const byName = new Map(cfg.ifaces.map((i) => [i.name, i] as const));
  const order: string[] = [];
  const add = (name: string) => {
    if (!order.includes(name)) order.push(name);
  };
  for (const i of cfg.ifaces) if ((i.type ?? '') === 'lo' || /^lo\d*$/.test(i.name)) add(i.name);
  for (const p of res.peers) add(p.iface);
  for (const i of cfg.ifaces) add(i.name);
  const ifaces: JsonObj = {};
  order.forEach((name, k) => {
    const i = byName.get(name);
    ifaces[`ifc${k}`] = ifaceJson(i, name);
    res.ifcByName.set(name, `ifc${k}`);
    if (i) res.ifaceLines.set(name, i.line);
  });
  res.node.ifaces = ifaces;
}
