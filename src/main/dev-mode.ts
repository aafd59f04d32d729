// When the window may load the Vite dev server instead of the built page: only in an
// unpackaged app started by `electron-vite dev` (which sets both variables below), and only
// from a loopback http address. Anything else loads the built, strictly-CSP'd renderer.

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export interface DevModeInput {
  isPackaged: boolean;
  env: Readonly<Record<string, string | undefined>>;
}

/** The dev server URL to load, or null for the built renderer. */
export function devRendererUrl({ isPackaged, env }: DevModeInput): string | null {
  if (isPackaged) return null;
  const raw = env['ELECTRON_RENDERER_URL'];
  // electron-vite sets this only for `electron-vite dev`; `preview` and builds set 'production'.
  if (!raw || env['NODE_ENV_ELECTRON_VITE'] !== 'development') return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  return u.protocol === 'http:' && LOOPBACK.has(u.hostname) ? u.href : null;
}
