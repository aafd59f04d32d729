// Which Chromium the e2e harness drives. In order: $CHROMIUM_PATH; a system Chromium or
// Chrome (PATH, then the usual install paths); the headless Chromium shipped inside the npm
// package @sparticuz/chromium (linux-x64), unpacked once from node_modules into the temp
// folder, with no network. $VIRTNET_E2E_BROWSER=npm|system keeps only that source (CI uses
// `npm` to prove the fresh-machine path). Never launches anything itself: see app.ts.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export type BrowserSource = 'env' | 'system' | 'npm';

export interface BrowserChoice {
  source: BrowserSource;
  executablePath: string;
  /** Chromium flags for this binary. */
  args: string[];
  /** Extra environment for the browser process (fontconfig for the npm build). */
  env: Record<string, string>;
  /** For people: `system /usr/bin/chromium`, `npm @sparticuz/chromium 147.0.0 (…)`. */
  label: string;
}

/** Flags every Chromium gets: headless, root-safe, quiet, no background traffic. */
export const COMMON_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'];
const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** System browsers in lookup order: each name on PATH, then the usual install paths; no duplicates. */
export function systemBrowsers(env: NodeJS.ProcessEnv = process.env, isExecutable: (p: string) => boolean = executable): string[] {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const found: string[] = [];
  for (const name of SYSTEM_NAMES) for (const dir of dirs) found.push(join(dir, name));
  found.push(...SYSTEM_PATHS);
  return [...new Set(found)].filter(isExecutable);
}

/** The npm-shipped build exists for linux-x64 only. */
export function npmBrowserSupported(platform: string = process.platform, arch: string = process.arch): boolean {
  return platform === 'linux' && arch === 'x64';
}

/**
 * Every browser worth trying, best first. Throws a message saying what to install when
 * there is none. `unpackNpm` is called lazily (unpacking costs a few seconds once).
 */
export function browserCandidates(
  env: NodeJS.ProcessEnv = process.env,
  deps: { systemBrowsers?: () => string[]; npmSupported?: boolean } = {},
): { source: BrowserSource; path?: string }[] {
  const only = (env.VIRTNET_E2E_BROWSER ?? '').trim();
  if (only !== '' && only !== 'npm' && only !== 'system') {
    throw new Error(`VIRTNET_E2E_BROWSER=${only}: expected "npm" or "system" (or unset for the automatic order)`);
  }
  const out: { source: BrowserSource; path?: string }[] = [];
  if (only === '' && env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist`);
    return [{ source: 'env', path: env.CHROMIUM_PATH }];
  }
  if (only !== 'npm') for (const path of (deps.systemBrowsers ?? (() => systemBrowsers(env)))()) out.push({ source: 'system', path });
  if (only !== 'system' && (deps.npmSupported ?? npmBrowserSupported())) out.push({ source: 'npm' });
  if (out.length === 0) {
    throw new Error(
      only === 'system'
        ? 'VIRTNET_E2E_BROWSER=system but no Chromium or Chrome was found on PATH or in the usual places'
        : only === 'npm'
          ? `VIRTNET_E2E_BROWSER=npm but @sparticuz/chromium ships only for linux-x64 (this is ${process.platform}-${process.arch})`
          : 'no browser for the e2e tests: install Chromium or Chrome, or set CHROMIUM_PATH to one',
    );
  }
  return out;
}

/** Describes a system or $CHROMIUM_PATH browser. */
export function pathChoice(source: 'env' | 'system', path: string): BrowserChoice {
  return { source, executablePath: path, args: ['--headless', ...COMMON_ARGS], env: {}, label: `${source === 'env' ? 'CHROMIUM_PATH' : 'system'} ${path}` };
}

/**
 * Unpacks @sparticuz/chromium's brotli'd binary, fonts and SwiftShader into
 * `<tmp>/virtnet-chromium-<version>/` (once; later calls reuse it) and describes it.
 * The package unpacks into os.tmpdir(), so a child process does it with TMPDIR set to a
 * private staging folder, renamed into place when complete: concurrent test processes never
 * see a half-written binary, and a `/tmp/chromium` left by another project is never used.
 */
export function npmChoice(repoRoot: string, tmp: string = tmpdir()): BrowserChoice {
  const pkgDir = join(repoRoot, 'node_modules/@sparticuz/chromium');
  const pkgFile = join(pkgDir, 'package.json');
  if (!existsSync(pkgFile)) throw new Error('@sparticuz/chromium is not installed (run npm install; it is a devDependency)');
  const version = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version;
  const dir = join(tmp, `virtnet-chromium-${version}`);
  const done = join(dir, '.complete');
  if (!existsSync(done)) {
    const staging = mkdtempSync(join(tmp, `virtnet-chromium-${version}.partial-`));
    try {
      const script = "const { default: c } = await import('@sparticuz/chromium'); process.stdout.write(await c.executablePath());";
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: repoRoot,
        env: { ...process.env, TMPDIR: staging, TMP: staging, TEMP: staging },
        encoding: 'utf8',
        timeout: 300_000,
      });
      if (r.status !== 0 || r.stdout.trim() !== join(staging, 'chromium')) {
        throw new Error(`unpacking @sparticuz/chromium failed (exit ${r.status}): ${r.error?.message ?? ''}${r.stderr}${r.stdout}`);
      }
      // Its own fonts.conf names /tmp/fonts; ours names where the fonts really are, plus the system's.
      writeFileSync(
        join(staging, 'fonts.conf'),
        `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n  <dir>${join(dir, 'fonts/fonts')}</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`,
      );
      writeFileSync(join(staging, '.complete'), `${version}\n`);
      try {
        renameSync(staging, dir);
      } catch (err) {
        if (!existsSync(done)) throw err; // another process won the race: use its copy
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return {
    source: 'npm',
    executablePath: join(dir, 'chromium'),
    args: ['--headless', ...COMMON_ARGS],
    env: { FONTCONFIG_FILE: join(dir, 'fonts.conf') },
    label: `npm @sparticuz/chromium ${version} (${join(dir, 'chromium')})`,
  };
}
