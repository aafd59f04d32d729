// The IMUNES 3.x JSON topology shape (options.version "2") as plain records, the common
// form every .imn generation is normalized to before it becomes a TopologyDoc. Values
// stay IMUNES strings ("2048000"); interpretation happens in from-json3.ts.

export type JsonObj = Record<string, unknown>;

export interface Json3 {
  nodes: Record<string, JsonObj>;
  links: Record<string, JsonObj>;
  options: JsonObj;
  gui: {
    options?: JsonObj;
    canvases: Record<string, JsonObj>;
    links: Record<string, JsonObj>;
    nodes: Record<string, JsonObj>;
    annotations?: Record<string, JsonObj>;
  } & JsonObj;
}

/** Line of a JSON-path-like location in the source file (falls back to shorter paths). */
export type Locator = (path: readonly (string | number)[]) => number;

export function isObj(v: unknown): v is JsonObj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

export function objOf(v: unknown): JsonObj {
  return isObj(v) ? v : {};
}

/** Map-based locator from recorded `a/b/c` keys. */
export function mapLocator(lines: Map<string, number>): Locator {
  return (path) => {
    for (let n = path.length; n >= 0; n--) {
      const l = lines.get(path.slice(0, n).join('/'));
      if (l !== undefined) return l;
    }
    return 1;
  };
}

/** Set an own data property even for keys like "__proto__" that come from a file. */
export function setOwn(o: JsonObj, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
}
