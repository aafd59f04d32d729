// Main checks every engine request by its type before relaying it: well-formed requests
// pass unchanged, wrong or extra fields, unknown types and floods are refused with a reason.
import { describe, expect, it } from 'vitest';
import { checkEngineRequest, ENGINE_REQUEST_SCHEMAS, SHELL_LINE_MAX } from '../../src/main/engine-requests';
import { SAMPLES } from '../../src/emulator/topology/samples';
import type { EngineRequest } from '../../src/emulator/engine/protocol';

const good: EngineRequest[] = [
  { type: 'net/start', doc: SAMPLES['office-two-lans.vnet'](), seed: 7 },
  { type: 'net/stop' },
  { type: 'sim/play' },
  { type: 'sim/play', speed: 'max' },
  { type: 'sim/pause' },
  { type: 'sim/step', count: 3 },
  { type: 'sim/step', to: 'traffic' },
  { type: 'sim/set-speed', speed: 0.01 },
  { type: 'sim/run-until', untilNs: 5_000_000_000 },
  { type: 'sim/explain', on: true },
  { type: 'sim/rewind', back: 3 },
  { type: 'sim/scenario' },
  { type: 'link/set-params', link: 'l1', params: { delayUs: 10, lossPercent: 5 }, direction: 'ab' },
  { type: 'link/set-up', link: 'l1', up: false },
  { type: 'shell/open', node: 'n1' },
  { type: 'shell/exec', session: 1, line: 'ping -c 1 10.0.0.1' },
  { type: 'shell/complete', session: 1, line: 'pi', cursor: 2 },
  { type: 'shell/interrupt', session: 1 },
  { type: 'shell/suspend', session: 1 },
  { type: 'shell/input', session: 1, text: 'hello\n' },
  { type: 'shell/close', session: 1 },
  { type: 'inspect/node', node: 'n1' },
  { type: 'inspect/counters' },
  { type: 'net/files' },
  { type: 'tcp/connections', node: 'n1' },
  { type: 'tcp/watch', node: 'n1', conn: '10.0.0.20:49152-10.0.1.20:5201', on: true },
  { type: 'tcp/samples', node: 'n1', conn: '10.0.0.20:49152-10.0.1.20:5201', since: 0 },
  { type: 'capture/start', target: { kind: 'iface', node: 'n1', iface: 'eth0' } },
  { type: 'capture/start', target: { kind: 'link', link: 'l1' } },
  { type: 'capture/stop', capture: 2 },
  { type: 'capture/export', capture: 2, format: 'pcapng' },
  {
    type: 'lab/grade',
    lab: { title: 'Lab', instructions: '# Lab', checks: [{ id: 'p', title: 'ping', points: 1, predicate: { type: 'ping', from: 'pc1', to: 'pc2', expect: 'reachable' } }] },
    start: SAMPLES['office-two-lans.vnet'](),
    work: SAMPLES['office-two-lans.vnet'](),
    commands: [{ node: 'pc1', command: 'ifconfig' }],
  },
];

describe('engine request checks', () => {
  it('has a schema for every request type and passes each well-formed request unchanged', () => {
    expect(new Set(good.map((r) => r.type))).toEqual(new Set(Object.keys(ENGINE_REQUEST_SCHEMAS)));
    for (const request of good) expect(checkEngineRequest({ id: 9, request }), request.type).toEqual({ ok: true, message: { id: 9, request } });
    for (const make of Object.values(SAMPLES)) expect(checkEngineRequest({ id: 1, request: { type: 'net/start', doc: make() } }).ok).toBe(true);
  });

  it('refuses wrong arguments per request type, naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ type: 'net/start', doc: { nodes: 'x' } }, /doc/],
      [{ type: 'net/start', doc: { version: 1, nodes: [], links: [], annotations: [], canvases: [], evil: true } }, /doc/],
      [{ type: 'net/stop', extra: 1 }, /extra/],
      [{ type: 'sim/play', speed: -1 }, /speed/],
      [{ type: 'sim/set-speed', speed: Infinity }, /speed/],
      [{ type: 'sim/step', count: 0 }, /count/],
      [{ type: 'sim/run-until', untilNs: -5 }, /untilNs/],
      [{ type: 'sim/explain', on: 'yes' }, /on/],
      [{ type: 'link/set-params', link: 'l1', params: { lossPercent: 101 } }, /lossPercent/],
      [{ type: 'link/set-params', link: 'l1', params: { __proto__x: 1 } }, /params/],
      [{ type: 'link/set-up', link: 'l1', up: 'yes' }, /up/],
      [{ type: 'shell/open', node: '' }, /node/],
      [{ type: 'shell/open', node: 'n'.repeat(300) }, /node/],
      [{ type: 'shell/exec', session: 1.5, line: 'x' }, /session/],
      [{ type: 'shell/exec', session: 1, line: 'x'.repeat(SHELL_LINE_MAX + 1) }, /line/],
      [{ type: 'shell/input', session: 1, text: 5 }, /text/],
      [{ type: 'shell/suspend', session: '1' }, /session/],
      [{ type: 'shell/suspend', session: -1 }, /session/],
      [{ type: 'shell/suspend' }, /session/],
      [{ type: 'shell/suspend', session: 1, signal: 'KILL' }, /signal/],
      [{ type: 'capture/start', target: { kind: 'disk', path: '/etc' } }, /target|kind/],
      [{ type: 'capture/export', capture: 1, format: 'exe' }, /format/],
      [{ type: 'tcp/watch', node: 'n1', conn: 'c', on: 'yes' }, /on/],
      [{ type: 'tcp/samples', node: 'n1', conn: 'c', since: -1 }, /since/],
    ];
    for (const [request, field] of bad) {
      const r = checkEngineRequest({ id: 1, request });
      expect(r.ok, JSON.stringify(request).slice(0, 80)).toBe(false);
      if (!r.ok) expect(r.error).toMatch(field);
    }
  });

  it('refuses bad envelopes and unknown types', () => {
    expect(checkEngineRequest('garbage')).toMatchObject({ ok: false });
    expect(checkEngineRequest({ id: -1, request: { type: 'net/stop' } })).toMatchObject({ ok: false });
    expect(checkEngineRequest({ id: 1, request: { type: 'rm -rf /' } })).toMatchObject({ ok: false, error: expect.stringContaining('unknown request type') });
    expect(checkEngineRequest({ id: 1, request: { type: 'constructor' } })).toMatchObject({ ok: false });
    expect(checkEngineRequest({ id: 1, request: { type: 'toString' } })).toMatchObject({ ok: false });
  });
});
