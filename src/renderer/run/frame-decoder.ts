// The one place the run UI gets frame meaning from: summarizeFrame/decodeFrame of
// src/emulator/wire/decode.ts (the only emulator module the renderer may use besides the
// protocol). Must not parse protocols itself.
import { decodeFrame as wireDecode, summarizeFrame as wireSummarize } from '../../emulator/wire/decode';
import type { FieldNode } from './hex-map';

export interface FrameSummary {
  proto: string;
  src: string;
  dst: string;
  info: string;
}

export function summarizeFrame(bytes: Uint8Array): FrameSummary {
  return wireSummarize(bytes);
}

export function decodeFrame(bytes: Uint8Array): FieldNode[] {
  try {
    return wireDecode(bytes) as FieldNode[];
  } catch (err) {
    return [{ name: 'Malformed frame', value: err instanceof Error ? err.message : String(err), offset: 0, length: bytes.length }];
  }
}
