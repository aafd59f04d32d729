// Startup configuration (IMUNES custom configuration): each node's shell commands run at
// Start, in order, through the node's own shell, from the document's `startup` list or an
// enabled IMUNES custom config whose command is a shell (3.x `custom_configs`, 2.x
// `custom-configs` blocks, both kept in `extra` by the importer). A command that fails is a
// located warning (`router1: startup:3: …`); nothing here can stop the network starting.

import { openShell } from '../shell';
import { tokenize } from '../shell/tokenize';
import type { NodeDoc, TopologyDoc } from '../topology/document';
import { RUNNABLE_SERVICES } from '../topology/imunes/import-warnings';
import type { World } from './world';

/** Bounds (DESIGN decision 10): lines per node and characters per line. */
export const STARTUP_LINES_MAX = 1000;
export const STARTUP_LINE_CHARS_MAX = 4096;

const SHELLS = new Set(['/bin/sh', 'sh', '/bin/bash', 'bash', '/bin/csh', '/bin/tcsh', '']);

export interface StartupScript {
  node: string;
  /** Where the lines come from, for warnings: `startup` or `custom config ID`. */
  source: string;
  lines: string[];
}

function obj(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** The enabled IMUNES custom config of a node, if any: [id, command, text]. */
function imunesCustom(n: NodeDoc): [string, string, string] | null {
  const ex = n.extra;
  if (ex === undefined || String(ex.custom_enabled) !== 'true') return null;
  const all = obj(obj(ex.custom_configs)?.NODE_CONFIG);
  if (all === null) return null;
  const sel = typeof ex.custom_selected === 'string' ? ex.custom_selected.replace(/^NODE_CONFIG\s+/, '') : Object.keys(all)[0];
  const c = obj(all[sel ?? '']);
  if (c === null) return null;
  return [sel!, String(c.custom_command ?? '/bin/sh').trim(), String(c.custom_config ?? '')];
}

/** IMUNES `services` VirtNet runs (dhcpd, dhcrelay, dhclient on every Ethernet interface), as service(8) lines. */
function imunesServices(n: NodeDoc): StartupScript | null {
  const list = n.extra?.services;
  if (!Array.isArray(list)) return null;
  const lines: string[] = [];
  for (const x of list.map(String).filter((x) => RUNNABLE_SERVICES.has(x))) {
    if (x === 'dhclient') for (const i of n.interfaces) if (i.type !== 'lo') lines.push(`service dhclient start ${i.name}`);
    if (x !== 'dhclient') lines.push(`service ${x.replace(/^isc-/, '')} start`);
  }
  return lines.length === 0 ? null : { node: n.name, source: 'services', lines };
}

/** What each node runs at Start, and the configs VirtNet cannot run (as warnings). */
export function startupScripts(doc: TopologyDoc): { scripts: StartupScript[]; warnings: string[] } {
  const scripts: StartupScript[] = [];
  const warnings: string[] = [];
  for (const n of doc.nodes) {
    if (Array.isArray(n.startup) && n.startup.length > 0) scripts.push({ node: n.name, source: 'startup', lines: n.startup.map(String) });
    const c = imunesCustom(n);
    const services = imunesServices(n);
    if (c === null) {
      if (services !== null) scripts.push(services);
      continue;
    }
    const [id, command, text] = c;
    // A router's FRR configuration (frrboot.sh, or a shell feeding vtysh) is its frr.conf: the daemons read it.
    if (n.frrConf !== undefined && n.frrConf === text) continue;
    if (!SHELLS.has(command)) {
      warnings.push(`${n.name}: custom config ${id}: runs ${command}, which VirtNet cannot run; its ${text.split('\n').length} lines are not applied`);
      continue;
    }
    scripts.push({ node: n.name, source: `custom config ${id}`, lines: text.split('\n') });
    // IMUNES starts a node's services after its custom configuration has written their files.
    if (services !== null) scripts.push(services);
  }
  return { scripts, warnings };
}

/** The here-document a line opens (its last one), or null. */
export function heredocOf(line: string): { delim: string; strip: boolean } | null {
  const t = tokenize(line);
  if (!t.ok || t.redirects === undefined) return null;
  let h: { delim: string; strip: boolean } | null = null;
  for (const r of t.redirects) if (r.heredoc) h = r.heredoc;
  return h;
}

/** Runs one node's script line after line (each waits for the previous in virtual time). */
function runScript(world: World, s: StartupScript, warn: (w: string) => void): void {
  const node = world.nodeByName(s.node);
  if (node === undefined || node.stack === null) return void warn(`${s.node}: ${s.source}: this node has no shell to run it`);
  let out = '';
  // rc runs it without a terminal: what it starts in the background (`CMD &`, daemons) goes on after it.
  const session = openShell(world, node.id, { write: (t) => (out += t), detached: true });
  /** A failed line: located config errors (`/usr/local/etc/dhcpd.conf:12: …`) as they are, else the line and its first output line. */
  const reportFailure = (k: number, line: string, code: number): void => {
    const located = out.split('\n').filter((l) => /^\/\S+:\d+: /.test(l));
    // rc's `Starting NAME.` comes before the reason a service did not start: report the reason.
    const why = out.trim().split('\n').find((l) => !/^Starting \S+\.$/.test(l));
    if (located.length > 0) for (const l of located) warn(`${s.node}: ${l}`);
    else warn(`${s.node}: ${s.source}:${k + 1}: ${line.trim()}: ${why || `exit ${code}`}`);
  };
  const lines = s.lines.slice(0, STARTUP_LINES_MAX);
  if (s.lines.length > STARTUP_LINES_MAX) warn(`${s.node}: ${s.source}: only the first ${STARTUP_LINES_MAX} lines run`);
  /** The here-document being read (its lines go to the shell as they are, blank or `#` ones too). */
  let heredoc: { delim: string; strip: boolean } | null = null;
  const next = (k: number): void => {
    while (heredoc === null && k < lines.length && (lines[k].trim() === '' || lines[k].trim().startsWith('#'))) k++;
    if (k >= lines.length) return void session.close();
    const line = lines[k];
    if (heredoc !== null) {
      if ((heredoc.strip ? line.replace(/^\t+/, '') : line) === heredoc.delim) heredoc = null;
      return void session.exec(line, (code) => {
        if (code !== 0) reportFailure(k, line, code);
        next(k + 1);
      });
    }
    heredoc = heredocOf(line);
    if (line.length > STARTUP_LINE_CHARS_MAX) {
      warn(`${s.node}: ${s.source}:${k + 1}: line longer than ${STARTUP_LINE_CHARS_MAX} characters, skipped`);
      return next(k + 1);
    }
    out = '';
    try {
      session.exec(line, (code) => {
        if (code !== 0) reportFailure(k, line, code);
        next(k + 1);
      });
    } catch (e) {
      warn(`${s.node}: ${s.source}:${k + 1}: ${e instanceof Error ? e.message : String(e)}`);
      next(k + 1);
    }
  };
  next(0);
}

/** Starts every node's startup configuration; warnings go to `world.warnings` (and are returned as they stand now). */
export function runStartup(world: World, doc: TopologyDoc): string[] {
  const { scripts, warnings } = startupScripts(doc);
  const warn = (w: string): void => void world.warnings.push(w);
  for (const w of warnings) warn(w);
  for (const s of scripts) {
    try {
      runScript(world, s, warn);
    } catch (e) {
      warn(`${s.node}: ${s.source}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return world.warnings.slice();
}
