// Barrel of the cloned IPv4 stack: the API other layers use (docs/ENGINE-API.md "Stack").
// Internals (ip-forward, link-output, …) are not part of it. RFCs: see each module.

export { ANSWERED, DROP, type AnswerNote, type DropReason, type StackEnv, type TraceSink } from './env';
export { ERRNO_TEXT, errnoText, type ConfigResult, type Errno, type SendResult } from './errno';
export { createStack, setForwarding, setIcmpLimit, type StackIfaceOptions, type StackOptions } from './stack';
export { etherInput } from './ip-input';
export {
  ifaceList,
  ifaceGet,
  ifaceIndex,
  ifaceAddAddress,
  ifaceRemoveAddress,
  ifaceSetMtu,
  ifaceSetUp,
  ifaceFlags,
  setCarrier,
  ifaceWatch,
} from './iface';
export { ipJoinGroup, ipLeaveGroup } from './mcast';
export { routeWatch } from './programs';
export { ribInstall, ribWithdraw, ribFlush, ADMIN_DISTANCE, type ProtoRoute } from './rib';
export { routeAdd, routeDelete, routeList, routeLookup, type RouteInfo, type RouteLookupResult, type RouteSpec } from './route';
export { arpList, arpDelete, arpFlush, arpAddStatic, type ArpInfo } from './arp';
export { ipSend, sourceAddressFor, type IpSendOptions } from './ip-output';
export { icmpOpen } from './icmp';
export { udpBind, udpSend, type UdpSocket, type UdpSendOptions } from './udp';
export type {
  NetStack,
  Iface,
  IfaceAddr,
  IfaceCounters,
  IcmpDelivery,
  IcmpListener,
  IcmpQuoted,
  UdpDelivery,
  UdpListener,
  StackStats,
} from './types';
export { in6AddAddress, in6RemoveAddress, in6Addrs, in6Loopback, in6SetForwarding, in6Usable } from './in6';
export { route6Add, route6Delete, route6Find, route6List, route6Lookup, type Route6Info, type Route6LookupResult, type Route6Spec } from './route6';
export { nd6Flush, nd6List, nd6OwnLines, NDP_HEADER, type NdInfo } from './nd6';
export { nd6AcceptsRtadv, nd6AutoconfLifetimes, nd6AutoconfText, nd6PrefixLines, nd6RaInput, nd6RouterLines, nd6Rtsol, nd6SetAcceptRtadv, nd6SetDefaultAcceptRtadv } from './nd6-rtr';
export { ip6Send, in6SelectSource, type Ip6SendOptions } from './ip6-output';
export { icmp6Open, setIcmp6Limit } from './icmp6';
export { udp6Bind, udp6Unbind, udp6Send, type Udp6SendOptions } from './udp6';
export type { Inet6State, In6Addr, NdEntry, Icmp6Delivery, Icmp6Listener, Udp6Delivery, Udp6Listener } from './inet6-types';
