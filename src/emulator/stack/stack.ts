// Creating a cloned stack (one NetStack record per node, FreeBSD VNET idea) and its
// stack-wide switches. Must not keep module-level state: everything lives in the record.
// RFC 1122 §3.2.1.7 (loopback 127/8), RFC 1812 §2.2.8.1 (forwarding switch).

import { DROP } from './env';
import type { StackEnv } from './env';
import { createIface, DEFAULT_MTU, ifaceAddAddress, LOOPBACK_MTU } from './iface';
import { ICMP_LIMIT_PER_S } from './icmp';
import { createRouteTable } from './route';
import { EPHEMERAL_FIRST } from './udp';
import type { Iface, NetStack } from './types';

export interface StackOptions {
  name: string;
  nodeIndex: number;
  forwarding: boolean;
  interfaces: StackIfaceOptions[];
}

export interface StackIfaceOptions {
  name: string;
  mac: number;
  mtu?: number;
  up?: boolean;
  /** A VLAN sub-interface (FreeBSD vlan(4)): tagged with `vid` on the interface named `parent`. */
  vlan?: { parent: string; vid: number };
}

/**
 * A new stack: the listed interfaces get ifIndex 0…n−1 in order (carrier assumed up until
 * the world calls setCarrier), then lo0 (127.0.0.1/8, MTU 16384) gets ifIndex n.
 */
export function createStack(env: StackEnv, opts: StackOptions): NetStack {
  const ifaces = opts.interfaces.map((d, i) => {
    const iface = createIface(i, d.name, d.mac, d.mtu ?? DEFAULT_MTU, d.up ?? true, false);
    iface.carrier = true;
    return iface;
  });
  attachVlans(ifaces, opts.interfaces);
  const loIndex = ifaces.length;
  ifaces.push(createIface(loIndex, 'lo0', 0, LOOPBACK_MTU, true, true));
  const stack: NetStack = {
    env,
    name: opts.name,
    nodeIndex: opts.nodeIndex,
    forwarding: opts.forwarding,
    ifaces,
    loIndex,
    routes: createRouteTable(),
    local: new Map(),
    broadcasts: new Map(),
    ours: new Map(),
    oursFilter: new Uint32Array(8),
    ipId: env.rng(`node:${opts.name}:ipid`).nextInt(0x10000),
    icmpListeners: [],
    icmpLimit: { tokens: ICMP_LIMIT_PER_S, lastNs: env.sim.now(), perSecond: ICMP_LIMIT_PER_S },
    udp: null,
    tcp: null,
    txNote: null,
    nextEphemeral: EPHEMERAL_FIRST,
    reassembly: null,
    reassemblyTimer: 0,
    fw: null,
    explain: null,
    stats: {
      ipReceived: 0,
      ipDelivered: 0,
      ipForwarded: 0,
      ipSent: 0,
      ipDropped: 0,
      ipFragmentsCreated: 0,
      ipReassembled: 0,
      icmpReceived: 0,
      icmpSent: 0,
      icmpRateLimited: 0,
      icmpNoRoute: 0,
      udpReceived: 0,
      udpSent: 0,
      arpRequestsSent: 0,
      arpRepliesSent: 0,
    },
    inet6: null,
    programs: null,
  };
  ifaceAddAddress(stack, 'lo0', 0x7f000001, 8);
  return stack;
}

/** Links each VLAN sub-interface to its parent; one whose parent is missing or itself a VLAN throws. */
function attachVlans(ifaces: Iface[], opts: StackIfaceOptions[]): void {
  opts.forEach((d, i) => {
    if (d.vlan === undefined) return;
    const parent = ifaces.find((p) => p.name === d.vlan!.parent);
    if (parent === undefined || parent.vlanParent >= 0 || !(d.vlan.vid >= 1 && d.vlan.vid <= 4094)) {
      throw new Error(`createStack: bad VLAN sub-interface ${d.name} (parent ${d.vlan.parent}, vid ${d.vlan.vid})`);
    }
    const sub = ifaces[i];
    sub.vlanId = d.vlan.vid;
    sub.vlanParent = parent.index;
    (parent.vlans ??= []).push(sub);
  });
}

/** sysctl net.inet.ip.forwarding */
export function setForwarding(stack: NetStack, on: boolean): void {
  stack.forwarding = on;
}

/** Sets the ICMP error rate limit (net.inet.icmp.icmplim); 0 disables errors, like FreeBSD. */
export function setIcmpLimit(stack: NetStack, perSecond: number): void {
  stack.icmpLimit.perSecond = perSecond;
  stack.icmpLimit.tokens = Math.min(stack.icmpLimit.tokens, perSecond);
}

export { DROP };
