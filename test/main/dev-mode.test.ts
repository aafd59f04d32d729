// The dev server URL is honoured only in an unpackaged app started by `electron-vite dev`,
// and only on a loopback http address; anything else loads the built page.
import { describe, expect, it } from 'vitest';
import { devRendererUrl } from '../../src/main/dev-mode';

const dev = { ELECTRON_RENDERER_URL: 'http://localhost:5173', NODE_ENV_ELECTRON_VITE: 'development' };

describe('dev mode', () => {
  it('loads the dev server only when not packaged and explicitly in development', () => {
    expect(devRendererUrl({ isPackaged: false, env: dev })).toBe('http://localhost:5173/');
    expect(devRendererUrl({ isPackaged: true, env: dev })).toBeNull();
    expect(devRendererUrl({ isPackaged: false, env: { ELECTRON_RENDERER_URL: dev.ELECTRON_RENDERER_URL } })).toBeNull();
    expect(devRendererUrl({ isPackaged: false, env: { ...dev, NODE_ENV_ELECTRON_VITE: 'production' } })).toBeNull();
    expect(devRendererUrl({ isPackaged: false, env: {} })).toBeNull();
  });

  it('refuses remote or non-http addresses even in development', () => {
    for (const url of ['https://evil.example/', 'http://evil.example:5173/', 'file:///tmp/x.html', 'http://10.0.0.1:5173/', 'javascript:1', 'garbage']) {
      expect(devRendererUrl({ isPackaged: false, env: { ...dev, ELECTRON_RENDERER_URL: url } }), url).toBeNull();
    }
    expect(devRendererUrl({ isPackaged: false, env: { ...dev, ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' } })).toBe('http://127.0.0.1:5173/');
  });
});
