// Shapes the iperf3 modules share: test parameters as the client sends them, the job
// handle the shell holds, and the output sink. No behaviour here.

export interface IperfParams {
  /** Seconds of the test (ignored when `bytes` > 0). */
  time: number;
  bytes: number;
  parallel: number;
  reverse: boolean;
  /** Seconds between interval reports; 0: none. */
  interval: number;
  /** -u: UDP data at `rate` bits/s per stream (datagrams of UDP_BLKSIZE bytes). */
  udp: boolean;
  rate: number;
}

export interface IperfJob {
  interrupt(): void;
}

export type Out = (s: string) => void;
