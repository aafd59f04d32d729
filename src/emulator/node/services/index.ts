// The service framework of one node: programs started from the node's files (dhcpd,
// dhclient, dhcrelay), kept by name, stopped and queried as FreeBSD's service(8) does.
// A service sees only its host (stack socket/route APIs and the node's files: DESIGN
// decision 8). The record is made on first start, so an idle node pays one absent field.

import type { NodeFiles } from '../files';
import { endProc, ownUdp, runDaemonProc, type NodeProcs, type Proc } from '../procs';
import { DHCP_CLIENT_PORT, DHCP_SERVER_PORT } from '../../wire/dhcp';
import { DHCP6_CLIENT_PORT, DHCP6_SERVER_PORT } from '../../wire/dhcp6';
import type { Udp6Delivery } from '../../stack/inet6-types';
import type { NetStack, UdpDelivery } from '../../stack/types';

/** Lines of log one service keeps (older lines are dropped). */
export const SERVICE_LOG_LINES_MAX = 200;
/** Services one node may run at once. */
export const SERVICES_MAX = 64;

/** What a service may touch: its node's stack (through the socket and route APIs) and files. */
export interface ServiceHost {
  readonly node: string;
  readonly stack: NetStack;
  readonly files: NodeFiles;
}

/** A running service. */
export interface Service {
  /** Key in the node's table: `dhcpd`, `dhclient.eth0`, `dhcrelay`. */
  readonly key: string;
  /** Ends it: timers cancelled, sockets closed (what it configured stays, as on FreeBSD). */
  stop(): void;
  /** `service NAME status` lines after the pid line. */
  status(): string[];
  /** Recent log lines (syslog of this program). */
  readonly log: string[];
  /** What Inspect shows, as label/value rows. */
  inspect(): ServiceInspect;
}

export interface ServiceInspect {
  kind: 'dhcpd' | 'dhclient' | 'dhcrelay' | 'dhcpd6' | 'dhclient6';
  title: string;
  rows: string[][];
  /** Column headers of `rows`. */
  columns: string[];
}

/** The one UDP 68 socket of a node, shared by its dhclients (one per interface). */
export interface ClientPort {
  close(): void;
  byIf: Map<number, (u: UdpDelivery) => void>;
}

/** The one UDP 546 socket of a node, shared by its `dhclient -6`s (one per interface). */
export interface ClientPort6 {
  close(): void;
  byIf: Map<number, (u: Udp6Delivery) => void>;
}

export interface NodeServices {
  running: Map<string, Service>;
  dhclientPort?: ClientPort;
  dhclient6Port?: ClientPort6;
  /** Each running service's entry in the node's process table (its PID). */
  procs: Map<string, Proc>;
}

/** A node as the service table sees it: its services and its process table. */
export interface ServiceNode {
  services?: NodeServices;
  procs?: NodeProcs;
  readonly stack?: NetStack | null;
}

/** The node's services, made on first use. */
export function nodeServices(node: ServiceNode): NodeServices {
  return (node.services ??= { running: new Map(), procs: new Map() });
}

/** The program a service runs as, for ps and killall: `dhclient.eth0` → dhclient, `dhcpd6` → dhcpd. */
function programOf(key: string): { name: string; command: string; udp: readonly [4 | 6, number][] } {
  if (key.startsWith('dhclient6.')) return { name: 'dhclient', command: `dhclient -6 ${key.slice(10)}`, udp: [[6, DHCP6_CLIENT_PORT]] };
  if (key.startsWith('dhclient.')) return { name: 'dhclient', command: `dhclient: ${key.slice(9)}`, udp: [[4, DHCP_CLIENT_PORT]] };
  if (key === 'dhcpd6') return { name: 'dhcpd', command: 'dhcpd -6', udp: [[6, DHCP6_SERVER_PORT]] };
  // dhcpd and dhcrelay both take the server port.
  return { name: key, command: key, udp: key === 'dhcpd' || key === 'dhcrelay' ? [[4, DHCP_SERVER_PORT]] : [] };
}

/** Adds a started service (replacing one of the same key, which is stopped) with its PID; false past a bound. */
export function registerService(node: ServiceNode, s: Service, nowNs: number): boolean {
  const ns = nodeServices(node);
  if (ns.running.has(s.key)) stopService(node, s.key);
  else if (ns.running.size >= SERVICES_MAX) return false;
  const prog = programOf(s.key);
  const p = runDaemonProc(node, prog.name, prog.command, nowNs, () => stopService(node, s.key));
  if (p === null) return false;
  // The sockets it has just bound are its own (dhclients share theirs: the latest holds it).
  for (const [family, port] of prog.udp) ownUdp(node, family, port, p);
  ns.running.set(s.key, s);
  ns.procs.set(s.key, p);
  return true;
}

/** The PID a running service has, or undefined. */
export function servicePid(node: ServiceNode, key: string): number | undefined {
  return node.services?.procs.get(key)?.pid;
}

export function stopService(node: ServiceNode, key: string): boolean {
  const ns = node.services;
  const s = ns?.running.get(key);
  if (s === undefined || ns === undefined) return false;
  s.stop();
  ns.running.delete(key);
  endProc(node, ns.procs.get(key));
  ns.procs.delete(key);
  return true;
}

/** Appends to a bounded log. */
export function logLine(log: string[], line: string): void {
  log.push(line);
  if (log.length > SERVICE_LOG_LINES_MAX) log.splice(0, log.length - SERVICE_LOG_LINES_MAX);
}

/** Variables of an rc.conf(5)-style text (`name="value"` lines). */
export function rcConfVars(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"]*)"|'([^']*)'|(\S*))\s*(?:#.*)?$/.exec(raw);
    if (m) vars.set(m[1], m[2] ?? m[3] ?? m[4] ?? '');
  }
  return vars;
}

/** Virtual time as dhcpd.leases(5) and dhclient.leases(5) write dates: `W YYYY/MM/DD HH:MM:SS` (UTC, from time 0 = the epoch). */
export function leaseDate(ns: number): string {
  const t = new Date(Math.floor(ns / 1e9) * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCDay()} ${t.getUTCFullYear()}/${p(t.getUTCMonth() + 1)}/${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`;
}

/** What a DHCP client (v4 or v6) shares: its host, one timer, its state, and the foreground command it may still report to. */
export interface ServiceClient {
  host: ServiceHost;
  timer: number;
  state: string;
  say: ((line: string) => void) | null;
  settled: ((bound: boolean) => void) | null;
}

/** (Re)arms the client's one timer; `fn` does not run once the client is STOPPED. */
export function setClientTimer<C extends ServiceClient>(c: C, delayNs: number, fn: (c: C) => void): void {
  const sim = c.host.stack.env.sim;
  if (c.timer !== 0) sim.cancel(c.timer);
  c.timer = sim.schedule(Math.max(0, delayNs), (x: C) => {
    x.timer = 0;
    if (x.state !== 'STOPPED') fn(x);
  }, c);
}

/** The foreground command ends (bound or given up); later lines go to the log only. */
export function settleClient(c: ServiceClient, bound: boolean): void {
  const s = c.settled;
  c.settled = null;
  c.say = null;
  s?.(bound);
}
