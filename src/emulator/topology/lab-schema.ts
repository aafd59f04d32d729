// The valibot schema of a document's `lab` section (lab.ts): shape, number ranges and a
// bound on every string and list. Cross-field meaning (node names that exist, unique check
// ids, regexes and filters that compile, embedded images) is lab-check.ts's job.

import * as v from 'valibot';
import { LAB_LIMITS } from './lab';
import { LIMITS } from './limits';

const text = (max: number, what: string) => v.pipe(v.string(), v.maxLength(max, `${what} must be at most ${max} characters`));
const name = (what: string) => v.pipe(text(LIMITS.MAX_NAME_CHARS, what), v.minLength(1, `${what} must not be empty`));
const list = <T extends v.GenericSchema>(item: T, max: number, what: string) => v.pipe(v.array(item), v.maxLength(max, `at most ${max} ${what}`));
const names = (what: string) => list(name(what), LAB_LIMITS.MAX_LOCKED_NAMES, `${what}s`);

const ping = v.strictObject({
  type: v.literal('ping'),
  from: name('ping source node'),
  to: name('ping target'),
  expect: v.picklist(['reachable', 'unreachable'], 'expect must be "reachable" or "unreachable"'),
  count: v.optional(v.pipe(v.number(), v.integer('count must be a whole number'), v.minValue(1, 'count must be at least 1'), v.maxValue(LAB_LIMITS.MAX_PING_COUNT, `count must be at most ${LAB_LIMITS.MAX_PING_COUNT}`))),
});
const route = v.strictObject({ type: v.literal('route'), node: name('node'), dest: name('route destination'), gateway: v.optional(name('gateway')) });
const address = v.strictObject({ type: v.literal('address'), node: name('node'), iface: v.optional(name('interface')), subnet: name('subnet') });
const command = v.strictObject({
  type: v.literal('command'),
  node: name('node'),
  command: v.pipe(text(LAB_LIMITS.MAX_COMMAND_CHARS, 'command'), v.minLength(1, 'command must not be empty')),
  pattern: text(LAB_LIMITS.MAX_PATTERN_CHARS, 'pattern'),
  expect: v.optional(v.picklist(['match', 'no-match'], 'expect must be "match" or "no-match"')),
});
const packet = v.strictObject({
  type: v.literal('packet'),
  at: name('capture point (node:iface)'),
  filter: text(LAB_LIMITS.MAX_PATTERN_CHARS, 'filter'),
  expect: v.optional(v.picklist(['seen', 'not-seen'], 'expect must be "seen" or "not-seen"')),
});
const path = v.strictObject({ type: v.literal('path'), from: name('node'), to: name('ping target'), through: names('node'), avoid: names('node') });

const predicate = v.variant('type', [ping, route, address, command, packet, path], 'predicate type must be one of ping, route, address, command, packet, path');

const check = v.strictObject({
  id: v.pipe(name('check id'), v.regex(/^[A-Za-z][\w.-]*$/, 'check id must start with a letter and hold only letters, digits, _ . -')),
  title: v.pipe(text(LAB_LIMITS.MAX_TEXT_CHARS, 'check title'), v.minLength(1, 'check title must not be empty')),
  points: v.pipe(v.number(), v.integer('points must be a whole number'), v.minValue(0, 'points must not be negative'), v.maxValue(LAB_LIMITS.MAX_POINTS, `points must be at most ${LAB_LIMITS.MAX_POINTS}`)),
  predicate,
});

const locks = v.strictObject({
  kinds: v.optional(v.boolean()),
  links: v.optional(v.boolean()),
  positions: v.optional(v.boolean()),
  linkParams: v.optional(v.boolean()),
  configs: v.optional(names('locked node')),
});

const labCommand = v.strictObject({ node: name('node'), command: v.pipe(text(LAB_LIMITS.MAX_COMMAND_CHARS, 'command'), v.minLength(1, 'command must not be empty')) });

/** A student's shell work (lab.ts LabWork); the grader reads only this from a submission's lab. */
export const labWorkSchema = v.strictObject({
  commands: list(labCommand, LAB_LIMITS.MAX_WORK_COMMANDS, 'commands'),
  transcripts: v.pipe(
    v.record(text(LIMITS.MAX_NAME_CHARS, 'transcript node name'), text(LAB_LIMITS.MAX_TRANSCRIPT_CHARS, 'transcript')),
    v.check((r) => Object.keys(r).length <= LAB_LIMITS.MAX_TRANSCRIPTS, `at most ${LAB_LIMITS.MAX_TRANSCRIPTS} transcripts`),
  ),
  failures: v.optional(v.pipe(
    v.record(text(LIMITS.MAX_NAME_CHARS, 'check id'), v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000))),
    v.check((r) => Object.keys(r).length <= LAB_LIMITS.MAX_CHECKS, `at most ${LAB_LIMITS.MAX_CHECKS} failure counts`),
  )),
});

export const labSchema = v.strictObject({
  title: v.pipe(text(LAB_LIMITS.MAX_TEXT_CHARS, 'lab title'), v.minLength(1, 'lab title must not be empty')),
  instructions: text(LAB_LIMITS.MAX_INSTRUCTIONS_CHARS, 'instructions'),
  checks: list(check, LAB_LIMITS.MAX_CHECKS, 'checks'),
  setup: v.optional(list(labCommand, LAB_LIMITS.MAX_SETUP_COMMANDS, 'setup commands')),
  settleS: v.optional(v.pipe(v.number(), v.integer('settleS must be a whole number of seconds'), v.minValue(0, 'settleS must not be negative'), v.maxValue(LAB_LIMITS.MAX_SETTLE_S, `settleS must be at most ${LAB_LIMITS.MAX_SETTLE_S}`))),
  locks: v.optional(locks),
  hidden: v.optional(list(v.strictObject({ node: name('node'), iface: v.optional(name('interface')), field: v.picklist(['ipv4', 'routes4'], 'hidden field must be "ipv4" or "routes4"') }), LAB_LIMITS.MAX_HIDDEN, 'hidden fields')),
  hints: v.optional(list(v.strictObject({
    check: name('hint check id'),
    afterFailures: v.pipe(v.number(), v.integer(), v.minValue(0, 'afterFailures must not be negative'), v.maxValue(1000, 'afterFailures must be at most 1000')),
    text: v.pipe(text(LAB_LIMITS.MAX_TEXT_CHARS, 'hint'), v.minLength(1, 'hint must not be empty')),
  }), LAB_LIMITS.MAX_HINTS, 'hints')),
  student: v.optional(text(LIMITS.MAX_NAME_CHARS, 'student name')),
  // Kept for the student's record only; bounded like any kept value (vnet-schema's extra).
  results: v.optional(v.pipe(v.record(v.string(), v.unknown()), v.check((r) => JSON.stringify(r).length <= LIMITS.MAX_CONFIG_CHARS, `results must be at most ${LIMITS.MAX_CONFIG_CHARS} characters of JSON`))),
  work: v.optional(labWorkSchema),
});
