// Checks shared by the iperf3 UDP tests over IPv4 and IPv6: the client's report of a
// `-u -b 5M -t 3` test in iperf3's layout, nothing lost. Test support only.
import { expect } from 'vitest';

/** The client's output of `iperf3 -u -b 5M -t 3` on a path with room to spare. */
export function expectUdp5M3sReport(out: string): void {
  expect(out).toContain('[ ID] Interval           Transfer     Bitrate         Total Datagrams\n');
  expect(out).toMatch(/^\[  5\]   0\.00-1\.00   sec   6\d\d KBytes  5\.0\d Mbits\/sec  4\d\d  $/m);
  expect(out).toContain('[ ID] Interval           Transfer     Bitrate         Jitter    Lost/Total Datagrams\n');
  const sent = /^\[  5\]   0\.00-3\.00   sec  1\.79 MBytes  5\.00 Mbits\/sec  0\.000 ms  0\/(\d+) \(0%\)  sender$/m.exec(out);
  expect(sent, out).not.toBeNull();
  expect(out).toMatch(new RegExp(`^\\[  5\\]   0\\.00-3\\.\\d\\d   sec  1\\.79 MBytes  5\\.\\d\\d Mbits/sec  \\d\\.\\d{3} ms  0/${sent![1]} \\(0%\\)  receiver$`, 'm'));
}
