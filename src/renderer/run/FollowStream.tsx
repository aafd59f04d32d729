// "Follow TCP Stream" of a capture, as Wireshark's dialog shows it: the payload of one
// conversation in capture order, each side in its own colour (the side seen first red, the
// other blue), as ASCII or as a hex dump. Reads the capture's TCP analysis; keeps nothing.
import { useEffect, useRef, useState } from 'react';
import type { FollowChunk, TcpConversations } from '../../emulator/filter/tcp-conversations';
import { asciiByte, formatHexDump } from './hex-map';

/** Characters rendered per direction turn at most (the rest is counted, so a 1 MB stream stays responsive). */
const SHOW_BYTES_MAX = 64 * 1024;

export type FollowMode = 'ascii' | 'hex';

/** A chunk as ASCII: printable bytes, newlines kept, anything else as `.` (Wireshark's ASCII view). */
export function asciiText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b === 0x0a || b === 0x09 ? String.fromCharCode(b) : b === 0x0d ? '' : asciiByte(b);
  return s;
}

export function FollowStream({ tcp, stream, onClose }: { tcp: TcpConversations; stream: number; onClose(): void }) {
  const [mode, setMode] = useState<FollowMode>('ascii');
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    close.current?.focus();
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', esc);
    return () => window.removeEventListener('keydown', esc);
  }, [onClose]);
  const info = tcp.stream(stream);
  const follow = tcp.followStream(stream);
  if (!info || !follow) return null;
  const offsets = [0, 0];
  const turns = follow.chunks.map((c: FollowChunk, k) => {
    const shown = c.bytes.length > SHOW_BYTES_MAX ? c.bytes.subarray(0, SHOW_BYTES_MAX) : c.bytes;
    const text = mode === 'ascii' ? asciiText(shown) : formatHexDump(shown, offsets[c.dir]!, 8);
    offsets[c.dir]! += c.bytes.length;
    const more = c.bytes.length - shown.length;
    return (
      <pre key={k} className={`run-follow-turn dir${c.dir}`} data-dir={c.dir}>
        {text}
        {more > 0 ? <span className="run-follow-more">{`\n… ${more} more bytes of this turn not shown`}</span> : null}
      </pre>
    );
  });
  return (
    <div className="run-dialog-backdrop">
      <div className="run-dialog run-follow" role="dialog" aria-modal="true" aria-labelledby="run-follow-title" data-testid="follow-stream">
        <h3 id="run-follow-title">Follow TCP Stream (tcp.stream eq {stream})</h3>
        <div className="run-follow-ends">
          <span className="dir0">{info.ends[0]} → {info.ends[1]}: {info.bytes[0]} bytes</span>
          <span className="dir1">{info.ends[1]} → {info.ends[0]}: {info.bytes[1]} bytes</span>
        </div>
        <div className="run-follow-body" data-testid="follow-body">
          {turns.length > 0 ? turns : <div className="run-empty">No payload in this conversation yet.</div>}
          {follow.cut ? <div className="run-follow-more">Only the first 1 MiB of the conversation is kept.</div> : null}
        </div>
        <div className="run-dialog-buttons">
          <label className="run-follow-mode">
            Show as{' '}
            <select value={mode} onChange={(e) => setMode(e.target.value as FollowMode)} data-testid="follow-mode">
              <option value="ascii">ASCII</option>
              <option value="hex">Hex Dump</option>
            </select>
          </label>
          <button ref={close} className="primary" onClick={onClose} data-testid="follow-close">Close</button>
        </div>
      </div>
    </div>
  );
}
