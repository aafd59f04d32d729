// The FRR/Quagga configuration an IMUNES router runs, as text (frr.conf): its own custom
// config when one is selected and booted through frrboot.sh/vtysh, else the 2.x
// `network-config` routing blocks, else what IMUNES generates from `router_config`
// (nodecfg.tcl getRouterProtocolCfg: RIP/RIPng/OSPF/OSPFv3/BGP sections). Model `static`
// routers run no daemon. Only builds text; node/daemons/ reads it.

import type { NodeDoc } from '../document';

/** IMUNES's default model for a router without one (`router_model`, frr since IMUNES 2.4). */
const DEFAULT_MODEL = 'frr';

/** `router_config` words → enabled protocols, e.g. "rip 1 ripng 1 ospf 0" → [rip, ripng]. */
export function enabledProtocols(routerConfig: unknown): string[] {
  const words = typeof routerConfig === 'string' ? routerConfig.trim().split(/\s+/).filter(Boolean) : [];
  const out: string[] = [];
  for (let i = 0; i + 1 < words.length; i += 2) if (words[i + 1] !== '0') out.push(words[i]!);
  return out;
}

export function routerModel(n: NodeDoc): string {
  return typeof n.extra?.model === 'string' && n.extra.model !== '' ? n.extra.model : DEFAULT_MODEL;
}

/** The selected custom config's text when it boots FRR (`frrboot.sh` or vtysh), else null. */
function customFrrText(n: NodeDoc): string | null {
  const ex = n.extra ?? {};
  if (ex.custom_enabled !== 'true' && ex.custom_enabled !== true) return null;
  const sel = typeof ex.custom_selected === 'string' ? ex.custom_selected.trim().split(/\s+/) : [];
  const configs = ex.custom_configs as Record<string, Record<string, { custom_command?: unknown; custom_config?: unknown }>> | undefined;
  const hook = sel.length === 2 ? sel[0]! : 'NODE_CONFIG';
  const id = sel.length === 2 ? sel[1]! : sel[0];
  const c = id === undefined ? undefined : configs?.[hook]?.[id];
  if (c === undefined || typeof c.custom_config !== 'string') return null;
  const cmd = String(c.custom_command ?? '');
  // frrboot.sh reads the text as frr.conf; a shell script that feeds it to `vtysh << EOF` does the same.
  if (/frrboot|quaggaboot|vtysh/.test(cmd)) return c.custom_config;
  return /^(\/bin\/)?(sh|bash)\b/.test(cmd.trim()) && /^\s*vtysh\s*<</.test(c.custom_config) ? c.custom_config : null;
}

function routerId(n: NodeDoc): string {
  const k = 1 + Number(n.id.replace(/^n/, ''));
  const v = Number.isFinite(k) ? k >>> 0 : 1;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

/** getRouterProtocolCfg's RIP section: RIP on every interface, redistributing static, connected and OSPF routes. */
export const IMUNES_RIP_SECTION: readonly string[] = ['router rip', ' redistribute static', ' redistribute connected', ' redistribute ospf', ' network 0.0.0.0/0', '!'];

/** One protocol section as getRouterProtocolCfg writes it. */
function protocolSection(n: NodeDoc, model: string, protocol: string): string[] {
  switch (protocol) {
    case 'rip':
      return [...IMUNES_RIP_SECTION];
    case 'ripng':
      return ['router ripng', ' redistribute static', ' redistribute connected', ' redistribute ospf6', ' network ::/0', '!'];
    case 'ospf':
      return ['router ospf', ` ospf router-id ${routerId(n)}`, ' redistribute static', ' redistribute connected', ' redistribute rip', '!'];
    case 'ospf6':
      return [
        'router ospf6',
        model === 'quagga' ? ` router-id ${routerId(n)}` : ` ospf6 router-id ${routerId(n)}`,
        ' redistribute static',
        ' redistribute connected',
        ' redistribute ripng',
        ...(model === 'quagga' ? n.interfaces.filter((i) => i.name !== 'lo0').map((i) => ` interface ${i.name} area 0.0.0.0`) : []),
        '!',
      ];
    case 'bgp': {
      const lo = n.interfaces.find((i) => i.name === 'lo0')?.ipv4[0]?.split('/')[0] ?? '127.0.0.1';
      return ['router bgp 1000', ` bgp router-id ${lo}`, ' no bgp ebgp-requires-policy', ' neighbor DEFAULT peer-group', ' neighbor DEFAULT remote-as 1000', ` neighbor DEFAULT update-source ${lo}`, ' redistribute static', ' redistribute connected', '!'];
    }
    default:
      return [`router ${protocol}`, '!'];
  }
}

/**
 * frr.conf for an IMUNES router of model frr/quagga, or undefined (not a router, model
 * static, or a model VirtNet does not know). 2.x routing blocks are kept verbatim.
 */
export function imunesFrrConf(n: NodeDoc): string | undefined {
  if (n.kind !== 'router') return undefined;
  const model = routerModel(n);
  if (model !== 'frr' && model !== 'quagga') return undefined;
  const custom = customFrrText(n);
  if (custom !== null) return custom;
  const protocols = enabledProtocols(n.extra?.router_config);
  if (protocols.length === 0) return undefined; // zebra alone: nothing it would do differs
  const lines = [`hostname ${n.name}`, '!'];
  for (const i of n.interfaces) {
    lines.push(`interface ${i.name}`);
    for (const a of i.ipv4) lines.push(` ip address ${a}`);
    for (const a of i.ipv6) lines.push(` ipv6 address ${a}`);
    // IMUNES's FRR interface configuration puts every interface of an OSPF router in area 0.
    if (protocols.includes('ospf') && i.name !== 'lo0') lines.push(' ip ospf area 0.0.0.0');
    // …and, for FRR, every interface of an OSPFv3 router (quagga names them in router ospf6).
    if (protocols.includes('ospf6') && model === 'frr' && i.name !== 'lo0') lines.push(' ipv6 ospf6 area 0.0.0.0');
    lines.push('!');
  }
  const legacy = n.extra?.legacy_routing as Record<string, string> | undefined;
  for (const p of protocols) {
    const block = legacy?.[p];
    if (block !== undefined) lines.push(...block.split('\n').map((l, k) => (k === 0 ? l.trim() : ` ${l.trim()}`)), '!');
    else lines.push(...protocolSection(n, model, p));
  }
  return lines.join('\n') + '\n';
}
