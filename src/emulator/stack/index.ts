// Barrel of the cloned IPv4 stack: the API other layers use (docs/ENGINE-API.md "Stack").
// Internals (ip-forward, link-output, …) are not part of it. RFCs: see each module.

export { DROP, type DropReason, type StackEnv, type TraceSink } from './env';
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
