// Golden capture of an IMUNES lab as shipped (RIP.imn, links with bandwidth and delay):
// host5 pings its gateway, then a subnet only RIP would reach, so the capture holds ARP,
// echo request/reply with real serialization + propagation times, and router2's ICMP net
// unreachable quoting host5's datagram (RFC 792; RFC 1812 §5.2.7.1). Golden as in pc-router-pc.
import { expect, it } from 'vitest';
import { parsePing } from '../imunes-run/cli-run';
import { describeGolden } from './golden-suite';

describeGolden(
  {
    name: 'imunes-rip',
    file: '../shared/imunes-examples/RIP.imn',
    seed: 11,
    execs: ['host5: ping -c 2 10.0.7.1', 'host5: ping -c 1 10.0.8.2'],
    taps: [{ node: 'host5', iface: 'eth0' }],
  },
  (get) => {
    it('pings the gateway and gets net unreachable across (RIP does not run)', () => {
      const { run } = get();
      const [gw, across] = run.results;
      expect(parsePing(gw.output).replyTtls, gw.output).toEqual([64, 64]);
      expect(across.exitCode).not.toBe(0);
      expect(across.output).toMatch(/Destination Net Unreachable/);
    });

    it('shows the unreachable in the decode with link delay in the timestamps', () => {
      const { text } = get();
      expect(text).toMatch(/host5:eth0 in {3}icmp 10\.0\.7\.1 > 10\.0\.7\.2 {2}Destination unreachable \(Network unreachable\)/);
      // The lab's links have a propagation delay: replies do not arrive at t = 0.
      expect(text).toMatch(/^0\.0000\d*[1-9]\d*  host5:eth0 in {3}icmp .*Echo \(ping\) reply/m);
    });
  },
);
