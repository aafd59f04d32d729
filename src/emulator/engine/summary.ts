// One-line summaries of frames for traffic events, built lazily when events are drained.
// Delegates to the wire layer's decoder; this file only adapts it to the protocol's
// ProtoClass and must never be called on the per-packet hot path.

import { summarizeFrame } from '../wire/decode';
import type { ProtoClass } from './protocol';

export interface FrameSummary {
  proto: ProtoClass;
  info: string;
}

export function summarize(frame: Uint8Array): FrameSummary {
  const s = summarizeFrame(frame);
  return { proto: s.proto, info: s.info };
}
