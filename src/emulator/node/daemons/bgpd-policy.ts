// bgpd's routing policy, as FRR applies it: inbound, a neighbor's prefix-list and filter-list,
// then RFC 8212's `ebgp-requires-policy`, then its route-map (before the decision process);
// outbound, per peer, the same in that order before the route-map shapes what is sent.
// Prefix lists and as-path lists end in an implicit deny, route-maps too. Reads the policy
// records of frr-conf-policy.ts; must not touch sockets or the table. RFC 4271 §9.1.1
// (Degree of Preference from policy), §9.2 (export policy), RFC 8212.

import { BGP_ATTR, BGP_SEGMENT, bgpCommunitiesAttr, formatAsPath, type BgpAttrs, type BgpSegment } from '../../wire/bgp';
import { prefixMask } from '../../wire/addr';
import { COMMUNITY, sortCommunities, type PolicyConfig, type RouteMapSet } from './frr-conf-policy';
import type { BgpDaemon, BgpPath, BgpPeer } from './bgpd-types';

/** The attributes a route-map may change. */
interface Mutable {
  asPath: BgpSegment[];
  med: number | null;
  localPref: number | null;
  communities: number[] | null;
  weight: number;
}

/** FRR's prefix_list_apply: a missing list denies, an empty one permits, else the first match decides. */
export function prefixListPermits(p: PolicyConfig, name: string, dest: number, prefixLen: number): boolean {
  const list = p.prefixLists.get(name);
  if (list === undefined) return false;
  if (list.length === 0) return true;
  for (const e of list) {
    if (prefixLen < e.prefixLen || ((dest & prefixMask(e.prefixLen)) >>> 0) !== e.addr) continue;
    if (e.ge === null && e.le === null && prefixLen !== e.prefixLen) continue;
    if (e.le !== null && prefixLen > e.le) continue;
    if (e.ge !== null && prefixLen < e.ge) continue;
    return e.permit;
  }
  return false;
}

/** FRR's as_list_apply over the path as `show ip bgp` prints it; a missing list or no match denies. */
export function asPathListPermits(p: PolicyConfig, name: string, asPath: BgpSegment[]): boolean {
  const list = p.asPathLists.get(name);
  if (list === undefined) return false;
  const text = formatAsPath(asPath); // sequences space-separated, sets as {a,b}, as FRR matches them
  for (const e of list) if (e.regex.test(text)) return e.permit;
  return false;
}

/**
 * FRR's community_list_match (exact: community_list_exact_match): the first entry that is
 * `internet`, or whose communities the route all carries (exactly those), decides; else deny.
 */
export function communityListPermits(p: PolicyConfig, name: string, cs: number[] | null, exact: boolean): boolean {
  const list = p.communityLists.get(name);
  if (list === undefined || (exact && cs === null)) return false;
  for (const e of list) {
    if (e.any) return e.permit;
    const hit = exact ? cs !== null && cs.length === e.values.length && e.values.every((v, i) => cs[i] === v) : cs !== null && e.values.every((v) => cs.includes(v));
    if (hit) return e.permit;
  }
  return false;
}

function applySet(m: Mutable, s: RouteMapSet): void {
  switch (s.kind) {
    case 'community':
      // `additive` adds to what the route has; otherwise the list replaces it (`none` removes all).
      m.communities = s.additive ? sortCommunities([...(m.communities ?? []), ...s.values]) : s.values.length === 0 ? null : s.values;
      return;
    case 'local-preference':
      m.localPref = s.value;
      return;
    case 'metric':
      m.med = s.value;
      return;
    case 'weight':
      m.weight = s.value;
      return;
    case 'as-path-prepend': {
      const first = m.asPath[0];
      m.asPath = first !== undefined && first.type === BGP_SEGMENT.AS_SEQUENCE && first.asns.length + s.asns.length <= 255
        ? [{ type: BGP_SEGMENT.AS_SEQUENCE, asns: [...s.asns, ...first.asns] }, ...m.asPath.slice(1)]
        : [{ type: BGP_SEGMENT.AS_SEQUENCE, asns: [...s.asns] }, ...m.asPath];
      return;
    }
    default:
      s satisfies never;
  }
}

/**
 * FRR's route_map_apply: the first entry whose every match clause matches decides; permit
 * applies its set clauses. No entry matching, or a map that does not exist, denies.
 */
export function applyRouteMap(d: BgpDaemon, name: string, dest: number, prefixLen: number, m: Mutable): boolean {
  const map = d.policy.routeMaps.get(name);
  if (map === undefined) return false;
  d.rmInvoked.set(name, (d.rmInvoked.get(name) ?? 0) + 1);
  for (const e of map) {
    const ok = e.matches.every((x) => {
      switch (x.kind) {
        case 'prefix-list':
          // route_match_ip_address_prefix_list: a list that does not exist does not match.
          return d.policy.prefixLists.has(x.name) && prefixListPermits(d.policy, x.name, dest, prefixLen);
        case 'as-path':
          return d.policy.asPathLists.has(x.name) && asPathListPermits(d.policy, x.name, m.asPath);
        case 'community':
          return communityListPermits(d.policy, x.name, m.communities, x.exact);
        default:
          return x satisfies never;
      }
    });
    if (!ok) continue;
    const key = `${name}#${e.seq}`;
    d.rmInvoked.set(key, (d.rmInvoked.get(key) ?? 0) + 1);
    if (!e.permit) return false;
    for (const s of e.sets) applySet(m, s);
    return true;
  }
  return false;
}

/** bgp_inbound_policy_exists / bgp_outbound_policy_exists: a name is configured (it need not exist yet). */
export function hasPolicy(peer: BgpPeer, dir: 'in' | 'out'): boolean {
  const p = peer.policy;
  return dir === 'in' ? p.routeMapIn !== null || p.prefixListIn !== null || p.filterListIn !== null : p.routeMapOut !== null || p.prefixListOut !== null || p.filterListOut !== null;
}

/** RFC 8212 as FRR applies it: an eBGP peer without a policy in that direction exchanges nothing. */
export function missingPolicy(d: BgpDaemon, peer: BgpPeer, dir: 'in' | 'out'): boolean {
  return !peer.ibgp && d.cfg.ebgpRequiresPolicy && !hasPolicy(peer, dir);
}

/** A received path after inbound policy (bgp_update: input filter, RFC 8212, route-map), or null when denied. */
export function inboundPath(d: BgpDaemon, peer: BgpPeer, raw: BgpPath): BgpPath | null {
  const pol = peer.policy;
  if (pol.prefixListIn !== null && !prefixListPermits(d.policy, pol.prefixListIn, raw.dest, raw.prefixLen)) return null;
  if (pol.filterListIn !== null && !asPathListPermits(d.policy, pol.filterListIn, raw.asPath)) return null;
  if (missingPolicy(d, peer, 'in')) return null;
  const m: Mutable = { asPath: raw.asPath, med: raw.med, localPref: raw.localPref, communities: raw.communities, weight: peer.weight };
  if (pol.routeMapIn !== null && !applyRouteMap(d, pol.routeMapIn, raw.dest, raw.prefixLen, m)) return null;
  if (m.asPath === raw.asPath && m.med === raw.med && m.localPref === raw.localPref && m.communities === raw.communities && m.weight === raw.weight) return raw;
  return { ...raw, asPath: m.asPath, med: m.med, localPref: m.localPref, communities: m.communities, weight: m.weight };
}

/**
 * What `peer` is sent for `p` (subgroup_announce_check): `base` carries the path before our
 * AS is prepended; the outbound filters see it, the route-map changes it, and for an eBGP
 * peer our AS goes in front afterwards (bgp_packet_attribute). Null: not advertised.
 */
export function outboundAttrs(d: BgpDaemon, peer: BgpPeer, p: BgpPath, base: BgpAttrs): BgpAttrs | null {
  const pol = peer.policy;
  // RFC 1997 well-known communities (FRR's bgp_community_filter, before any filter): NO_ADVERTISE
  // goes to no peer; NO_EXPORT and NO_EXPORT_SUBCONFED (local-AS) stay inside the AS.
  const cs = p.communities;
  if (cs !== null && (cs.includes(COMMUNITY.NO_ADVERTISE) || (!peer.ibgp && (cs.includes(COMMUNITY.NO_EXPORT) || cs.includes(COMMUNITY.LOCAL_AS))))) return null;
  if (pol.prefixListOut !== null && !prefixListPermits(d.policy, pol.prefixListOut, p.dest, p.prefixLen)) return null;
  if (pol.filterListOut !== null && !asPathListPermits(d.policy, pol.filterListOut, base.asPath ?? [])) return null;
  if (missingPolicy(d, peer, 'out')) return null;
  const m: Mutable = { asPath: base.asPath ?? [], med: base.med, localPref: base.localPref, communities: p.communities, weight: p.weight };
  if (pol.routeMapOut !== null && !applyRouteMap(d, pol.routeMapOut, p.dest, p.prefixLen, m)) return null;
  // FRR sends communities to every peer by default (neighbor X send-community).
  const other = m.communities !== null && m.communities.length > 0 ? [...base.other.filter((x) => x.type !== BGP_ATTR.COMMUNITIES), bgpCommunitiesAttr(m.communities)] : base.other;
  const out: BgpAttrs = { ...base, asPath: m.asPath, med: m.med, localPref: peer.ibgp ? m.localPref : null, other };
  if (!peer.ibgp) out.asPath = prependOwnAs(d.cfg.asn, m.asPath);
  return out;
}

/** §5.1.2: a speaker prepends its own AS when it sends to an external peer. */
export function prependOwnAs(asn: number, path: BgpSegment[]): BgpSegment[] {
  const first = path[0];
  return first !== undefined && first.type === BGP_SEGMENT.AS_SEQUENCE && first.asns.length < 255
    ? [{ type: BGP_SEGMENT.AS_SEQUENCE, asns: [asn, ...first.asns] }, ...path.slice(1)]
    : [{ type: BGP_SEGMENT.AS_SEQUENCE, asns: [asn] }, ...path];
}
