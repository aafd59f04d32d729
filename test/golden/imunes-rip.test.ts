// Golden capture of an IMUNES lab as shipped (RIP.imn, links with bandwidth and delay):
// at boot host5 pings a subnet RIP has not yet announced (router2's ICMP net unreachable
// quoting host5's datagram, RFC 792, RFC 1812 §5.2.7.1), then its gateway, then the same
// subnet across two routers once RIP has converged. The capture holds ARP, RIPv2 requests
// and responses to 224.0.0.9 (RFC 2453) and echo request/reply with real serialization
// and propagation times. Golden as in pc-router-pc.
import { expect, it } from 'vitest';
import { parsePing } from '../imunes-run/cli-run';
import { describeGolden } from './golden-suite';

describeGolden(
  {
    name: 'imunes-rip',
    file: '../shared/imunes-examples/RIP.imn',
    seed: 11,
    execs: ['host5: ping -c 1 10.0.8.2', 'host5: ping -c 2 10.0.7.1', 'host5: ping -c 2 10.0.8.2'],
    taps: [{ node: 'host5', iface: 'eth0' }],
  },
  (get) => {
    it('gets net unreachable before RIP converged, then reaches across two routers', () => {
      const { run } = get();
      const [boot, gw, across] = run.results;
      expect(boot.exitCode).not.toBe(0);
      expect(boot.output).toMatch(/Destination Net Unreachable/);
      expect(parsePing(gw.output).replyTtls, gw.output).toEqual([64, 64]);
      expect(parsePing(across.output).replyTtls, across.output).toEqual([62, 62]);
    });

    it('shows RIP, the unreachable and link delay in the decode', () => {
      const { text } = get();
      expect(text).toMatch(/host5:eth0 in {3}icmp 10\.0\.7\.1 > 10\.0\.7\.2 {2}Destination unreachable \(Network unreachable\)/);
      expect(text).toMatch(/host5:eth0 in {3}udp {2}10\.0\.7\.1 > 224\.0\.0\.9 {2}Response/);
      // The lab's links have a propagation delay: replies do not arrive at t = 0.
      expect(text).toMatch(/^11\.0000\d*[1-9]\d*  host5:eth0 in {3}icmp .*Echo \(ping\) reply/m);
    });
  },
);
