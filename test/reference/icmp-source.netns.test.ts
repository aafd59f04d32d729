// VirtNet against the Linux kernel: each reference topology is built in network namespaces
// and in VirtNet, and traceroute hop lists and the address answering `ping` with a small
// TTL must agree (ICMP source addresses, FreeBSD icmp_reflect = Linux's default). Needs
// root, iproute2, iputils-ping and traceroute; elsewhere it skips with one line saying why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetnsLab, netnsUnavailable, removeStaleNamespaces } from './netns';
import { pingResponder, probeName, REFERENCE_TOPOLOGIES, tracerouteHops } from './ref-topology';
import { virtnetAnswer, virtnetWorld } from './virtnet-probe';

const why = netnsUnavailable();
if (why !== null) console.warn(`icmp-source reference vs Linux skipped: ${why}`);

describe.skipIf(why !== null)('ICMP source addresses: VirtNet vs the Linux kernel (network namespaces)', () => {
  const results: { name: string; linux: string[]; virtnet: string[] }[] = [];

  beforeAll(() => removeStaleNamespaces());
  afterAll(() => {
    const agree = results.filter((r) => r.linux.join(' ') === r.virtnet.join(' ')).length;
    console.log(`icmp-source reference: VirtNet agrees with Linux in ${agree} of ${results.length} cases`);
    for (const r of results) if (r.linux.join(' ') !== r.virtnet.join(' ')) console.log(`  differs: ${r.name}: Linux ${r.linux.join(' ')}, VirtNet ${r.virtnet.join(' ')}`);
  });

  REFERENCE_TOPOLOGIES.forEach((t, k) => {
    it(`${t.name}: every probe answers from the same addresses`, () => {
      const lab = new NetnsLab(`t${k}`);
      try {
        lab.build(t);
        const w = virtnetWorld(t);
        for (const p of t.probes) {
          const out = lab.probe(p);
          const linux = p.kind === 'ping' ? [pingResponder(out)] : tracerouteHops(out);
          const virtnet = virtnetAnswer(w, p);
          results.push({ name: probeName(t, p), linux, virtnet });
          expect.soft(virtnet, probeName(t, p)).toEqual(linux);
          expect.soft(linux, `${probeName(t, p)}: the kernel still answers as recorded`).toEqual(p.expect);
        }
      } finally {
        lab.destroy();
      }
    }, 120_000);
  });
});
