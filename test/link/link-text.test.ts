// Link parameters in event text carry units, never field names (issue 9 §5).
import { describe, expect, it } from 'vitest';
import { formatLinkParams } from '../../src/emulator/topology/link-text';

describe('formatLinkParams', () => {
  it('names each parameter with its unit', () => {
    expect(formatLinkParams({ lossPercent: 100 })).toBe('loss 100 %');
    expect(formatLinkParams({ delayUs: 5000, bandwidthBps: 10_000_000 })).toBe('bandwidth 10 Mb/s, delay 5 ms');
    expect(formatLinkParams({ jitterUs: 250, dupPercent: 2.5, queuePackets: 20, berOneIn: 1_000_000 })).toBe('jitter 250 µs, BER 1 in 1,000,000 bits, duplication 2.5 %, queue 20 packets');
    expect(formatLinkParams({ bandwidthBps: 0, delayUs: 2_000_000 })).toBe('bandwidth unlimited, delay 2 s');
  });
});
