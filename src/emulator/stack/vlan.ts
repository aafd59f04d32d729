// IEEE 802.1Q tag insertion and removal on whole Ethernet frames, shared by the VLAN-aware
// bridge and the stack's VLAN sub-interfaces. Never mutates its input (frames handed to
// a link or the trace are immutable); always returns new bytes. IEEE 802.1Q §9.6 (tag
// format: TPID 0x8100, PCP/DEI/VID), §6.9 (tag insertion/removal keeps the frame valid).

/** 802.1Q Tag Protocol Identifier (C-VLAN). */
export const TPID_8021Q = 0x8100;
/** Minimum Ethernet frame without FCS (IEEE 802.3 §3.2.8 pads to this). */
const MIN_FRAME_BYTES = 60;

/** VID of a tagged frame, or -1 when untagged (or too short to hold a tag). */
export function frameVid(frame: Uint8Array): number {
  if (frame.length < 18 || frame[12] !== 0x81 || frame[13] !== 0x00) return -1;
  return ((frame[14] << 8) | frame[15]) & 0x0fff;
}

/** A copy of an untagged frame with a C-VLAN tag (PCP 0, DEI 0, `vid`) after the source MAC. */
export function tagFrame(frame: Uint8Array, vid: number): Uint8Array {
  const out = new Uint8Array(frame.length + 4);
  out.set(frame.subarray(0, 12), 0);
  out[12] = TPID_8021Q >>> 8;
  out[13] = TPID_8021Q & 0xff;
  out[14] = (vid >>> 8) & 0x0f;
  out[15] = vid & 0xff;
  out.set(frame.subarray(12), 16);
  return out;
}

/** A copy of a tagged frame without its tag, re-padded to the 60-byte minimum. */
export function untagFrame(frame: Uint8Array): Uint8Array {
  const len = frame.length - 4;
  const out = new Uint8Array(len < MIN_FRAME_BYTES ? MIN_FRAME_BYTES : len);
  out.set(frame.subarray(0, 12), 0);
  out.set(frame.subarray(16), 12);
  return out;
}
