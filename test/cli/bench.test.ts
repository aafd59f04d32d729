// `virtnet bench`: a 64-router chain delivers every packet (TTL 255), a run that loses
// packets fails loudly, and arguments past the bounds exit 2 with one clear line.
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { runBench } from '../../src/emulator/bench';
import { checkDelivered } from '../../src/cli/bench';
import { CliError } from '../../src/cli/io';

describe('virtnet bench', () => {
  it('a 64-router chain delivers every packet: packet-hops = packets × 65 links', () => {
    const r = runBench({ routers: 64, packets: 300, warmup: 10, clock: () => performance.now() });
    expect(r.received).toBe(300);
    expect(r.packetHops).toBe(300 * 65);
  });

  it('the longest chain (254 routers) also delivers everything', async () => {
    const r = await cli('bench', '--routers', '254', '--packets', '50', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ routers: 254, received: 50, packetHops: 50 * 255 });
  });

  it('refuses arguments past the bounds with exit 2 and one line, before allocating anything', async () => {
    const big = await cli('bench', '--routers', '100000');
    expect(big.code).toBe(2);
    expect(big.stderr).toBe("virtnet: --routers 100000: at most 254 (the chain numbers its links 10.0.k.0/24)\n");
    const many = await cli('bench', '--packets', '1e12');
    expect(many.code).toBe(2);
    expect(many.stderr.split('\n')).toHaveLength(2);
  });

  it('--fw-rules N [--fw-table] puts N ipfw rules on every router; --cpu-time times by CPU time; every packet still arrives', async () => {
    for (const extra of [['--fw-rules', '1000'], ['--fw-rules', '1000', '--fw-table']]) {
      const r = await cli('bench', '--routers', '2', '--packets', '2000', '--cpu-time', ...extra);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^chain: pc – 2 routers – pc \\(4 nodes\\), 1000 ipfw rules per router${extra.length === 3 ? ' in a table' : ''}, 2,000 packets in [0-9.]+ s of CPU time\\n`));
    }
  });

  it('--tcp --cpu-time times the TCP bench by CPU time too, and says so', async () => {
    const r = await cli('bench', '--tcp', '--cpu-time', '--routers', '1', '--mbytes', '1');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^tcp: pc – 1 routers – pc \(1 Gbit\/s links\), 1 MB in [0-9.]+ s of CPU time \([0-9.]+ virtual s\)\ndata segments per second: [0-9,]+ cold \(the connection's first 1 MB, while the JIT compiles\)\n +[0-9,]+ warm \(1 MB in [0-9.]+ s, after 2 MB not measured, as iperf3 -O\)\n/);
  }, 60_000);

  it('--tcp --omit-mbytes 0 measures the cold window only; a bad value is refused', async () => {
    const r = await cli('bench', '--tcp', '--routers', '1', '--mbytes', '1', '--omit-mbytes', '0', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { warm: unknown; bytes: number };
    expect(j.warm).toBeNull();
    expect(j.bytes).toBe(1 << 20);
    const bad = await cli('bench', '--tcp', '--omit-mbytes', 'lots');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--omit-mbytes 'lots': expected a positive integer");
  }, 60_000);

  it('the engine bench refuses a chain it cannot address', () => {
    expect(() => runBench({ routers: 300, packets: 1, clock: () => 0 })).toThrow(RangeError);
  });

  it('a run where packets go missing fails with exit 1 and says how many arrived', () => {
    const r = runBench({ routers: 2, packets: 400, warmup: 10, clock: () => performance.now(), linkParams: { lossPercent: 10 } });
    expect(r.received).toBeLessThan(400);
    let err: unknown;
    try {
      checkDelivered(r);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).code).toBe(1);
    expect((err as CliError).message).toMatch(/^bench failed: 400 packets sent through 2 routers, only \d+ arrived/);
  });
});
