// getopt(3) as FreeBSD's libc implements it, for the shell's tools: clustered flags
// (`-nq`), attached or separate arguments (`-c3`, `-c 3`), `--` ends options, the first
// non-option ends parsing. Error wording matches FreeBSD. Pure; never throws.

export type GetoptResult =
  | { ok: true; opts: Map<string, string[]>; operands: string[] }
  | { ok: false; error: string };

/** `spec` is a getopt string such as `c:i:nq` (a colon marks an option with an argument). */
export function getopt(prog: string, argv: readonly string[], spec: string): GetoptResult {
  const opts = new Map<string, string[]>();
  let i = 0;
  while (i < argv.length) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (a.length < 2 || a[0] !== '-') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const at = spec.indexOf(c);
      if (at < 0 || c === ':') return { ok: false, error: `${prog}: illegal option -- ${c}` };
      const list = opts.get(c) ?? [];
      opts.set(c, list);
      if (spec[at + 1] !== ':') {
        list.push('');
        continue;
      }
      if (j + 1 < a.length) {
        list.push(a.slice(j + 1));
      } else if (i + 1 < argv.length) {
        list.push(argv[++i]);
      } else {
        return { ok: false, error: `${prog}: option requires an argument -- ${c}` };
      }
      break;
    }
    i++;
  }
  return { ok: true, opts, operands: argv.slice(i) };
}

/** Last value given for an option, or undefined. */
export function optValue(opts: Map<string, string[]>, c: string): string | undefined {
  const v = opts.get(c);
  return v && v.length ? v[v.length - 1] : undefined;
}
