// Micro-benchmark of the forwarding fast path through wire/: per frame, Ethernet and IPv4
// checks, header checksum verification, a dst read and the RFC 1624 TTL decrement.
// Run: npx tsx test/wire/bench-wire.ts  (prints packets/s; not part of the test suite).

import { EthernetView } from '../../src/emulator/wire/ethernet';
import { buildIcmp, icmpEchoRequest, parseIcmp } from '../../src/emulator/wire/icmp';
import { buildIpv4Packet, ipv4DecrementTtl, Ipv4View, parseIpv4Header } from '../../src/emulator/wire/ipv4';
import { buildEthernetFrame } from '../../src/emulator/wire/ethernet';
import { summarizeFrame } from '../../src/emulator/wire/decode';

const ip = buildIpv4Packet(
  { src: 0x0a000014, dst: 0x0a000114, proto: 1, ttl: 255, tos: 0, id: 1, dontFragment: false, moreFragments: false, fragOffset: 0 },
  buildIcmp(icmpEchoRequest(1, 1, new Uint8Array(56))),
);
const frame = buildEthernetFrame({ dst: 1, src: 2, etherType: 0x0800 }, ip);

function bench(name: string, n: number, fn: () => void): void {
  for (let i = 0; i < 10_000; i++) fn();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  const ns = Number(process.hrtime.bigint() - t0);
  console.log(`${name.padEnd(44)} ${((n / ns) * 1e9 / 1e6).toFixed(2)} M/s  (${(ns / n).toFixed(1)} ns each)`);
}

const eth = new EthernetView(frame, 0);
const v = new Ipv4View(frame, 14);
let sink = 0;
bench('forward path (views reused, verify, ttl--)', 5_000_000, () => {
  eth.reset(frame, 0);
  if (!EthernetView.check(frame, 0, frame.length)) return;
  const off = eth.payloadOffset;
  if (!Ipv4View.check(frame, off, frame.length - off)) return;
  v.reset(frame, off);
  if (!v.checksumValid()) return;
  sink += v.dst;
  if (v.ttl <= 1) frame[off + 8] = 255;
  ipv4DecrementTtl(frame, off);
});
bench('forward path (new view per packet)', 5_000_000, () => {
  const e = new EthernetView(frame, 0);
  const iv = new Ipv4View(frame, e.payloadOffset);
  if (!Ipv4View.check(frame, 14, frame.length - 14) || !iv.checksumValid()) return;
  sink += iv.dst;
  if (iv.ttl <= 1) frame[22] = 255;
  ipv4DecrementTtl(frame, 14);
});
bench('parseIpv4Header + parseIcmp (reprs)', 2_000_000, () => {
  const r = parseIpv4Header(frame, 14, frame.length - 14);
  if (r) sink += parseIcmp(frame, 34, r.payloadLen)?.seq ?? 0;
});
bench('summarizeFrame (inspector, not hot path)', 200_000, () => {
  sink += summarizeFrame(frame).info.length;
});
if (sink === 42) console.log('');
