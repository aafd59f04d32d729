// Reads the Cisco/Quagga-style `network-config` text of IMUNES 2.x nodes: hostname,
// interface blocks (ip/ipv6 address, mac address, mtu, shutdown, type), static routes,
// and routing-daemon blocks kept verbatim. Interprets nothing it does not model.

export interface LegacyIface {
  name: string;
  type?: string;
  mac?: string;
  ipv4: string[];
  ipv6: string[];
  mtu?: number;
  down?: boolean;
  /** Lines inside the interface block this reader does not model. */
  other: string[];
  line: number;
}

export interface LegacyNetConfig {
  hostname?: string;
  ifaces: LegacyIface[];
  routes4: string[];
  routes6: string[];
  /** `router rip` → its full block text; key is the daemon word (rip, ospf, bgp …). */
  routing: Record<string, string>;
  /** `vlan` block fields (rj45 VLAN settings). */
  vlan?: Record<string, string>;
  /** Top-level lines this reader does not model, verbatim. */
  other: string[];
}

export function parseNetworkConfig(text: string, firstLine: number): LegacyNetConfig {
  const cfg: LegacyNetConfig = { ifaces: [], routes4: [], routes6: [], routing: {}, other: [] };
  const lines = text.split('\n');
  let block: { kind: 'iface'; iface: LegacyIface } | { kind: 'router'; name: string; lines: string[] } | { kind: 'vlan' } | null = null;
  const close = () => {
    if (block?.kind === 'router') cfg.routing[block.name] = block.lines.join('\n');
    block = null;
  };
  lines.forEach((raw, idx) => {
    const t = raw.trim();
    if (t === '') return;
    const indented = /^\s/.test(raw.replace(/^\t/, ''));
    if (t === '!') return close();
    if (block && indented) {
      if (block.kind === 'router') block.lines.push(t);
      else if (block.kind === 'vlan') {
        const [k, ...v] = t.split(/\s+/);
        cfg.vlan = { ...cfg.vlan, [k!]: v.join(' ') };
      } else readIfaceLine(block.iface, t);
      return;
    }
    close();
    const w = t.split(/\s+/);
    if (w[0] === 'hostname') cfg.hostname = w.slice(1).join(' ');
    else if (w[0] === 'interface' && w[1]) {
      const iface: LegacyIface = { name: w[1], ipv4: [], ipv6: [], other: [], line: firstLine + idx };
      cfg.ifaces.push(iface);
      block = { kind: 'iface', iface };
    } else if (w[0] === 'router' && w[1]) block = { kind: 'router', name: w[1], lines: [t] };
    else if (w[0] === 'vlan' && w.length === 1) {
      cfg.vlan = cfg.vlan ?? {};
      block = { kind: 'vlan' };
    } else if (w[0] === 'ip' && w[1] === 'route') cfg.routes4.push(w.slice(2).join(' '));
    else if (w[0] === 'ipv6' && w[1] === 'route') cfg.routes6.push(w.slice(2).join(' '));
    else cfg.other.push(t);
  });
  close();
  return cfg;
}

function readIfaceLine(i: LegacyIface, t: string): void {
  const w = t.split(/\s+/);
  if (w[0] === 'ip' && w[1] === 'address' && w[2]) i.ipv4.push(w[2]);
  else if (w[0] === 'ipv6' && w[1] === 'address' && w[2]) i.ipv6.push(w[2]);
  else if (w[0] === 'mac' && w[1] === 'address' && w[2]) i.mac = w[2];
  else if (w[0] === 'mtu' && w[1]) i.mtu = Number(w[1]);
  else if (w[0] === 'shutdown') i.down = true;
  else if (w[0] === 'type' && w[1]) i.type = w[1];
  else i.other.push(t);
}
