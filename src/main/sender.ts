// Who may talk to main over IPC: only the top frame of the app's own page, i.e. the built
// renderer's index.html under file://, or (development only) the dev server's origin.
// Every handler in ipc.ts asks `isTrustedSender` first. No Electron imports (testable).
import { pathToFileURL } from 'node:url';

export type AppOrigin = { kind: 'file'; indexUrl: string } | { kind: 'dev'; origin: string };

/** The frame fields we read (Electron's WebFrameMain). */
export interface SenderFrame {
  url: string;
  parent?: unknown;
}

export function appOrigin(indexHtmlPath: string, devUrl: string | null): AppOrigin {
  return devUrl ? { kind: 'dev', origin: new URL(devUrl).origin } : { kind: 'file', indexUrl: pathToFileURL(indexHtmlPath).href };
}

export function isTrustedUrl(url: string, trusted: AppOrigin): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (trusted.kind === 'dev') return u.origin === trusted.origin;
  // file:// has no real origin: the page itself is the identity (query and hash ignored).
  const want = new URL(trusted.indexUrl);
  return u.protocol === 'file:' && u.host === want.host && u.pathname === want.pathname;
}

/** True for the top frame of our own page; false for iframes, other pages and gone frames. */
export function isTrustedSender(frame: SenderFrame | null | undefined, trusted: AppOrigin): boolean {
  if (!frame || typeof frame.url !== 'string') return false;
  if (frame.parent !== null && frame.parent !== undefined) return false;
  return isTrustedUrl(frame.url, trusted);
}
