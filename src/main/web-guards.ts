// Locks every web contents down beyond its web preferences: no permission is granted (camera,
// notifications, clipboard-read …), no new windows, no navigation away from the app's page,
// no <webview>. Links that should open outside go through external-links.ts.
import type { Session, WebContents } from 'electron';
import { isTrustedUrl, type AppOrigin } from './sender';

/** Deny every permission request and check: the app needs none. */
export function denyAllPermissions(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>, log: (line: string) => void = console.warn): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`permission refused: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

/**
 * New windows are refused (an allowed https link is handed to `openExternal`, which asks the
 * user first); navigation may only stay on the app's own page; webviews never attach.
 */
export function guardWebContents(contents: GuardedContents, trusted: AppOrigin, openExternal: (url: string) => void, log: (line: string) => void = console.warn): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//i.test(url)) openExternal(url);
    else log(`new window refused: ${url.slice(0, 200)}`);
    return { action: 'deny' };
  });
  const stayHome = (event: { preventDefault(): void }, url: string) => {
    if (isTrustedUrl(url, trusted)) return;
    event.preventDefault();
    log(`navigation refused: ${url.slice(0, 200)}`);
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('webview refused');
  });
}
