// Keeps a window usable when its page dies or hangs: `render-process-gone` and
// `unresponsive` are logged and the user is offered a reload. The reloaded page finds its
// autosaved work in the recovery store and offers to restore it. No document logic here.

export interface WatchedWindow {
  on(event: 'unresponsive' | 'responsive', listener: () => void): unknown;
  isDestroyed(): boolean;
  webContents: {
    on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): unknown;
    reload(): void;
    forcefullyCrashRenderer(): void;
  };
}

export interface WatchDeps {
  /** Native message box: returns the index of the chosen button. */
  ask(message: string, detail: string, buttons: string[]): Promise<number>;
  log(line: string): void;
}

export function watchRenderer(win: WatchedWindow, deps: WatchDeps): void {
  let reloading = false;
  let asking = false;
  const reload = () => {
    reloading = false;
    if (!win.isDestroyed()) win.webContents.reload();
  };
  win.webContents.on('render-process-gone', (_event, details) => {
    deps.log(`renderer gone: ${details.reason} (exit code ${details.exitCode})`);
    if (win.isDestroyed() || details.reason === 'clean-exit') return;
    // We killed a hung page ourselves: reload without asking twice.
    if (reloading) return reload();
    if (asking) return;
    asking = true;
    void deps
      .ask('The VirtNet window stopped working.', `Reason: ${details.reason}. Your work is autosaved; reloading offers to restore it.`, ['Reload', 'Leave it'])
      .then((choice) => choice === 0 && reload())
      .finally(() => (asking = false));
  });
  win.on('unresponsive', () => {
    deps.log('renderer unresponsive');
    if (asking || win.isDestroyed()) return;
    asking = true;
    void deps
      .ask('The VirtNet window is not responding.', 'You can wait for it, or reload it (autosaved work is offered back after the reload).', ['Wait', 'Reload'])
      .then((choice) => {
        if (choice !== 1 || win.isDestroyed()) return;
        reloading = true;
        win.webContents.forcefullyCrashRenderer();
      })
      .finally(() => (asking = false));
  });
  win.on('responsive', () => deps.log('renderer responsive again'));
}
