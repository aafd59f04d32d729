// Startup configuration (IMUNES custom configuration): each node's shell commands run at
// Start, in order, through the node's own shell, from the document's `startup` list or an
// enabled IMUNES custom config whose command is a shell (3.x `custom_configs`, 2.x
// `custom-configs` blocks, both kept in `extra` by the importer). A command that fails is a
// located warning (`router1: startup:3: …`); nothing here can stop the network starting.

import { openShell } from '../shell';
import type { NodeDoc, TopologyDoc } from '../topology/document';
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

/** What each node runs at Start, and the configs VirtNet cannot run (as warnings). */
export function startupScripts(doc: TopologyDoc): { scripts: StartupScript[]; warnings: string[] } {
  const scripts: StartupScript[] = [];
  const warnings: string[] = [];
  for (const n of doc.nodes) {
    if (Array.isArray(n.startup) && n.startup.length > 0) scripts.push({ node: n.name, source: 'startup', lines: n.startup.map(String) });
    const c = imunesCustom(n);
    if (c === null) continue;
    const [id, command, text] = c;
    // A router's FRR configuration (frrboot.sh, or a shell feeding vtysh) is its frr.conf: the daemons read it.
    if (n.frrConf !== undefined && n.frrConf === text) continue;
    if (!SHELLS.has(command)) {
      warnings.push(`${n.name}: custom config ${id}: runs ${command}, which VirtNet cannot run; its ${text.split('\n').length} lines are not applied`);
      continue;
    }
    scripts.push({ node: n.name, source: `custom config ${id}`, lines: text.split('\n') });
  }
  return { scripts, warnings };
}

/** Runs one node's script line after line (each waits for the previous in virtual time). */
function runScript(world: World, s: StartupScript, warn: (w: string) => void): void {
  const node = world.nodeByName(s.node);
  if (node === undefined || node.stack === null) return void warn(`${s.node}: ${s.source}: this node has no shell to run it`);
  let out = '';
  const session = openShell(world, node.id, { write: (t) => (out += t) });
  const lines = s.lines.slice(0, STARTUP_LINES_MAX);
  if (s.lines.length > STARTUP_LINES_MAX) warn(`${s.node}: ${s.source}: only the first ${STARTUP_LINES_MAX} lines run`);
  const next = (k: number): void => {
    while (k < lines.length && (lines[k].trim() === '' || lines[k].trim().startsWith('#'))) k++;
    if (k >= lines.length) return void session.close();
    const line = lines[k];
    if (line.length > STARTUP_LINE_CHARS_MAX) {
      warn(`${s.node}: ${s.source}:${k + 1}: line longer than ${STARTUP_LINE_CHARS_MAX} characters, skipped`);
      return next(k + 1);
    }
    out = '';
    try {
      session.exec(line, (code) => {
        if (code !== 0) warn(`${s.node}: ${s.source}:${k + 1}: ${line.trim()}: ${out.trim().split('\n')[0] || `exit ${code}`}`);
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
