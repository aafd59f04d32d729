// bgpd: a BGP-4 speaker on one stack. Peers and their finite state machine (Idle, Connect,
// Active, OpenSent, OpenConfirm, Established) over the node's real TCP (port 179, both
// sides connect, collisions resolved by BGP Identifier), OPEN checks, hold and keepalive
// timers as FRR negotiates them, UPDATE input into the Adj-RIB-In. Uses only the socket
// and routing-table APIs (DESIGN decision 8). Virtual time; jitter from the `bgpd` substream.
// RFC 4271 §4.2 (OPEN), §6.2-6.6 (errors), §6.8 (collisions), §8 (FSM), §9 (UPDATE input).

import { newProc } from '../procs';
import { ifaceWatch } from '../../stack/iface';
import { routeWatch } from '../../stack/programs';
import { ifaceUsable, maskOf } from '../../stack/route';
import type { Iface, NetStack } from '../../stack/types';
import type { Errno } from '../../stack/errno';
import { formatIpv4, parseIpv4 } from '../../wire/addr';
import { AS_TRANS, BGP_ERR, BGP_MAX_LEN, BGP_PORT, BGP_SUBERR, BGP_SEGMENT, BGP_TYPE, bgpAs4, bgpCommunities, bgpCapabilities, bgpFrame, parseBgp, type BgpMessage } from '../../wire/bgp';
import { stackTcpPort, type TcpHandlers } from '../apps/tcp-port';
import { effectiveNeighbor, type BgpConfig, type BgpNeighborConf } from './frr-conf-bgp';
import { sortCommunities, type PolicyConfig } from './frr-conf-policy';
import { bgpFlush, bgpSend, countMessage } from './bgpd-io';
import { flushLocRib, scheduleDecision, updatePeer } from './bgpd-rib';
import { BGP_PREFIXES_MAX, CONNECT_RETRY_S, newCounters, OPEN_HOLD_S, prefixKey, S, type BgpConn, type BgpDaemon, type BgpPeer, type BgpState } from './bgpd-types';

/** The router id FRR picks without `bgp router-id`: the highest interface address (loopbacks 127/8 aside). */
function defaultRouterId(stack: NetStack): number {
  let best = 0;
  for (const i of stack.ifaces) for (const a of i.addrs) if (a.addr >>> 24 !== 127 && a.addr >>> 0 > best) best = a.addr >>> 0;
  return best;
}

/** Starts bgpd: listens on TCP 179 and brings every configured neighbor up. */
export function startBgp(stack: NetStack, cfg: BgpConfig, policy: PolicyConfig, warn: (m: string) => void): BgpDaemon {
  const proc = newProc('bgpd', 'bgpd -d', null);
  const d: BgpDaemon = {
    stack,
    cfg,
    policy,
    policyGen: 0,
    rmInvoked: new Map(),
    tcp: stackTcpPort(stack, proc),
    proc,
    routerId: cfg.routerId ?? defaultRouterId(stack),
    listener: null,
    peers: new Map(),
    local: new Map(),
    best: new Map(),
    tableVersion: 0,
    decisionTimer: 0,
    rng: stack.env.rng('bgpd'),
    running: true,
    unwatch: () => {},
  };
  const l = d.tcp.listen(BGP_PORT, 16, () => acceptAll(d));
  if ('errno' in l) warn(`frr.conf:${cfg.line}: bgpd cannot listen on TCP ${BGP_PORT}: ${l.errno}; it only connects out`);
  else d.listener = l;
  for (const [addr, raw] of cfg.neighbors) addPeer(d, addr, raw, warn);
  const unRt = routeWatch(stack, () => routesChanged(d));
  const unIf = ifaceWatch(stack, (iface) => ifaceChanged(d, iface));
  d.unwatch = () => {
    unRt();
    unIf();
  };
  scheduleDecision(d);
  return d;
}

function addPeer(d: BgpDaemon, addr: number, raw: BgpNeighborConf, warn: (m: string) => void): void {
  const cfg = d.cfg;
  const n = effectiveNeighbor(cfg, raw);
  if (n.remoteAs === null) return warn(`frr.conf:${n.line}: neighbor has no remote-as; it does not start`);
  const u = n.updateSource;
  if (u !== null && parseIpv4(u.name) === null && !d.stack.ifaces.some((i) => i.name === u.name)) {
    warn(`frr.conf:${u.line}: neighbor update-source ${u.name}: no such interface or address; the session cannot connect out`);
  }
  const remoteAs = n.remoteAs === 'external' ? 0 : n.remoteAs;
  const peer: BgpPeer = {
    addr,
    remoteAs,
    ibgp: remoteAs === cfg.asn,
    weight: n.weight,
    nextHopSelf: n.nextHopSelf,
    shutdown: n.shutdown,
    updateSource: n.updateSource?.name ?? null,
    cfgKeepaliveS: n.timers?.keepaliveS ?? cfg.keepaliveS,
    cfgHoldS: n.timers?.holdS ?? cfg.holdS,
    state: 'Idle',
    conns: [],
    established: null,
    retryTimer: 0,
    retryGen: 0,
    unreachable: false,
    adjIn: new Map(),
    accepted: new Map(),
    policy: n.policy,
    adjOut: new Map(),
    sent: newCounters(),
    rcvd: newCounters(),
    upSinceNs: 0,
    lastResetNs: 0,
    lastReset: 'Waiting for peer OPEN',
    establishedCount: 0,
    droppedCount: 0,
    lastReadNs: 0,
    lastWriteNs: 0,
    remoteId: 0,
    holdS: cfg.holdS,
    keepaliveS: cfg.keepaliveS,
    localAddr: 0,
    localPort: 0,
    remotePort: 0,
  };
  d.peers.set(addr, peer);
  // FRR leaves Idle about a second after start; the jitter keeps two routers' SYNs apart.
  if (!peer.shutdown) armRetry(d, peer, S / 2 + d.rng.nextInt(S));
}

/** Ends every connection of `peer` (with a Cease when one is up) and keeps it from reconnecting. */
function shutPeer(d: BgpDaemon, peer: BgpPeer, subcode: number, reason: string): void {
  for (const c of [...peer.conns]) closeConn(d, c, c.state === 'Established' || c.state === 'OpenConfirm' ? [BGP_ERR.CEASE, subcode] : null, reason);
  peer.retryGen++;
  if (peer.retryTimer !== 0) d.stack.env.sim.cancel(peer.retryTimer);
  peer.retryTimer = 0;
}

/**
 * `configure terminal` on a running bgpd, applied in place as FRR does: a removed neighbor
 * gets a Cease (peer de-configured) and its routes are withdrawn; a new one starts; a
 * neighbor whose AS, update-source or timers changed is reset; everything else (networks,
 * redistribution, weights, next-hop-self, policies) reruns the decision process, and each
 * peer is sent UPDATEs and withdrawals for what changed. False: a new AS or router id,
 * which FRR only takes by restarting the instance.
 */
export function reconfigureBgp(d: BgpDaemon, cfg: BgpConfig, policy: PolicyConfig, warn: (m: string) => void): boolean {
  if (cfg.asn !== d.cfg.asn || (cfg.routerId ?? defaultRouterId(d.stack)) !== d.routerId) return false;
  const old = d.cfg;
  d.cfg = cfg;
  d.policy = policy;
  d.policyGen++;
  for (const [addr, peer] of [...d.peers]) {
    const raw = cfg.neighbors.get(addr);
    const n = raw === undefined ? null : effectiveNeighbor(cfg, raw);
    if (n === null || n.remoteAs === null) {
      shutPeer(d, peer, BGP_SUBERR.PEER_DECONFIGURED, 'Peer Unconfigured');
      d.peers.delete(addr);
      continue;
    }
    const before = old.neighbors.get(addr);
    const o = before === undefined ? null : effectiveNeighbor(old, before);
    const remoteAs = n.remoteAs === 'external' ? 0 : n.remoteAs;
    peer.weight = n.weight;
    peer.nextHopSelf = n.nextHopSelf;
    peer.policy = n.policy;
    const keepaliveS = n.timers?.keepaliveS ?? cfg.keepaliveS;
    const holdS = n.timers?.holdS ?? cfg.holdS;
    const moved = o === null || o.remoteAs !== n.remoteAs || (o.updateSource?.name ?? null) !== (n.updateSource?.name ?? null) || keepaliveS !== peer.cfgKeepaliveS || holdS !== peer.cfgHoldS;
    if (moved) {
      peer.remoteAs = remoteAs;
      peer.ibgp = remoteAs === cfg.asn;
      peer.updateSource = n.updateSource?.name ?? null;
      peer.cfgKeepaliveS = keepaliveS;
      peer.cfgHoldS = holdS;
    }
    const wasShut = peer.shutdown;
    peer.shutdown = n.shutdown;
    // `neighbor X shutdown`: a Cease (administrative shutdown), then silence; `no …` starts it again.
    if (n.shutdown && !wasShut) shutPeer(d, peer, BGP_SUBERR.ADMIN_SHUTDOWN, 'Admin. shutdown');
    else if (!n.shutdown && wasShut) armRetry(d, peer, S / 2 + d.rng.nextInt(S));
    else if (moved && !n.shutdown) {
      shutPeer(d, peer, BGP_SUBERR.CONFIG_CHANGE, 'Config change');
      armRetry(d, peer, S + d.rng.nextInt(S / 2));
    }
  }
  for (const [addr, raw] of cfg.neighbors) if (!d.peers.has(addr)) addPeer(d, addr, raw, warn);
  scheduleDecision(d);
  return true;
}

/**
 * `clear ip bgp *|A.B.C.D [soft [in|out]]`: a hard clear resets the session (Cease,
 * administrative reset; it comes back within seconds); `soft in` applies inbound policy again
 * and asks the peer for its routes (ROUTE-REFRESH, RFC 2918); `soft out` sends the peer
 * everything again. Returns the peers cleared.
 */
export function clearBgp(d: BgpDaemon, target: number | 'all', how: 'hard' | 'soft' | 'in' | 'out'): number {
  const peers = target === 'all' ? [...d.peers.values()] : [d.peers.get(target)].filter((p): p is BgpPeer => p !== undefined);
  if (how !== 'hard') d.policyGen++;
  for (const peer of peers) {
    if (how === 'hard') {
      shutPeer(d, peer, BGP_SUBERR.ADMIN_RESET, 'Admin. reset');
      if (!peer.shutdown) armRetry(d, peer, S + d.rng.nextInt(S / 2));
      continue;
    }
    const c = peer.established;
    if (c === null) continue;
    if (how !== 'out') bgpSend(d, c, { type: 'other', code: BGP_TYPE.ROUTE_REFRESH, body: Uint8Array.of(0, 1, 0, 1) });
    if (how !== 'in') {
      peer.adjOut.clear();
      updatePeer(d, peer);
    }
  }
  scheduleDecision(d);
  return peers.length;
}

/** Stops bgpd: a Cease to every established peer, sockets closed, its routes withdrawn. */
export function stopBgp(d: BgpDaemon): void {
  for (const peer of d.peers.values()) shutPeer(d, peer, BGP_SUBERR.ADMIN_SHUTDOWN, 'Admin. shutdown');
  d.running = false;
  if (d.decisionTimer !== 0) d.stack.env.sim.cancel(d.decisionTimer);
  d.decisionTimer = 0;
  if (d.listener !== null) d.tcp.unlisten(d.listener);
  d.listener = null;
  d.unwatch();
  flushLocRib(d);
}

function routesChanged(d: BgpDaemon): void {
  if (!d.running) return;
  scheduleDecision(d);
  // Nexthop tracking: a peer that could not be reached for want of a route tries again now.
  for (const p of d.peers.values()) {
    if (p.unreachable && p.conns.length === 0) {
      p.unreachable = false;
      armRetry(d, p, 0);
    }
  }
}

/**
 * FRR's fast-external-failover (on by default): an eBGP session to a neighbor on a
 * directly connected subnet resets as soon as that interface goes down, not after the hold time.
 */
function ifaceChanged(d: BgpDaemon, iface: Iface): void {
  if (!d.running || ifaceUsable(iface)) return;
  for (const p of d.peers.values()) {
    if (p.ibgp) continue;
    const onLink = iface.addrs.some((a) => ((a.addr ^ p.addr) & maskOf(a.prefixLen)) === 0);
    if (onLink) for (const c of [...p.conns]) closeConn(d, c, null, 'Interface down');
  }
}

// ---- connections ------------------------------------------------------------------------

interface RetryArg {
  d: BgpDaemon;
  peer: BgpPeer;
  gen: number;
}

function armRetry(d: BgpDaemon, peer: BgpPeer, delayNs: number): void {
  if (peer.retryTimer !== 0) d.stack.env.sim.cancel(peer.retryTimer);
  peer.retryGen++;
  peer.retryTimer = d.stack.env.sim.schedule(delayNs, retryFired, { d, peer, gen: peer.retryGen } satisfies RetryArg);
}

function retryFired(a: RetryArg): void {
  if (a.gen !== a.peer.retryGen || !a.d.running) return;
  a.peer.retryTimer = 0;
  if (a.peer.established !== null) return;
  connectPeer(a.d, a.peer);
  // ConnectRetry (§8.2.2): until a session comes up, try again every 120 s.
  armRetry(a.d, a.peer, CONNECT_RETRY_S * S);
}

function newConn(peer: BgpPeer, outbound: boolean): BgpConn {
  return { peer, sock: null, outbound, state: 'Connect', rx: new Uint8Array(BGP_MAX_LEN * 2), rxLen: 0, txq: [], txqBytes: 0, remoteId: 0, as4: false, holdS: 0, keepaliveS: 0, holdTimer: 0, keepaliveTimer: 0, gen: 0, localAddr: 0, localPort: 0, remotePort: BGP_PORT };
}

function handlers(d: BgpDaemon, c: BgpConn): TcpHandlers {
  return {
    connected: () => connUp(d, c),
    readable: () => connRead(d, c),
    writable: () => bgpFlush(d, c),
    closed: (errno: Errno | null) => connClosed(d, c, errno),
  };
}

/**
 * `neighbor X update-source A.B.C.D|IFNAME` (FRR): the address the session connects from,
 * the interface's first address for a name; 0 for none (the route's source). An address that
 * is not ours fails the connect (EADDRNOTAVAIL) and the peer stays Active, as in FRR.
 */
function updateSourceAddr(d: BgpDaemon, peer: BgpPeer): number {
  const u = peer.updateSource;
  if (u === null) return 0;
  const ip = parseIpv4(u);
  if (ip !== null) return ip;
  const iface = d.stack.ifaces.find((i) => i.name === u);
  return iface?.addrs[0]?.addr ?? 0xffffffff; // a named interface without an address: nothing to bind
}

function connectPeer(d: BgpDaemon, peer: BgpPeer): void {
  if (peer.conns.some((c) => c.outbound)) return;
  const c = newConn(peer, true);
  const s = d.tcp.connect(peer.addr, BGP_PORT, handlers(d, c), updateSourceAddr(d, peer));
  if ('errno' in s) {
    peer.unreachable = s.errno === 'ENETUNREACH' || s.errno === 'EHOSTUNREACH';
    setState(d, peer, 'Active');
    return;
  }
  c.sock = s;
  peer.conns.push(c);
  setState(d, peer, 'Connect');
}

function acceptAll(d: BgpDaemon): void {
  for (;;) {
    const pending = { conn: null as BgpConn | null };
    const s = d.tcp.accept(d.listener!, {
      readable: () => pending.conn && connRead(d, pending.conn),
      writable: () => pending.conn && bgpFlush(d, pending.conn),
      closed: (e) => pending.conn && connClosed(d, pending.conn, e),
    });
    if (s === null) return;
    const p = d.tcp.peer(s);
    // BGP here speaks over IPv4 only: a connection from an IPv6 address is no configured peer.
    const peer = typeof p.addr === 'number' ? d.peers.get(p.addr) : undefined;
    // An unconfigured address (or a second inbound) is refused, as FRR closes it at once.
    if (peer === undefined || !d.running || peer.shutdown || peer.conns.some((c) => !c.outbound)) {
      d.tcp.close(s);
      continue;
    }
    const c = newConn(peer, false);
    c.sock = s;
    pending.conn = c;
    peer.conns.push(c);
    connUp(d, c);
    connRead(d, c); // bytes may have arrived before the accept
  }
}

/** TCP is up: send our OPEN and wait for theirs (§8.2.2 Connect → OpenSent). */
function connUp(d: BgpDaemon, c: BgpConn): void {
  if (c.sock === null) return;
  const info = d.tcp.info?.(c.sock);
  const p = d.tcp.peer(c.sock);
  const local = info?.localAddr;
  c.localAddr = typeof local === 'number' ? local : 0;
  c.localPort = p.localPort;
  c.remotePort = p.port;
  c.state = 'OpenSent';
  c.as4 = false; // AS_PATH stays 2-octet until both OPENs carry capability 65
  bgpSend(d, c, { type: 'open', version: 4, myAs: d.cfg.asn > 0xffff ? AS_TRANS : d.cfg.asn, holdTimeS: c.peer.cfgHoldS, bgpId: d.routerId, caps: bgpCapabilities(d.cfg.asn) });
  armHold(d, c, OPEN_HOLD_S);
  setState(d, c.peer, bestState(c.peer));
}

function connRead(d: BgpDaemon, c: BgpConn): void {
  while (c.sock !== null) {
    const room = c.rx.length - c.rxLen;
    const data = d.tcp.recv(c.sock, room);
    if (data === null) return closeConn(d, c, null, 'Peer closed the session');
    if (data.length === 0) break;
    c.rx.set(data, c.rxLen);
    c.rxLen += data.length;
    let off = 0;
    for (;;) {
      const n = bgpFrame(c.rx, off, c.rxLen - off);
      if (n === 'bad-marker') return closeConn(d, c, [BGP_ERR.HEADER, 1], 'Connection not synchronized');
      if (n === 'bad-length') return closeConn(d, c, [BGP_ERR.HEADER, BGP_SUBERR.BAD_LENGTH], 'Bad message length');
      if (n === 0) break;
      const m = parseBgp(c.rx, off, n, c.as4);
      off += n;
      if (typeof m === 'string') return closeConn(d, c, m === 'bad-open' ? [BGP_ERR.OPEN, 0] : m === 'bad-attribute' || m === 'bad-update' ? [BGP_ERR.UPDATE, BGP_SUBERR.MALFORMED_ATTRS] : [BGP_ERR.HEADER, BGP_SUBERR.BAD_LENGTH], `Malformed message (${m})`);
      c.peer.lastReadNs = d.stack.env.sim.now();
      countMessage(c.peer.rcvd, m.type);
      received(d, c, m);
      if (c.sock === null) return;
    }
    c.rx.copyWithin(0, off, c.rxLen);
    c.rxLen -= off;
  }
}

function received(d: BgpDaemon, c: BgpConn, m: BgpMessage): void {
  switch (m.type) {
    case 'open':
      return openReceived(d, c, m);
    case 'keepalive':
      if (c.state === 'OpenConfirm') return established(d, c);
      if (c.state !== 'Established') return closeConn(d, c, [BGP_ERR.FSM, 0], 'FSM error');
      return armHold(d, c, c.holdS);
    case 'update':
      if (c.state !== 'Established') return closeConn(d, c, [BGP_ERR.FSM, 0], 'FSM error');
      armHold(d, c, c.holdS);
      return updateReceived(d, c, m);
    case 'notification':
      return closeConn(d, c, null, `NOTIFICATION received (${m.code}/${m.subcode})`);
    case 'other':
      if (c.state !== 'Established') return closeConn(d, c, [BGP_ERR.HEADER, BGP_SUBERR.BAD_TYPE], 'Bad message type');
      armHold(d, c, c.holdS);
      // ROUTE-REFRESH for IPv4 unicast (RFC 2918 §4): the whole Adj-RIB-Out goes out again.
      if (m.code === BGP_TYPE.ROUTE_REFRESH && m.body.length === 4 && m.body[1] === 1 && m.body[3] === 1) {
        c.peer.adjOut.clear();
        updatePeer(d, c.peer);
      }
      return;
    default:
      m satisfies never;
  }
}

/** OPEN checks (§6.2), the negotiated timers, then collision resolution (§6.8). */
function openReceived(d: BgpDaemon, c: BgpConn, m: Extract<BgpMessage, { type: 'open' }>): void {
  if (c.state !== 'OpenSent') return closeConn(d, c, [BGP_ERR.FSM, 0], 'FSM error');
  const peer = c.peer;
  const as4 = bgpAs4(m.caps);
  const asn = as4 ?? m.myAs;
  if (m.version !== 4) return closeConn(d, c, [BGP_ERR.OPEN, 1], 'Unsupported version');
  if ((peer.remoteAs !== 0 && asn !== peer.remoteAs) || (peer.remoteAs === 0 && asn === d.cfg.asn)) return closeConn(d, c, [BGP_ERR.OPEN, BGP_SUBERR.BAD_PEER_AS], `Bad peer AS ${asn}`);
  if (m.bgpId === 0 || m.bgpId === d.routerId) return closeConn(d, c, [BGP_ERR.OPEN, BGP_SUBERR.BAD_BGP_ID], 'Bad BGP identifier');
  if (m.holdTimeS === 1 || m.holdTimeS === 2) return closeConn(d, c, [BGP_ERR.OPEN, BGP_SUBERR.UNACCEPTABLE_HOLD], 'Unacceptable hold time');
  if (peer.remoteAs === 0) {
    peer.remoteAs = asn;
    peer.ibgp = false;
  }
  c.remoteId = m.bgpId;
  c.as4 = as4 !== null;
  c.holdS = Math.min(m.holdTimeS, peer.cfgHoldS);
  c.keepaliveS = c.holdS === 0 ? 0 : Math.min(peer.cfgKeepaliveS, Math.floor(c.holdS / 3));
  for (const o of [...peer.conns]) {
    if (o === c || o.sock === null) continue;
    if (o.state === 'Established') return closeConn(d, c, [BGP_ERR.CEASE, BGP_SUBERR.COLLISION], 'Connection collision resolution');
    // The connection opened by the speaker with the higher BGP Identifier stays (§6.8).
    const keepOutbound = d.routerId >>> 0 > m.bgpId >>> 0;
    const loser = o.outbound === keepOutbound ? c : o;
    closeConn(d, loser, [BGP_ERR.CEASE, BGP_SUBERR.COLLISION], 'Connection collision resolution');
    if (loser === c) return;
  }
  c.state = 'OpenConfirm';
  bgpSend(d, c, { type: 'keepalive' });
  armHold(d, c, c.holdS);
  armKeepalive(d, c);
  setState(d, peer, bestState(peer));
}

function established(d: BgpDaemon, c: BgpConn): void {
  const peer = c.peer;
  c.state = 'Established';
  peer.established = c;
  peer.remoteId = c.remoteId;
  peer.holdS = c.holdS;
  peer.keepaliveS = c.keepaliveS;
  peer.localAddr = c.localAddr;
  peer.localPort = c.localPort;
  peer.remotePort = c.remotePort;
  peer.upSinceNs = d.stack.env.sim.now();
  peer.establishedCount++;
  peer.adjOut.clear();
  armHold(d, c, c.holdS);
  setState(d, peer, 'Established');
  if (peer.retryTimer !== 0) d.stack.env.sim.cancel(peer.retryTimer);
  peer.retryTimer = 0;
  peer.retryGen++;
  updatePeer(d, peer); // the whole Loc-RIB as this peer may see it (§9.4)
}

function updateReceived(d: BgpDaemon, c: BgpConn, m: Extract<BgpMessage, { type: 'update' }>): void {
  const peer = c.peer;
  const now = d.stack.env.sim.now();
  for (const w of m.withdrawn) peer.adjIn.delete(prefixKey(w.addr, w.prefixLen));
  if (m.nlri.length > 0) {
    const a = m.attrs;
    if (a === null || a.origin === null || a.asPath === null || a.nextHop === null) return closeConn(d, c, [BGP_ERR.UPDATE, 3], 'Missing well-known attribute');
    if (a.origin > 2) return closeConn(d, c, [BGP_ERR.UPDATE, 6], 'Invalid ORIGIN attribute');
    // §9.1.2: a path holding our own AS is a loop: it is not used (treated as withdrawn).
    const loop = a.asPath.some((g) => g.asns.includes(d.cfg.asn));
    // Inbound policy (ebgp-requires-policy, prefix lists, route-maps) runs before the decision (bgpd-policy.ts).
    const communities = bgpCommunities(a.other);
    for (const n of m.nlri) {
      const k = prefixKey(n.addr, n.prefixLen);
      if (loop) {
        peer.adjIn.delete(k);
        continue;
      }
      if (!peer.adjIn.has(k) && peer.adjIn.size >= BGP_PREFIXES_MAX) return closeConn(d, c, [BGP_ERR.CEASE, 1], 'Maximum number of prefixes reached');
      peer.adjIn.set(k, {
        dest: n.addr,
        prefixLen: n.prefixLen,
        from: peer,
        source: 'peer',
        origin: a.origin,
        asPath: a.asPath.filter((g) => g.type === BGP_SEGMENT.AS_SEQUENCE || g.type === BGP_SEGMENT.AS_SET),
        nextHop: a.nextHop,
        med: a.med,
        localPref: peer.ibgp ? a.localPref : null,
        communities: communities === null ? null : sortCommunities(communities),
        weight: peer.weight,
        receivedNs: now,
      });
    }
  }
  scheduleDecision(d);
}

// ---- timers ---------------------------------------------------------------------------

interface ConnArg {
  d: BgpDaemon;
  c: BgpConn;
  gen: number;
}

function armHold(d: BgpDaemon, c: BgpConn, s: number): void {
  if (c.holdTimer !== 0) d.stack.env.sim.cancel(c.holdTimer);
  c.holdTimer = s === 0 ? 0 : d.stack.env.sim.schedule(s * S, holdExpired, { d, c, gen: c.gen } satisfies ConnArg);
}

function holdExpired(a: ConnArg): void {
  if (a.gen !== a.c.gen || a.c.sock === null) return;
  a.c.holdTimer = 0;
  closeConn(a.d, a.c, [BGP_ERR.HOLD_TIMER, 0], 'Hold Timer Expired');
}

function armKeepalive(d: BgpDaemon, c: BgpConn): void {
  if (c.keepaliveS === 0) return;
  c.keepaliveTimer = d.stack.env.sim.schedule(c.keepaliveS * S, keepaliveDue, { d, c, gen: c.gen } satisfies ConnArg);
}

function keepaliveDue(a: ConnArg): void {
  if (a.gen !== a.c.gen || a.c.sock === null) return;
  a.c.keepaliveTimer = 0;
  if (!bgpSend(a.d, a.c, { type: 'keepalive' })) return closeConn(a.d, a.c, [BGP_ERR.CEASE, 8], 'Send queue full');
  armKeepalive(a.d, a.c);
}

// ---- ending -----------------------------------------------------------------------------

function connClosed(d: BgpDaemon, c: BgpConn, errno: Errno | null): void {
  if (c.sock === null) return;
  c.sock = null;
  if (c.state === 'Connect' && (errno === 'ENETUNREACH' || errno === 'EHOSTUNREACH')) c.peer.unreachable = true;
  endConn(d, c, errno === null ? 'Peer closed the session' : `TCP connection closed (${errno})`);
}

/** Ends `c`, with a NOTIFICATION first when `notify` is given (§6: error → NOTIFICATION, close). */
function closeConn(d: BgpDaemon, c: BgpConn, notify: [number, number] | null, reason: string): void {
  if (c.sock === null) return;
  if (notify !== null && c.state !== 'Connect') bgpSend(d, c, { type: 'notification', code: notify[0], subcode: notify[1], data: new Uint8Array(0) });
  d.tcp.close(c.sock);
  c.sock = null;
  endConn(d, c, reason);
}

function endConn(d: BgpDaemon, c: BgpConn, reason: string): void {
  const peer = c.peer;
  c.gen++;
  if (c.holdTimer !== 0) d.stack.env.sim.cancel(c.holdTimer);
  if (c.keepaliveTimer !== 0) d.stack.env.sim.cancel(c.keepaliveTimer);
  c.holdTimer = 0;
  c.keepaliveTimer = 0;
  peer.conns = peer.conns.filter((x) => x !== c);
  const now = d.stack.env.sim.now();
  if (peer.established === c) {
    peer.established = null;
    peer.droppedCount++;
    peer.adjIn.clear();
    peer.adjOut.clear();
    peer.lastReset = reason;
    peer.lastResetNs = now;
    scheduleDecision(d);
    // After a reset FRR waits its idle hold time (1 s at first) before connecting again.
    if (d.running && !peer.shutdown) armRetry(d, peer, S + d.rng.nextInt(S / 2));
  } else if (reason !== 'Connection collision resolution' && c.state !== 'Connect') {
    peer.lastReset = reason;
    peer.lastResetNs = now;
  }
  setState(d, peer, bestState(peer));
}

const STATE_ORDER: Readonly<Record<BgpConn['state'], number>> = { Connect: 0, OpenSent: 1, OpenConfirm: 2, Established: 3 };

/** The peer's state as vtysh shows it: its most advanced connection, else Active or Idle. */
function bestState(peer: BgpPeer): BgpState {
  let best: BgpConn | null = null;
  for (const c of peer.conns) if (best === null || STATE_ORDER[c.state] > STATE_ORDER[best.state]) best = c;
  if (best !== null) return best.state;
  return peer.retryTimer !== 0 ? 'Active' : 'Idle';
}

function setState(d: BgpDaemon, peer: BgpPeer, s: BgpState): void {
  // FRR's log-neighbor-changes line when a session comes up or goes down.
  if (s === 'Established' && peer.state !== 'Established') d.stack.env.log?.(() => `bgpd: %ADJCHANGE: neighbor ${formatIpv4(peer.addr)} Up`);
  if (s !== 'Established' && peer.state === 'Established') d.stack.env.log?.(() => `bgpd: %ADJCHANGE: neighbor ${formatIpv4(peer.addr)} Down ${peer.lastReset}`);
  peer.state = s;
}

