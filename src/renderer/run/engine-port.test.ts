// In Electron the preload exposes `window.virtnet.engine`; the default port must use it
// (the engine runs in main's worker thread) and closing must only detach its listeners.
import { afterEach, describe, expect, it } from 'vitest';
import type { ReplyMessage, RequestMessage } from '../../emulator/engine/protocol';
import { createDefaultPort } from './engine-client';

describe('createDefaultPort in Electron', () => {
  afterEach(() => {
    delete (globalThis as { virtnet?: unknown }).virtnet;
  });

  it('uses the preload bridge and detaches on close', () => {
    const posted: RequestMessage[] = [];
    const listeners = new Set<(m: ReplyMessage) => void>();
    (globalThis as { virtnet?: unknown }).virtnet = {
      engine: {
        post: (m: RequestMessage) => posted.push(m),
        onMessage: (l: (m: ReplyMessage) => void) => {
          listeners.add(l);
          return () => listeners.delete(l);
        },
      },
    };
    const port = createDefaultPort();
    const got: ReplyMessage[] = [];
    port.onMessage((m) => got.push(m));
    port.post({ id: 1, request: { type: 'net/stop' } });
    expect(posted).toEqual([{ id: 1, request: { type: 'net/stop' } }]);
    for (const l of listeners) l({ kind: 'reply', id: 1, ok: true, result: null });
    expect(got).toHaveLength(1);
    port.close();
    expect(listeners.size).toBe(0);
  });
});
