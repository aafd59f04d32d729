// Link parameters as a person reads them, with units (`loss 100 %`, `delay 5 ms`,
// `bandwidth 10 Mb/s`), for event and log text in the engine and the renderer alike; never
// `lossPercent=100`. Text only.

import type { LinkParams } from './document';

function rate(bps: number): string {
  if (bps === 0) return 'unlimited';
  for (const [unit, f] of [['Gb/s', 1e9], ['Mb/s', 1e6], ['kb/s', 1e3]] as const) if (bps >= f) return `${trim(bps / f)} ${unit}`;
  return `${bps} b/s`;
}

function time(us: number): string {
  if (us >= 1e6) return `${trim(us / 1e6)} s`;
  if (us >= 1e3) return `${trim(us / 1e3)} ms`;
  return `${trim(us)} µs`;
}

const trim = (n: number): string => String(Math.round(n * 1000) / 1000);

const LABELS: { [K in keyof LinkParams]: (v: number) => string } = {
  bandwidthBps: (v) => `bandwidth ${rate(v)}`,
  delayUs: (v) => `delay ${time(v)}`,
  jitterUs: (v) => `jitter ${time(v)}`,
  lossPercent: (v) => `loss ${trim(v)} %`,
  berOneIn: (v) => (v === 0 ? 'no bit errors' : `BER 1 in ${v.toLocaleString('en-US')} bits`),
  dupPercent: (v) => `duplication ${trim(v)} %`,
  queuePackets: (v) => `queue ${v} packets`,
};

/** One parameter as a reader says it: `loss 100 %`, `delay 5 ms`, `bandwidth 10 Mb/s`. */
export function formatLinkParam(key: keyof LinkParams, value: number): string {
  return LABELS[key](value);
}

/** `delay 5 ms, loss 100 %` for the parameters given, in a fixed order. */
export function formatLinkParams(params: Partial<LinkParams>): string {
  const out: string[] = [];
  for (const key of Object.keys(LABELS) as (keyof LinkParams)[]) {
    const v = params[key];
    if (typeof v === 'number') out.push(LABELS[key](v));
  }
  return out.join(', ');
}
