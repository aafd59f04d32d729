// Main's check of every engine request the renderer posts (`engine/post`), before it reaches
// the worker: one valibot schema per request type of the engine protocol, strict (no extra
// fields) and bounded. The map is exhaustive: a new request type does not compile without a
// schema. The engine still validates on its side (defence in depth); this file only refuses.
import * as v from 'valibot';
import type { EngineRequest, EngineRequestType, RequestMessage } from '../emulator/engine/protocol';
import { labSchema, labWorkSchema } from '../emulator/topology/lab-schema';
import { vnetSchema } from '../emulator/topology/vnet-schema';

const NAME_MAX = 256;
/** Longer than any line a person types; the shell bounds lines itself, this only stops floods. */
export const SHELL_LINE_MAX = 64 * 1024;

const name = v.pipe(v.string(), v.minLength(1), v.maxLength(NAME_MAX));
const id = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const speed = v.union([v.literal('max'), v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(1000))]);
const num = v.pipe(v.number(), v.finite(), v.minValue(0));
const linkParams = v.strictObject({
  bandwidthBps: v.optional(v.pipe(num, v.integer())),
  delayUs: v.optional(num),
  jitterUs: v.optional(num),
  lossPercent: v.optional(v.pipe(num, v.maxValue(100))),
  berOneIn: v.optional(num),
  dupPercent: v.optional(v.pipe(num, v.maxValue(100))),
  queuePackets: v.optional(v.pipe(num, v.integer(), v.minValue(1))),
});

type Schema<T extends EngineRequestType> = v.GenericSchema<unknown, Extract<EngineRequest, { type: T }>>;

/** One schema per request type; `satisfies` makes the map exhaustive and each output exact. */
export const ENGINE_REQUEST_SCHEMAS = {
  // The document is checked against the .vnet schema (shape, numbers, strings); the engine
  // checks meaning (references, addresses) and answers with located errors.
  'net/start': v.strictObject({ type: v.literal('net/start'), doc: v.pipe(v.unknown(), v.check((d) => v.is(vnetSchema, d), 'doc is not a topology document')), seed: v.optional(id) }) as unknown as Schema<'net/start'>,
  'net/stop': v.strictObject({ type: v.literal('net/stop') }),
  'sim/play': v.strictObject({ type: v.literal('sim/play'), speed: v.optional(speed) }),
  'sim/pause': v.strictObject({ type: v.literal('sim/pause') }),
  'sim/step': v.strictObject({ type: v.literal('sim/step'), count: v.optional(v.pipe(id, v.minValue(1), v.maxValue(1_000_000))), to: v.optional(v.picklist(['event', 'traffic'])) }),
  'sim/set-speed': v.strictObject({ type: v.literal('sim/set-speed'), speed }),
  'sim/run-until': v.strictObject({ type: v.literal('sim/run-until'), untilNs: id }),
  'sim/explain': v.strictObject({ type: v.literal('sim/explain'), on: v.boolean() }),
  'sim/scenario': v.strictObject({ type: v.literal('sim/scenario') }),
  'sim/rewind': v.strictObject({ type: v.literal('sim/rewind'), back: v.pipe(id, v.minValue(1)), to: v.optional(v.picklist(['event', 'traffic'])) }),
  'link/set-params': v.strictObject({ type: v.literal('link/set-params'), link: name, params: linkParams, direction: v.optional(v.picklist(['ab', 'ba', 'both'])) }),
  'link/set-up': v.strictObject({ type: v.literal('link/set-up'), link: name, up: v.boolean() }),
  'shell/open': v.strictObject({ type: v.literal('shell/open'), node: name }),
  'shell/exec': v.strictObject({ type: v.literal('shell/exec'), session: id, line: v.pipe(v.string(), v.maxLength(SHELL_LINE_MAX)) }),
  'shell/complete': v.strictObject({ type: v.literal('shell/complete'), session: id, line: v.pipe(v.string(), v.maxLength(SHELL_LINE_MAX)), cursor: v.pipe(id, v.maxValue(SHELL_LINE_MAX)) }),
  'shell/interrupt': v.strictObject({ type: v.literal('shell/interrupt'), session: id }),
  'shell/suspend': v.strictObject({ type: v.literal('shell/suspend'), session: id }),
  'shell/input': v.strictObject({ type: v.literal('shell/input'), session: id, text: v.pipe(v.string(), v.maxLength(SHELL_LINE_MAX)) }),
  'shell/close': v.strictObject({ type: v.literal('shell/close'), session: id }),
  'inspect/node': v.strictObject({ type: v.literal('inspect/node'), node: name }),
  'inspect/counters': v.strictObject({ type: v.literal('inspect/counters') }),
  'net/files': v.strictObject({ type: v.literal('net/files') }),
  'tcp/connections': v.strictObject({ type: v.literal('tcp/connections'), node: name }),
  'tcp/watch': v.strictObject({ type: v.literal('tcp/watch'), node: name, conn: name, on: v.boolean() }),
  'tcp/samples': v.strictObject({ type: v.literal('tcp/samples'), node: name, conn: name, since: id }),
  'capture/start': v.strictObject({
    type: v.literal('capture/start'),
    target: v.variant('kind', [v.strictObject({ kind: v.literal('iface'), node: name, iface: name }), v.strictObject({ kind: v.literal('link'), link: name })]),
  }),
  'capture/stop': v.strictObject({ type: v.literal('capture/stop'), capture: id }),
  'capture/export': v.strictObject({ type: v.literal('capture/export'), capture: id, format: v.picklist(['pcap', 'pcapng']) }),
  // Lab grading: both networks are topology documents, the lab and the replayed commands
  // follow the document's lab schema (lab-schema.ts).
  'lab/grade': v.strictObject({
    type: v.literal('lab/grade'),
    lab: labSchema,
    start: v.pipe(v.unknown(), v.check((d) => v.is(vnetSchema, d), 'start is not a topology document')),
    work: v.pipe(v.unknown(), v.check((d) => v.is(vnetSchema, d), 'work is not a topology document')),
    commands: v.optional(labWorkSchema.entries.commands),
  }) as unknown as Schema<'lab/grade'>,
} satisfies { [T in EngineRequestType]: Schema<T> };

const ENVELOPE = v.strictObject({ id, request: v.looseObject({ type: v.string() }) });

export type EngineCheck = { ok: true; message: RequestMessage } | { ok: false; error: string };

/** Checks one `engine/post` envelope: the id, then the request by its type's schema. */
export function checkEngineRequest(value: unknown): EngineCheck {
  const env = v.safeParse(ENVELOPE, value);
  if (!env.success) return { ok: false, error: `engine/post: bad envelope (${env.issues[0].message})` };
  const type = env.output.request.type;
  if (!Object.hasOwn(ENGINE_REQUEST_SCHEMAS, type)) return { ok: false, error: `engine/post: unknown request type ${JSON.stringify(type.slice(0, 40))}` };
  const schema = ENGINE_REQUEST_SCHEMAS[type as EngineRequestType] as v.GenericSchema<unknown, EngineRequest>;
  const req = v.safeParse(schema, env.output.request);
  if (!req.success) {
    const issue = req.issues[0];
    return { ok: false, error: `engine/post ${type}: bad ${v.getDotPath(issue) ?? 'request'} (${issue.message})` };
  }
  return { ok: true, message: { id: env.output.id, request: req.output } };
}
