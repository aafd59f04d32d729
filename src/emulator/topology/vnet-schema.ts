// The valibot schema of the native .vnet document (shape only: types, required fields,
// number ranges). Semantic rules across fields live in check.ts; migrations in vnet.ts.
// Must stay in step with document.ts.

import * as v from 'valibot';

const num = v.pipe(v.number(), v.finite());
const nonNeg = v.pipe(num, v.minValue(0));
const extra = v.optional(v.record(v.string(), v.unknown()));

const point = v.strictObject({ x: num, y: num });
const route = v.strictObject({ dest: v.string(), gateway: v.string() });

const iface = v.strictObject({
  name: v.pipe(v.string(), v.minLength(1, 'interface name must not be empty')),
  type: v.string(),
  mac: v.optional(v.string()),
  ipv4: v.array(v.string()),
  ipv6: v.array(v.string()),
  mtu: v.optional(num),
  up: v.optional(v.boolean()),
  extra,
});

const node = v.strictObject({
  id: v.pipe(v.string(), v.minLength(1, 'node id must not be empty')),
  kind: v.pipe(v.string(), v.minLength(1, 'node kind must not be empty')),
  name: v.pipe(v.string(), v.minLength(1, 'node name must not be empty')),
  canvas: v.string(),
  position: point,
  labelPosition: v.optional(point),
  interfaces: v.array(iface),
  routes4: v.array(route),
  routes6: v.array(route),
  forwarding: v.optional(v.boolean()),
  frrConf: v.optional(v.string()),
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

const end = v.strictObject({ node: v.string(), iface: v.string() });

const link = v.strictObject({
  id: v.pipe(v.string(), v.minLength(1)),
  a: end,
  b: end,
  params,
  paramsBA: v.optional(params),
  up: v.optional(v.boolean()),
  color: v.optional(v.string()),
  width: v.optional(nonNeg),
  extra,
});

const annotation = v.strictObject({
  id: v.string(),
  kind: v.picklist(['rectangle', 'oval', 'text', 'freeform']),
  canvas: v.string(),
  coords: v.array(num),
  label: v.optional(v.string()),
  labelColor: v.optional(v.string()),
  color: v.optional(v.string()),
  fill: v.optional(v.string()),
  font: v.optional(v.string()),
  width: v.optional(nonNeg),
  radius: v.optional(nonNeg),
  extra,
});

export const vnetSchema = v.strictObject({
  version: v.literal(1),
  name: v.optional(v.string()),
  nodes: v.array(node),
  links: v.array(link),
  annotations: v.array(annotation),
  canvases: v.array(v.strictObject({ id: v.string(), name: v.string() })),
  extra,
});
