// The valibot schema of a topology document (shape only: types, required fields, number
// ranges, and a bound on every string and list). Semantic rules across fields live in
// check.ts; migrations in vnet.ts. Both readers (.vnet and .imn) check their result with it,
// so whatever VirtNet loads it can also save. Must stay in step with document.ts.

import * as v from 'valibot';
import { NODE_FILES_BYTES_MAX, NODE_FILES_COUNT_MAX, NODE_PATH_MAX, normalizePath } from '../node/files';
import type { DocIssue } from './check';
import { quoteText } from './diagnostics';
import type { TopologyDoc } from './document';
import { labSchema } from './lab-schema';
import { LIMITS } from './limits';
import { SCENARIO_LIMITS } from './scenario';

export { LIMITS };

const num = v.pipe(v.number(), v.finite());
const nonNeg = v.pipe(num, v.minValue(0));
const short = (what: string) => v.pipe(v.string(), v.maxLength(LIMITS.MAX_NAME_CHARS, `${what} must be at most ${LIMITS.MAX_NAME_CHARS} characters`));
const nonEmpty = (what: string) => v.pipe(short(what), v.minLength(1, `${what} must not be empty`));
const list = <T extends v.GenericSchema>(item: T, max: number, what: string) => v.pipe(v.array(item), v.maxLength(max, `at most ${max} ${what}`));

/** Why a kept-for-round-trip value is too big, or null: every string in it is bounded. */
function extraProblem(value: unknown): string | null {
  const stack: unknown[] = [value];
  let seen = 0;
  while (stack.length) {
    const x = stack.pop();
    if (++seen > 100_000) return 'too many kept values (more than 100000)';
    if (typeof x === 'string') {
      if (x.length > LIMITS.MAX_CONFIG_CHARS) return `a kept text is longer than ${LIMITS.MAX_CONFIG_CHARS} characters`;
    } else if (x !== null && typeof x === 'object') {
      for (const [k, y] of Object.entries(x)) {
        if (k.length > LIMITS.MAX_NAME_CHARS) return `a kept field name is longer than ${LIMITS.MAX_NAME_CHARS} characters`;
        stack.push(y);
      }
    }
  }
  return null;
}

const extra = v.optional(v.pipe(
  v.record(v.string(), v.unknown()),
  v.rawCheck(({ dataset, addIssue }) => {
    const why = dataset.typed ? extraProblem(dataset.value) : null;
    if (why) addIssue({ message: why });
  }),
));

const point = v.strictObject({ x: num, y: num });
const address = v.pipe(v.string(), v.maxLength(64, 'an address must be at most 64 characters'));
const route = v.strictObject({ dest: address, gateway: address });

const iface = v.strictObject({
  name: nonEmpty('interface name'),
  type: short('interface type'),
  mac: v.optional(address),
  ipv4: list(address, LIMITS.MAX_ADDRESSES, 'IPv4 addresses'),
  ipv6: list(address, LIMITS.MAX_ADDRESSES, 'IPv6 addresses'),
  mtu: v.optional(num),
  up: v.optional(v.boolean()),
  dhcp: v.optional(v.boolean()),
  extra,
});

/** Why a node's files break node/files.ts's bounds, or null. */
function filesProblem(files: Record<string, string>): string | null {
  const entries = Object.entries(files);
  if (entries.length > NODE_FILES_COUNT_MAX) return `a node keeps at most ${NODE_FILES_COUNT_MAX} files`;
  let bytes = 0;
  for (const [path, text] of entries) {
    if (!path.startsWith('/') || path.length > NODE_PATH_MAX || normalizePath(path) !== path) return `file path ${JSON.stringify(path.slice(0, 80))} must be absolute and normalised (e.g. /etc/hosts)`;
    if (typeof text !== 'string') return `file ${path} must be text`;
    bytes += path.length + text.length;
  }
  return bytes > NODE_FILES_BYTES_MAX ? `a node's files are at most ${NODE_FILES_BYTES_MAX} bytes together` : null;
}

const files = v.optional(v.pipe(
  v.record(v.string(), v.string()),
  v.rawCheck(({ dataset, addIssue }) => {
    const why = dataset.typed ? filesProblem(dataset.value) : null;
    if (why) addIssue({ message: why });
  }),
));

const node = v.strictObject({
  id: nonEmpty('node id'),
  kind: nonEmpty('node kind'),
  name: nonEmpty('node name'),
  canvas: short('canvas id'),
  position: point,
  labelPosition: v.optional(point),
  interfaces: list(iface, LIMITS.MAX_INTERFACES_PER_NODE, 'interfaces per node'),
  routes4: list(route, LIMITS.MAX_ROUTES, 'IPv4 routes'),
  routes6: list(route, LIMITS.MAX_ROUTES, 'IPv6 routes'),
  forwarding: v.optional(v.boolean()),
  startup: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(4096, 'a startup line is at most 4096 characters'))), v.maxLength(1000, 'startup has at most 1000 lines'))),
  frrConf: v.optional(v.pipe(v.string(), v.maxLength(1 << 20, 'frrConf is at most 1 MiB'))),
  files,
  extra,
});

const params = v.strictObject({
  bandwidthBps: v.pipe(nonNeg, v.integer('bandwidthBps must be a whole number of bit/s')),
  delayUs: v.pipe(num, v.minValue(0, 'delayUs must not be negative')),
  jitterUs: v.pipe(num, v.minValue(0, 'jitterUs must not be negative')),
  lossPercent: v.pipe(num, v.minValue(0, 'lossPercent must be 0–100'), v.maxValue(100, 'lossPercent must be 0–100')),
  berOneIn: nonNeg,
  dupPercent: v.pipe(num, v.minValue(0, 'dupPercent must be 0–100'), v.maxValue(100, 'dupPercent must be 0–100')),
  queuePackets: v.pipe(num, v.integer(), v.minValue(1, 'queuePackets must be at least 1')),
});

const end = v.strictObject({ node: short('link end node'), iface: short('link end interface') });

const link = v.strictObject({
  id: nonEmpty('link id'),
  a: end,
  b: end,
  params,
  paramsBA: v.optional(params),
  up: v.optional(v.boolean()),
  color: v.optional(short('colour')),
  width: v.optional(nonNeg),
  extra,
});

const annotation = v.strictObject({
  id: short('annotation id'),
  kind: v.picklist(['rectangle', 'oval', 'text', 'freeform']),
  canvas: short('canvas id'),
  coords: list(num, LIMITS.MAX_COORDS, 'coordinates'),
  label: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.MAX_LABEL_CHARS, `label must be at most ${LIMITS.MAX_LABEL_CHARS} characters`))),
  labelColor: v.optional(short('label colour')),
  color: v.optional(short('colour')),
  fill: v.optional(short('fill colour')),
  font: v.optional(short('font')),
  width: v.optional(nonNeg),
  radius: v.optional(nonNeg),
  extra,
});

const count = v.pipe(num, v.integer('must be a whole number'), v.minValue(0, 'must not be negative'));
const scenario = v.strictObject({
  seed: v.pipe(count, v.maxValue(0xffff_ffff, 'seed must be at most 4294967295')),
  inputs: list(
    v.strictObject({
      atNs: count,
      afterEvents: count,
      node: nonEmpty('scenario node'),
      exec: v.pipe(v.string(), v.minLength(1, 'exec must not be empty'), v.maxLength(SCENARIO_LIMITS.MAX_COMMAND_CHARS, `exec must be at most ${SCENARIO_LIMITS.MAX_COMMAND_CHARS} characters`)),
    }),
    SCENARIO_LIMITS.MAX_INPUTS,
    'scenario inputs',
  ),
  untilNs: v.optional(count),
});

export const vnetSchema = v.strictObject({
  version: v.literal(1),
  name: v.optional(short('document name')),
  nodes: list(node, LIMITS.MAX_NODES, 'nodes'),
  links: list(link, LIMITS.MAX_LINKS, 'links'),
  annotations: list(annotation, LIMITS.MAX_ANNOTATIONS, 'annotations'),
  canvases: list(v.strictObject({ id: short('canvas id'), name: short('canvas name') }), LIMITS.MAX_CANVASES, 'canvases'),
  lab: v.optional(labSchema),
  scenario: v.optional(scenario),
  extra,
});

/** The document if `raw` has the shape of one, else each problem with its path. */
export function checkShape(raw: unknown): { doc: TopologyDoc } | { issues: DocIssue[] } {
  const res = v.safeParse(vnetSchema, raw);
  if (res.success) return { doc: res.output as TopologyDoc };
  return {
    issues: res.issues.map((iss) => {
      const path = (iss.path ?? []).map((p) => p.key as string | number);
      const where = path.length ? `${path.map((p) => (typeof p === 'string' && !/^[\w-]{1,40}$/.test(p) ? quoteText(p, 40) : p)).join('.')}: ` : '';
      return { path, message: `${where}${iss.message}`, severity: 'error' as const };
    }),
  };
}
