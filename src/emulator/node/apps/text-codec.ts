// UTF-8 between a terminal's text and socket bytes, for apps that relay typed lines
// (nc): an encoder and a streaming decoder that keeps a sequence split across segments
// for the next chunk. Pure; the emulator has no TextEncoder (lib ES2022 only).

import { utf8 } from '../../wire/pcap';

export const encodeUtf8 = utf8;

/** Decodes chunks; bytes of a character cut at a chunk's end wait for the next chunk. */
export class Utf8Stream {
  private carry: number[] = [];

  decode(chunk: Uint8Array): string {
    const bytes = this.carry.length > 0 ? Uint8Array.from([...this.carry, ...chunk]) : chunk;
    this.carry = [];
    let out = '';
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i];
      const need = b < 0x80 ? 0 : b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
      if (need < 0) {
        out += '\ufffd';
        i++;
        continue;
      }
      if (i + need >= bytes.length && need > 0) {
        this.carry = Array.from(bytes.subarray(i));
        break;
      }
      let cp = need === 0 ? b : b & (0x3f >> need);
      let ok = true;
      for (let k = 1; k <= need; k++) {
        const c = bytes[i + k];
        if ((c & 0xc0) !== 0x80) ok = false;
        cp = (cp << 6) | (c & 0x3f);
      }
      if (!ok) {
        out += '\ufffd';
        i++;
        continue;
      }
      out += String.fromCodePoint(cp);
      i += need + 1;
    }
    return out;
  }
}
