// Text of ipfw nat instances: `ipfw nat N config if IFACE|ip ADDR [same_ports] [deny_in]
// [unreg_only] [reset] [redirect_port PROTO LADDR:LPORT[-LPORT] [RADDR:]PUBPORT[-PUBPORT]]
// [redirect_addr LADDR PUBADDR]` (sbin/ipfw/nat.c), and `ipfw nat show` counters.

import { formatIpv4, parseIpv4 } from '../../wire/addr';
import { IP_PROTO } from '../../wire/ipv4';
import { natAddLink, natCreate, natExpire } from './nat';
import { EX, IpfwError } from './parse';
import type { NatInstance } from './types';

const fail = (msg: string, code: number = EX.DATAERR): never => {
  throw new IpfwError(msg, code);
};

function addrArg(text: string | undefined): number {
  const a = text === undefined ? null : parseIpv4(text);
  if (a === null) return fail(`unknown host ${text ?? ''}`, EX.NOHOST);
  return a;
}

function portRange(text: string): [number, number] {
  const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(text);
  if (m === null) return fail(`redirect_port: invalid port range ${text}`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < 1 || hi > 0xffff || hi < lo) fail(`redirect_port: invalid port range ${text}`);
  return [lo, hi];
}

/** `redirect_port PROTO LADDR:LPORT[-LPORT] PUBPORT[-PUBPORT]` → permanent links; returns words consumed. */
function redirectPort(nat: NatInstance, words: string[], i: number): number {
  const protoText = words[i];
  const proto = protoText === 'udp' ? IP_PROTO.UDP : protoText === 'tcp' ? IP_PROTO.TCP : fail(`redirect_port: unknown protocol ${protoText ?? ''}`);
  const local = words[i + 1] ?? '';
  const colon = local.lastIndexOf(':');
  if (colon < 0) fail(`redirect_port: missing local address`);
  const la = addrArg(local.slice(0, colon));
  const [llo, lhi] = portRange(local.slice(colon + 1));
  const pubText = words[i + 2] ?? fail('redirect_port: missing public port', EX.USAGE);
  const [plo, phi] = portRange(pubText.includes(':') ? pubText.slice(pubText.lastIndexOf(':') + 1) : pubText);
  if (phi - plo !== lhi - llo) fail('redirect_port: port ranges must be equal in size');
  for (let k = 0; k <= phi - plo; k++) {
    natAddLink(nat, { proto, localAddr: la, localPort: llo + k, aliasAddr: 0, aliasPort: plo + k, remoteAddr: 0, remotePort: 0, expiresNs: 0, permanent: true });
  }
  return 3;
}

/** Builds a nat instance from its config words; nothing is kept when a word is bad. */
export function natConfig(n: number, words: string[], aliasOf: (nat: NatInstance) => number): NatInstance {
  const nat = natCreate(n);
  const redirects: [number, number][] = [];
  const redirectText: string[] = [];
  for (let i = 0; i < words.length; ) {
    const w = words[i++];
    switch (w) {
      case 'if':
        nat.ifName = words[i++] ?? fail('if: missing interface', EX.USAGE);
        break;
      case 'ip':
        nat.ip = addrArg(words[i++]);
        break;
      case 'same_ports': nat.samePorts = true; break;
      case 'deny_in': nat.denyIn = true; break;
      case 'unreg_only': nat.unregOnly = true; break;
      case 'reset': case 'log': case 'reverse': case 'proxy_only': break;
      case 'redirect_port':
        redirects.push([i, 0]);
        redirectText.push(`redirect_port ${words.slice(i, i + 3).join(' ')}`);
        i += 3;
        break;
      case 'redirect_addr': {
        redirectText.push(`redirect_addr ${words.slice(i, i + 2).join(' ')}`);
        const la = addrArg(words[i++]);
        const pa = addrArg(words[i++]);
        nat.addrOut.set(la, pa);
        nat.addrIn.set(pa, la);
        break;
      }
      default:
        fail(`unrecognised option \`\`${w}''`);
    }
  }
  for (const [at] of redirects) redirectPort(nat, words, at);
  if (nat.ifName === null && nat.ip === 0) fail('missing "if" or "ip" keyword', EX.USAGE);
  // FreeBSD's print_nat_config order: address source, flags, then redirects.
  const flags = [nat.denyIn ? ' deny_in' : '', nat.samePorts ? ' same_ports' : '', nat.unregOnly ? ' unreg_only' : ''].join('');
  const where = nat.ifName !== null ? ` if ${nat.ifName}` : ` ip ${formatIpv4(nat.ip)}`;
  nat.configText = `ipfw nat ${n} config${where}${flags}${redirectText.map((r) => ' ' + r).join('')}`;
  // Redirect links take the alias address the instance has when configured.
  const alias = aliasOf(nat);
  for (const l of nat.out.values()) l.aliasAddr = alias;
  nat.in = new Map([...nat.out.values()].map((l) => [`${l.proto} ${alias} ${l.aliasPort} 0 0`, l]));
  return nat;
}

/** `ipfw nat show`: one counter line per instance (libalias link counts). */
export function formatNatStats(nats: Iterable<NatInstance>, nowNs: number): string[] {
  const out: string[] = [];
  for (const nat of [...nats].sort((a, b) => a.n - b.n)) {
    natExpire(nat, nowNs);
    let icmp = 0, udp = 0, tcp = 0;
    for (const l of nat.out.values()) {
      if (l.proto === IP_PROTO.ICMP) icmp++;
      else if (l.proto === IP_PROTO.UDP) udp++;
      else if (l.proto === IP_PROTO.TCP) tcp++;
    }
    out.push(`nat ${nat.n}: icmp=${icmp}, udp=${udp}, tcp=${tcp}, sctp=0, pptp=0, proto=0, frag_id=0 frag_ptr=0 / tot=${icmp + udp + tcp}`);
  }
  return out;
}

/** The translation table, one line per live link (for `ipfw nat N show links` and the inspector). */
export function formatNatLinks(nat: NatInstance, nowNs: number): string[] {
  natExpire(nat, nowNs);
  const name = (p: number): string => (p === IP_PROTO.ICMP ? 'icmp' : p === IP_PROTO.UDP ? 'udp' : p === IP_PROTO.TCP ? 'tcp' : String(p));
  return [...nat.out.values()].map(
    (l) =>
      `${name(l.proto)} ${formatIpv4(l.localAddr)}:${l.localPort} -> ${formatIpv4(l.aliasAddr)}:${l.aliasPort} ` +
      `<-> ${l.remoteAddr === 0 ? '*' : `${formatIpv4(l.remoteAddr)}:${l.remotePort}`}${l.permanent ? ' (redirect)' : ` (${Math.ceil((l.expiresNs - nowNs) / 1e9)}s)`}`,
  );
}
