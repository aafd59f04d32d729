// Structural mutations of a JSON document for property tests and the file fuzzer: pick a
// random place in the value tree and replace, delete, duplicate or nest it, using values
// that have tripped readers before (empty and control-character names, the loopback name,
// non-numeric coordinates, huge and non-finite numbers). Deterministic for a given rng.

export type Rng = () => number;

/** A small deterministic PRNG (mulberry32): the same seed gives the same mutations. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

/** Values worth trying anywhere in a topology document. */
export const NASTY_VALUES: readonly unknown[] = [
  '', ' ', 'lo0', 'lo', 'phys', 'vlan', 'eth0', 'ifc0', 'ifc1', 'n0', 'n1', 'l0', 'c0', 'pc', 'router', 'lanswitch', 'hub', 'pseudo', 'rj45',
  'a\nb', 'x\u0000y', '\u001b[31mred', '\u202eevil', 'ünïcødé', '😀', 'a'.repeat(300), '10.0.0.1/24', '10.0.0.1', '999.1.1.1/33', 'fc00::1/64',
  '42:00:aa:00:00:01', 'zz:zz', '0.0.0.0/0', 'abc', '1e999', '-1', 'NaN', 'Infinity', '{1 2}', '{', '}', '1 2 3', 'n0 n1', 'n1 n0', 'ifc0 ifc0',
  0, -1, 1, 1.5, 68, 65536, 1e308, -1e308, 2 ** 53, Number.MAX_SAFE_INTEGER, 4095, 4094, true, false, null, [], {}, [1, 2], ['a', 'b'], { x: 1 },
];

/** Keys the readers and the engine interpret, to add where they are missing. */
const NEW_KEYS = ['vlan_dev', 'vlan_tag', 'vlan_type', 'vlan_filtering', 'mirror', 'type', 'link', 'name', 'mtu', 'mac', 'oper_state', 'peers', 'peers_ifaces', 'ifaces', 'label', 'iconcoords', 'labelcoords', 'canvas', 'paramsBA', 'up', 'forwarding', 'labelPosition', 'croutes4', 'ipv4_addrs', 'router_config', 'services', 'custom_configs'];

type Container = Record<string, unknown> | unknown[];

/** Every container in `v` with its depth, for picking a place to mutate. */
function containers(v: unknown, out: Container[] = []): Container[] {
  const stack: unknown[] = [v];
  while (stack.length) {
    const x = stack.pop();
    if (x !== null && typeof x === 'object') {
      out.push(x as Container);
      for (const y of Object.values(x)) stack.push(y);
    }
  }
  return out;
}

/** Mutates `doc` in place `count` times; returns a description of each mutation. */
export function mutateJson(doc: unknown, rng: Rng, count = 1): string[] {
  const log: string[] = [];
  const all = containers(doc);
  for (let k = 0; k < count && all.length; k++) {
    const c = pick(rng, all);
    const keys = Array.isArray(c) ? c.map((_, i) => i) : Object.keys(c);
    const key = keys.length ? pick(rng, keys as (string | number)[]) : Array.isArray(c) ? 0 : 'extra';
    const get = () => (c as Record<string | number, unknown>)[key];
    const set = (v: unknown) => {
      Object.defineProperty(c, key, { value: v, writable: true, enumerable: true, configurable: true });
    };
    const what = Math.floor(rng() * 8);
    if (what === 7 && !Array.isArray(c)) {
      // A field the reader knows but this object lacks (VLAN settings, a mirror, a type …).
      const k = pick(rng, NEW_KEYS);
      Object.defineProperty(c, k, { value: pick(rng, NASTY_VALUES), writable: true, enumerable: true, configurable: true });
      log.push(`add ${k}`);
    } else if (what <= 2 || what === 7) {
      const v = pick(rng, NASTY_VALUES);
      set(v);
      log.push(`set ${String(key)}=${JSON.stringify(v)?.slice(0, 30)}`);
    } else if (what === 3) {
      if (Array.isArray(c)) c.splice(Number(key), 1);
      else delete (c as Record<string, unknown>)[key as string];
      log.push(`delete ${String(key)}`);
    } else if (what === 4) {
      const copy = JSON.parse(JSON.stringify(get() ?? null)) as unknown;
      if (Array.isArray(c)) c.push(copy);
      else set(copy);
      log.push(`duplicate ${String(key)}`);
    } else if (what === 5) {
      // Swap with a value from elsewhere in the document (a name where an id goes …).
      const other = pick(rng, all);
      const ov = Object.values(other);
      if (ov.length) set(JSON.parse(JSON.stringify(pick(rng, ov) ?? null)));
      log.push(`swap ${String(key)}`);
    } else {
      const v = get();
      if (typeof v === 'string') set(v + pick(rng, ['\n', '\u0000', ' x', '0', '/99', 'é']));
      else if (typeof v === 'number') set(pick(rng, [v * 1e300, -v, v + 0.5, v - 1]));
      else set([v]);
      log.push(`tweak ${String(key)}`);
    }
  }
  return log;
}
