// The routing daemons of one node, started from its FRR configuration text: zebra's static
// routes (`ip route`), ripd, ripngd, ospfd, ospf6d and bgpd. Each
// daemon reaches its stack only through the socket and routing-table APIs (DESIGN decision 8).

import { ifaceAddAddress } from '../../stack/iface';
import { routeAdd, routeList } from '../../stack/route';
import type { NetStack } from '../../stack/types';
import { FRR_CONF_FILE, parseFrrConf, protocolName, type FrrConfig } from './frr-conf';
import { startRip, stopRip } from './rip';
import { startRipng, stopRipng } from './ripngd';
import type { RipngDaemon } from './ripngd-types';
import type { RipDaemon } from './rip-types';
import { reconfigureOspf, startOspf, stopOspf } from './ospfd';
import type { OspfDaemon } from './ospfd-types';
import { reconfigureBgp, startBgp, stopBgp } from './bgpd';
import type { BgpDaemon } from './bgpd-types';
import { reconfigureOspf6, startOspf6, stopOspf6 } from './ospf6d';
import type { Ospf6Daemon } from './ospf6d-types';
import { zebraRouterId } from './ospf-shared';

export interface NodeDaemons {
  /** The configuration text as the daemons read it (frr.conf). */
  readonly text: string;
  readonly config: FrrConfig;
  rip: RipDaemon | null;
  ripng: RipngDaemon | null;
  ospf: OspfDaemon | null;
  bgp: BgpDaemon | null;
  ospf6: Ospf6Daemon | null;
}

/**
 * What of the configuration will not run, as one located line (`frr.conf:9: RIPng will not
 * run yet; frr.conf:15: OSPF will not run yet`), or null when everything configured runs.
 */
export function frrNotRunning(cfg: FrrConfig): string | null {
  if (cfg.notRunning.length === 0) return null;
  return cfg.notRunning.map((p) => `${FRR_CONF_FILE}:${p.line}: ${protocolName(p.protocol)} will not run yet`).join('; ');
}

/** Statements VirtNet does not implement, one located line each (`frr.conf:12: …`). */
export function frrProblems(cfg: FrrConfig): string[] {
  return cfg.problems.map((p) => `${FRR_CONF_FILE}:${p.line}: ${p.message}`);
}

/**
 * Starts what `text` configures on `stack`: zebra's interface addresses and static routes,
 * then ripd. `warn` gets each located problem, `notRunning` the one line of what will not run.
 */
export function startDaemons(stack: NetStack, text: string, warn: (message: string) => void, ospfNow: OspfDaemon | null = null, ospf6Now: Ospf6Daemon | null = null, bgpNow: BgpDaemon | null = null): NodeDaemons {
  const config = parseFrrConf(text);
  for (const p of frrProblems(config)) warn(p);
  for (const a of config.ifaceAddrs) {
    const iface = stack.ifaces.find((i) => i.name === a.iface);
    if (iface === undefined) {
      warn(`${FRR_CONF_FILE}:${a.line}: interface ${a.iface} does not exist on this node; its address is not configured`);
      continue;
    }
    if (iface.loopback || iface.addrs.some((x) => x.addr === a.addr)) continue;
    const res = ifaceAddAddress(stack, a.iface, a.addr, a.prefixLen, { alias: iface.addrs.length > 0 });
    if (!res.ok) warn(`${FRR_CONF_FILE}:${a.line}: ip address: ${res.message}`);
  }
  for (const r of config.staticRoutes) {
    const res = routeAdd(stack, { dest: r.dest, prefixLen: r.prefixLen, gateway: r.gateway ?? undefined, iface: r.iface ?? undefined });
    // The same route from the topology's static routes (IMUNES writes both) is no conflict.
    if (!res.ok && !(res.errno === 'EEXIST' && sameStatic(stack, r))) warn(`${FRR_CONF_FILE}:${r.line}: ip route: ${res.message}`);
  }
  const rip = config.rip ? startRip(stack, config.rip, config.ripSplitHorizon) : null;
  const ripng = config.ripng ? startRipng(stack, config.ripng) : null;
  let ospf: OspfDaemon | null = null;
  if (ospfNow !== null && config.ospf && reconfigureOspf(ospfNow, config.ospf, config.ospfIfaces)) ospf = ospfNow;
  else {
    if (ospfNow !== null) stopOspf(ospfNow);
    ospf = config.ospf ? startOspf(stack, config.ospf, config.ospfIfaces) : null;
  }
  let ospf6: Ospf6Daemon | null = null;
  if (ospf6Now !== null && config.ospf6 && reconfigureOspf6(ospf6Now, config.ospf6, config.ospf6Ifaces)) ospf6 = ospf6Now;
  else {
    if (ospf6Now !== null) stopOspf6(ospf6Now);
    // FRR's ospf6d waits for a router id: the configured one, else zebra's (an IPv4 address).
    if (config.ospf6 && (config.ospf6.routerId ?? zebraRouterId(stack)) === 0) warn(`${FRR_CONF_FILE}:${config.ospf6.line}: OSPFv3 will not run: no router id (set ospf6 router-id A.B.C.D, or give the router an IPv4 address)`);
    else ospf6 = config.ospf6 ? startOspf6(stack, config.ospf6, config.ospf6Ifaces) : null;
  }
  let bgp: BgpDaemon | null = null;
  if (bgpNow !== null && config.bgp && reconfigureBgp(bgpNow, config.bgp, config.policy, warn)) bgp = bgpNow;
  else {
    if (bgpNow !== null) stopBgp(bgpNow); // `no router bgp`, or a new AS or router id: FRR restarts the instance
    bgp = config.bgp ? startBgp(stack, config.bgp, config.policy, warn) : null;
  }
  return { text, config, rip, ripng, ospf, ospf6, bgp };
}

function sameStatic(stack: NetStack, r: FrrConfig['staticRoutes'][number]): boolean {
  return routeList(stack).some((x) => x.dest === r.dest && x.prefixLen === r.prefixLen && x.kind === 'static' && (r.gateway === null ? x.iface === r.iface : x.gateway === r.gateway));
}

/**
 * `configure terminal` statements: appended to the configuration text, then the daemons
 * restart from the whole text (ripd asks its neighbors again and re-learns within a
 * second; FRR would apply the change in place), except ospfd, ospf6d and bgpd, which apply
 * it in place (sessions stay up; bgpd sends UPDATEs for what changed). Problems are reported for the new lines only.
 */
export function reconfigureDaemons(stack: NetStack, d: NodeDaemons, statements: string[], warn: (message: string) => void): NodeDaemons {
  const old = d.text.replace(/\n*$/, '\n');
  const firstNew = old.split('\n').length;
  const text = `${old}${statements.join('\n')}\n`;
  const ospf = d.ospf; // ospfd and ospf6d apply changes in place (adjacencies stay up)
  const ospf6 = d.ospf6;
  const bgp = d.bgp;
  d.ospf = null;
  d.ospf6 = null;
  d.bgp = null;
  stopDaemons(d);
  return startDaemons(stack, text, (m) => {
    const line = Number(/^frr\.conf:(\d+):/.exec(m)?.[1] ?? firstNew);
    if (line >= firstNew) warn(m);
  }, ospf, ospf6, bgp);
}

export function stopDaemons(d: NodeDaemons): void {
  if (d.rip) stopRip(d.rip);
  d.rip = null;
  if (d.ripng) stopRipng(d.ripng);
  d.ripng = null;
  if (d.ospf) stopOspf(d.ospf);
  d.ospf = null;
  if (d.bgp) stopBgp(d.bgp);
  d.bgp = null;
  if (d.ospf6) stopOspf6(d.ospf6);
  d.ospf6 = null;
}
