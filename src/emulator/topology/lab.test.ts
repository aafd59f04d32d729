import { describe, expect, it } from 'vitest';
import { exportWarnings, parseTopology, serializeTopology } from './formats';
import type { TopologyDoc } from './document';
import { LAB_LIMITS, type LabDoc } from './lab';

const base = {
  version: 1,
  nodes: [
    { id: 'n0', kind: 'pc', name: 'pc1', canvas: 'c0', position: { x: 0, y: 0 }, interfaces: [{ name: 'eth0', type: 'phys', ipv4: ['10.0.0.20/24'], ipv6: [] }], routes4: [], routes6: [] },
    { id: 'n1', kind: 'pc', name: 'pc2', canvas: 'c0', position: { x: 9, y: 0 }, interfaces: [{ name: 'eth0', type: 'phys', ipv4: ['10.0.0.21/24'], ipv6: [] }], routes4: [], routes6: [] },
  ],
  links: [{ id: 'l0', a: { node: 'n0', iface: 'eth0' }, b: { node: 'n1', iface: 'eth0' }, params: { bandwidthBps: 0, delayUs: 0, jitterUs: 0, lossPercent: 0, berOneIn: 0, dupPercent: 0, queuePackets: 50 } }],
  annotations: [],
  canvases: [{ id: 'c0', name: 'Canvas0' }],
};

const lab = (over: Partial<LabDoc> = {}): LabDoc => ({
  title: 'Two PCs',
  instructions: '# Task\n\nMake **pc1** reach pc2.\n\n![topology](data:image/png;base64,iVBORw0KGgo=)\n',
  checks: [
    { id: 'reach', title: 'pc1 reaches pc2', points: 2, predicate: { type: 'ping', from: 'pc1', to: 'pc2', expect: 'reachable' } },
    { id: 'seen', title: 'a reply came back', points: 1, predicate: { type: 'packet', at: 'pc1:eth0', filter: 'icmp.type==0 && ip.src==10.0.0.21' } },
  ],
  setup: [{ node: 'pc1', command: 'ping -c 1 10.0.0.21' }],
  locks: { kinds: true, links: true, configs: ['pc2'] },
  hidden: [{ node: 'pc1', iface: 'eth0', field: 'ipv4' }],
  hints: [{ check: 'reach', afterFailures: 2, text: 'Look at the netmask.' }],
  ...over,
});

const text = (l: unknown) => JSON.stringify({ ...base, lab: l }, null, 2);
const parse = (l: unknown, file = 'lab.vnet') => parseTopology(text(l), file);

describe('lab section of a .vnet document', () => {
  it('round-trips through save and load', () => {
    const r = parse(lab());
    if (!('doc' in r)) throw new Error(JSON.stringify(r.errors));
    const again = parseTopology(serializeTopology(r.doc, 'x.vnet'), 'x.vnet');
    expect('doc' in again && again.doc.lab).toEqual(lab());
  });

  it('a plain version-1 and a version-0 topology still load', () => {
    expect('doc' in parseTopology(JSON.stringify(base), 'a.vnet')).toBe(true);
    const v0 = { ...base, version: 0 } as Record<string, unknown>;
    delete v0.annotations;
    delete v0.canvases;
    expect('doc' in parseTopology(JSON.stringify(v0), 'a.vnet')).toBe(true);
  });

  it('locates a bad check to its line with what is wrong', () => {
    const l = lab();
    l.checks.push({ id: 'reach', title: 'again', points: 1, predicate: { type: 'route', node: 'router9', dest: '10.0.5.0/24' } });
    const r = parse(l);
    if ('doc' in r) throw new Error('accepted');
    const lines = text(l).split('\n');
    const dup = r.errors.find((e) => e.message.includes('duplicate check id'))!;
    expect(lines[dup.line - 1]).toContain('"id": "reach"');
    expect(r.errors.some((e) => e.message.includes('no node named "router9"'))).toBe(true);
  });

  it('refuses unknown predicate types, bad regexes and filters, and dangling hints', () => {
    const bad = (p: unknown) => parse(lab({ checks: [{ id: 'c', title: 't', points: 1, predicate: p as never }] }));
    expect(bad({ type: 'telepathy' })).toHaveProperty('errors');
    const re = bad({ type: 'command', node: 'pc1', command: 'netstat -rn', pattern: '(' });
    expect('errors' in re && re.errors[0]!.message).toMatch(/not a valid regular expression/);
    const f = bad({ type: 'packet', at: 'pc1:eth0', filter: 'ip.addr==999.1.1.1' });
    expect('errors' in f && f.errors[0]!.message).toMatch(/not a valid display filter/);
    const at = bad({ type: 'packet', at: 'pc1:eth7', filter: 'icmp' });
    expect('errors' in at && at.errors[0]!.message).toMatch(/has no interface "eth7"/);
    expect(parse(lab({ hints: [{ check: 'nope', afterFailures: 1, text: 'x' }] }))).toHaveProperty('errors');
  });

  it('bounds every string: instructions, images, titles', () => {
    const long = parse(lab({ instructions: 'x'.repeat(LAB_LIMITS.MAX_INSTRUCTIONS_CHARS + 1) }));
    expect('errors' in long && long.errors[0]!.message).toMatch(/instructions must be at most/);
    const remote = parse(lab({ instructions: '![x](https://example.com/a.png)' }));
    expect('errors' in remote && remote.errors[0]!.message).toMatch(/must be embedded as a data:image/);
    const big = parse(lab({ instructions: `![x](data:image/png;base64,${'A'.repeat(LAB_LIMITS.MAX_IMAGE_CHARS)})` }));
    expect('errors' in big && big.errors[0]!.message).toMatch(/at most 1048576 are allowed/);
    const title = parse(lab({ title: 't'.repeat(LAB_LIMITS.MAX_TEXT_CHARS + 1) }));
    expect(title).toHaveProperty('errors');
  });

  it('dropLab ignores a broken or edited lab section (how the grader reads submissions)', () => {
    const broken = text({ title: '', checks: 'all passed' });
    expect(parseTopology(broken, 's.vnet')).toHaveProperty('errors');
    const r = parseTopology(broken, 's.vnet', { dropLab: true });
    expect('doc' in r && r.doc.lab).toBeUndefined();
  });

  it('IMUNES export leaves the lab out with a warning', () => {
    const r = parse(lab());
    const doc = (r as { doc: TopologyDoc }).doc;
    expect(exportWarnings(doc, 'out.imn')[0]!.message).toMatch(/lab section .* is left out/);
    expect(exportWarnings(doc, 'out.vnet')).toEqual([]);
    expect(serializeTopology(doc, 'out.imn')).not.toMatch(/instructions|Look at the netmask/);
  });
});
