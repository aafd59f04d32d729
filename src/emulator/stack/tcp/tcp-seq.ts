// Modulo-2^32 sequence-number arithmetic (RFC 9293 §3.4, FreeBSD tcp_seq.h SEQ_LT …).
// Pure functions on uint32 numbers; no state.

/** a − b as a signed 32-bit distance. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
export function seqLeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}
export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
export function seqGeq(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}
