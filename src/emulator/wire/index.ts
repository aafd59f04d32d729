// Barrel of the wire layer: real packet bytes (views, reprs, parse/emit/format, checksums,
// fragmentation, captures, decoding). Nothing here decides behaviour; stack/ does.
// See each module for the RFC sections it implements. Each view class repeats its small
// constructor and `reset` on purpose: a shared base class made those call sites polymorphic
// and cost ~20% of `npm run bench` (measured 2.6M → 2.0M packet-hops/s).

export * from './addr';
export * from './checksum';
export * from './ethernet';
export * from './arp';
export * from './ipv4';
export * from './icmp';
export * from './udp';
export * from './tcp';
export * from './tcp-options';
export * from './hex';
export * from './fragment';
export * from './pcap';
export * from './decode';
export * from './ipv6-addr';
export * from './ipv6';
export * from './icmpv6';
export * from './udp6';
