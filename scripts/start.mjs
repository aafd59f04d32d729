// `npm start`: runs the desktop app with Electron when its binary is installed, otherwise
// builds the renderer and serves browser mode with Vite on 127.0.0.1, printing
// `VirtNet running at http://127.0.0.1:PORT/` and staying in the foreground.
// Flags: --browser (skip Electron), --dev (Vite dev server with HMR instead of a build),
// --port N (default 5173; 0 = any free port), --reuse-build (skip the build when out/web
// is newer than every source file; the e2e harness and bench use it).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { build, createServer, preview } from 'vite';
import { rendererViteConfig, repoRoot } from '../src/renderer/vite-config.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const HOST = '127.0.0.1';
const outDir = join(repoRoot, 'out/web');

function electronBinary() {
  // Never `import 'electron'`: its index downloads the binary when missing.
  const pathFile = join(repoRoot, 'node_modules/electron/path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(repoRoot, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
}

function portFree(port) {
  return new Promise((resolve) => {
    const srv = createNetServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, HOST, () => srv.close(() => resolve(true)));
  });
}

function anyFreePort() {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function choosePort() {
  const wanted = Number(option('--port', process.env.PORT ?? '5173'));
  if (wanted > 0 && (await portFree(wanted))) return wanted;
  return anyFreePort();
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function buildIsFresh() {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return false;
  // assets/labs: the shipped labs are bundled into the renderer (src/renderer/lab/shipped-labs.ts).
  const sources = Math.max(newestMtime(join(repoRoot, 'src')), newestMtime(join(repoRoot, 'assets/labs')), statSync(join(repoRoot, 'package-lock.json')).mtimeMs);
  return statSync(index).mtimeMs > sources;
}

/** Several test processes may start at once: one builds, the others wait and reuse. */
async function withBuildLock(fn) {
  const lock = join(repoRoot, 'out/.web-build.lock');
  mkdirSync(join(repoRoot, 'out'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function startBrowser() {
  const port = await choosePort();
  const base = rendererViteConfig({ outDir });
  let server;
  if (flag('--dev')) {
    server = await createServer({ ...base, configFile: false, server: { ...base.server, host: HOST, port, strictPort: true } });
    await server.listen();
  } else {
    await withBuildLock(async () => {
      if (!(flag('--reuse-build') && buildIsFresh())) await build({ ...base, configFile: false, logLevel: 'warn' });
    });
    server = await preview({ ...base, configFile: false, preview: { host: HOST, port, strictPort: true }, logLevel: 'warn' });
  }
  console.log(`VirtNet running at http://${HOST}:${port}/`);
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The built app (strict CSP) by default; `--dev` runs electron-vite's dev server with hot reload. */
function startElectron() {
  const cli = join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js');
  const child = spawn(process.execPath, [existsSync(cli) ? cli : join(repoRoot, 'node_modules/.bin/electron-vite'), flag('--dev') ? 'dev' : 'preview'], { stdio: 'inherit', cwd: repoRoot });
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** A window can open: always on macOS and Windows; on Linux when an X or Wayland display is set. */
function displayAvailable() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/**
 * Electron 45+ downloads its binary on first use, and its downloader needs Node 22.12+.
 * Try that once (bounded in time, output kept short); on failure fall back to browser mode.
 */
function tryDownloadElectron() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 12)) {
    console.log(`Electron's downloader needs Node 22.12+ (this is Node ${process.versions.node}).`);
    return false;
  }
  console.log('Downloading the Electron binary (first start only)…');
  const r = spawnSync(process.execPath, [join(repoRoot, 'node_modules/electron/install.js')], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000, encoding: 'utf8' });
  if (r.status !== 0) console.log(`Electron could not be downloaded: ${(r.stderr || r.error?.message || 'unknown error').split('\n').find((l) => l.trim()) ?? ''}`);
  return electronBinary() !== null;
}

const wantElectron = !flag('--browser') && displayAvailable();
if (wantElectron && (electronBinary() || tryDownloadElectron())) startElectron();
else {
  if (!flag('--browser')) console.log('Electron is not available here (binary or display missing): starting browser mode.');
  await startBrowser();
}
