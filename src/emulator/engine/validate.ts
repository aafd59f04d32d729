// Checks that a value crossing the port is a well-formed EngineRequest before the engine
// acts on it (STYLE: validate anything the renderer sends). Shape only: whether a node,
// link or session exists is the engine's business. Throws EngineError('bad-request').

import type { EngineRequest } from './protocol';
import { ERROR_CODE, EngineError } from './errors';
import type { LinkParams } from '../topology/document';
import { validateLinkParams } from '../topology/validate-fields';
import * as v from 'valibot';
import { labSchema, labWorkSchema } from '../topology/lab-schema';

function bad(message: string): never {
  throw new EngineError(ERROR_CODE.BAD_REQUEST, message);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(r: Record<string, unknown>, key: string): void {
  if (typeof r[key] !== 'string' || r[key] === '') bad(`${r.type}: "${key}" must be a non-empty string`);
}

function int(r: Record<string, unknown>, key: string, optional = false, min = 0): void {
  const v = r[key];
  if (optional && v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) bad(`${r.type}: "${key}" must be an integer ≥ ${min}`);
}

function speed(r: Record<string, unknown>, optional: boolean): void {
  const v = r.speed;
  if (optional && v === undefined) return;
  if (v !== 'max' && (typeof v !== 'number' || !Number.isFinite(v) || v <= 0)) bad(`${r.type}: "speed" must be 'max' or a positive number`);
}

function linkParams(r: Record<string, unknown>): void {
  const p = r.params;
  if (!isObj(p)) bad('link/set-params: "params" must be an object');
  // The document's own rules (the editor and the file readers use the same function).
  const why = validateLinkParams(p as Partial<LinkParams>);
  if (why) bad(`link/set-params: ${why}`);
  if (r.direction !== undefined && r.direction !== 'ab' && r.direction !== 'ba' && r.direction !== 'both') bad('link/set-params: "direction" must be ab, ba or both');
}

function topology(r: Record<string, unknown>, key = 'doc'): void {
  const d = r[key];
  if (!isObj(d) || !Array.isArray(d.nodes) || !Array.isArray(d.links)) bad(`${r.type}: "${key}" must be a topology document with nodes and links`);
}

/** A lab's shape for grading: the document schema's own rules (lab-schema.ts). */
function labGrade(r: Record<string, unknown>): void {
  topology(r, 'start');
  topology(r, 'work');
  const lab = v.safeParse(labSchema, r.lab);
  if (!lab.success) bad(`lab/grade: "lab": ${lab.issues[0].message}`);
  const cmds = v.safeParse(labWorkSchema.entries.commands, r.commands ?? []);
  if (!cmds.success) bad(`lab/grade: "commands": ${cmds.issues[0].message}`);
}

export function validateRequest(value: unknown): EngineRequest {
  if (!isObj(value) || typeof value.type !== 'string') bad('a request must be an object with a "type"');
  const r = value;
  switch (r.type) {
    case 'net/start':
      topology(r);
      int(r, 'seed', true);
      break;
    case 'lab/grade':
      labGrade(r);
      break;
    case 'net/stop':
    case 'net/files':
    case 'sim/pause':
    case 'sim/scenario':
    case 'inspect/counters':
      break;
    case 'sim/play':
      speed(r, true);
      break;
    case 'sim/set-speed':
      speed(r, false);
      break;
    case 'sim/rewind':
      int(r, 'back', false, 1);
      if (r.to !== undefined && r.to !== 'event' && r.to !== 'traffic') bad('sim/rewind: "to" must be event or traffic');
      break;
    case 'sim/explain':
      if (typeof r.on !== 'boolean') bad('sim/explain: "on" must be true or false');
      break;
    case 'sim/step':
      int(r, 'count', true, 1);
      if (r.to !== undefined && r.to !== 'event' && r.to !== 'traffic') bad('sim/step: "to" must be event or traffic');
      break;
    case 'sim/run-until':
      int(r, 'untilNs');
      break;
    case 'link/set-params':
      str(r, 'link');
      linkParams(r);
      break;
    case 'link/set-up':
      str(r, 'link');
      if (typeof r.up !== 'boolean') bad('link/set-up: "up" must be a boolean');
      break;
    case 'shell/open':
    case 'inspect/node':
      str(r, 'node');
      break;
    case 'shell/exec':
      int(r, 'session');
      if (typeof r.line !== 'string') bad('shell/exec: "line" must be a string');
      break;
    case 'shell/input':
      int(r, 'session');
      if (typeof r.text !== 'string') bad('shell/input: "text" must be a string');
      break;
    case 'shell/interrupt':
    case 'shell/suspend':
    case 'shell/close':
      int(r, 'session');
      break;
    case 'shell/complete':
      int(r, 'session');
      if (typeof r.line !== 'string') bad('shell/complete: "line" must be a string');
      int(r, 'cursor');
      break;
    case 'tcp/connections':
      str(r, 'node');
      break;
    case 'tcp/watch':
      str(r, 'node');
      str(r, 'conn');
      if (typeof r.on !== 'boolean') bad('tcp/watch: "on" must be a boolean');
      break;
    case 'tcp/samples':
      str(r, 'node');
      str(r, 'conn');
      int(r, 'since');
      break;
    case 'capture/start': {
      const t = r.target;
      if (!isObj(t)) bad('capture/start: "target" must be an object');
      if (t.kind === 'iface') (str(t, 'node'), str(t, 'iface'));
      else if (t.kind === 'link') str(t, 'link');
      else bad('capture/start: target.kind must be iface or link');
      break;
    }
    case 'capture/stop':
      int(r, 'capture');
      break;
    case 'capture/export':
      int(r, 'capture');
      if (r.format !== 'pcap' && r.format !== 'pcapng') bad('capture/export: "format" must be pcap or pcapng');
      break;
    default:
      bad(`unknown request type "${String(r.type)}"`);
  }
  return r as unknown as EngineRequest;
}
