// Builds one lab check from menus: a predicate (reachability, route, address in a subnet,
// command output, packet seen with a display filter, path of a ping), its nodes picked from
// the network, a title and points. The check is validated by the lab's own checker
// (lab-schema + lab-check) before it is added; the reason is shown when it is not.
import { useState } from 'react';
import * as v from 'valibot';
import { checkLab } from '../../emulator/topology/lab-check';
import { labSchema } from '../../emulator/topology/lab-schema';
import type { CheckPredicate, LabCheck, LabDoc } from '../../emulator/topology/lab';
import { useDoc } from '../app-context';

const TYPES: [CheckPredicate['type'], string][] = [
  ['ping', 'Reachability (ping)'],
  ['route', 'Route exists'],
  ['address', 'Address in subnet'],
  ['command', 'Command output matches'],
  ['packet', 'Packet seen (display filter)'],
  ['path', 'Ping crosses / avoids nodes'],
];

type Form = Record<string, string>;

function predicateOf(type: CheckPredicate['type'], f: Form): CheckPredicate {
  const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  switch (type) {
    case 'ping': return { type, from: f.from ?? '', to: f.to ?? '', expect: f.expect === 'unreachable' ? 'unreachable' : 'reachable' };
    case 'route': return { type, node: f.node ?? '', dest: f.dest ?? '', ...(f.gateway ? { gateway: f.gateway } : {}) };
    case 'address': return { type, node: f.node ?? '', subnet: f.subnet ?? '', ...(f.iface ? { iface: f.iface } : {}) };
    case 'command': return { type, node: f.node ?? '', command: f.command ?? '', pattern: f.pattern ?? '', expect: f.expect === 'no-match' ? 'no-match' : 'match' };
    case 'packet': return { type, at: f.at ?? '', filter: f.filter ?? '', expect: f.expect === 'not-seen' ? 'not-seen' : 'seen' };
    case 'path': return { type, from: f.from ?? '', to: f.to ?? '', through: list(f.through), avoid: list(f.avoid) };
    default: return type satisfies never;
  }
}

function suggestTitle(p: CheckPredicate): string {
  switch (p.type) {
    case 'ping': return `${p.from} ${p.expect === 'reachable' ? 'can' : 'cannot'} ping ${p.to}`;
    case 'route': return `${p.node} has a route to ${p.dest}${p.gateway ? ` via ${p.gateway}` : ''}`;
    case 'address': return `${p.node}${p.iface ? ` ${p.iface}` : ''} has an address in ${p.subnet}`;
    case 'command': return `\`${p.command}\` on ${p.node} shows what is expected`;
    case 'packet': return `${p.filter} ${p.expect === 'not-seen' ? 'is never seen' : 'is seen'} at ${p.at}`;
    case 'path': return `a ping from ${p.from} to ${p.to} crosses ${p.through.join(', ') || 'the right nodes'}`;
    default: return p satisfies never;
  }
}

/** Problems of `check` added to `lab` (shape first, then meaning against the network). */
export function checkProblems(lab: LabDoc, check: LabCheck, doc: Parameters<typeof checkLab>[1]): string | null {
  const next = { ...lab, checks: [...lab.checks, check] };
  const r = v.safeParse(labSchema, next);
  if (!r.success) return r.issues[0].message;
  const i = lab.checks.length;
  const own = checkLab(next, doc).find((p) => p.path[1] === 'checks' && p.path[2] === i);
  return own?.message ?? null;
}

function Pick({ label, value, options, set, testId }: { label: string; value: string; options: string[]; set: (v: string) => void; testId?: string }) {
  return (
    <div className="field">
      <label>{label}</label>
      <select value={value} data-testid={testId} onChange={(e) => set(e.target.value)}>
        <option value="">—</option>
        {options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    </div>
  );
}

function Text({ label, value, set, placeholder, testId }: { label: string; value: string; set: (v: string) => void; placeholder?: string; testId?: string }) {
  return (
    <div className="field">
      <label>{label}</label>
      <div className="field-input">
        <input className="mono" value={value} placeholder={placeholder} data-testid={testId} onChange={(e) => set(e.target.value)} />
      </div>
    </div>
  );
}

export function CheckBuilder({ lab, add }: { lab: LabDoc; add: (check: LabCheck) => string | null }) {
  const doc = useDoc((d) => d.doc);
  const [type, setType] = useState<CheckPredicate['type']>('ping');
  const [f, setF] = useState<Form>({});
  const [title, setTitle] = useState('');
  const [points, setPoints] = useState('1');
  const [error, setError] = useState<string | null>(null);
  const set = (k: string) => (value: string) => setF((x) => ({ ...x, [k]: value }));
  const names = doc.nodes.map((n) => n.name);
  const stacks = doc.nodes.filter((n) => !['lanswitch', 'hub', 'switch'].includes(n.kind)).map((n) => n.name);
  const ifacesOf = (name: string) => doc.nodes.find((n) => n.name === name)?.interfaces.filter((i) => i.type !== 'lo').map((i) => i.name) ?? [];
  const points2 = doc.nodes.flatMap((n) => n.interfaces.filter((i) => i.type !== 'lo').map((i) => `${n.name}:${i.name}`));
  const p = predicateOf(type, f);
  let n = lab.checks.length + 1;
  while (lab.checks.some((c) => c.id === `${type}${n}`)) n++;
  const submit = () => {
    const check: LabCheck = { id: `${type}${n}`, title: title.trim() || suggestTitle(p), points: Number(points), predicate: p };
    const why = checkProblems(lab, check, doc) ?? add(check);
    setError(why);
    if (!why) (setF({}), setTitle(''));
  };
  return (
    <details className="lab-builder" open={lab.checks.length === 0}>
      <summary data-testid="lab-add-check">Add a check</summary>
      <div className="field">
        <label>Predicate</label>
        <select value={type} data-testid="lab-check-type" onChange={(e) => (setType(e.target.value as CheckPredicate['type']), setF({}))}>
          {TYPES.map(([t, label]) => <option key={t} value={t}>{label}</option>)}
        </select>
      </div>
      {(type === 'ping' || type === 'path') && (
        <>
          <Pick label="From" value={f.from ?? ''} options={stacks} set={set('from')} testId="lab-check-from" />
          <Pick label="To (node)" value={f.to ?? ''} options={stacks} set={set('to')} testId="lab-check-to" />
        </>
      )}
      {type === 'ping' && <Pick label="Expect" value={f.expect ?? 'reachable'} options={['reachable', 'unreachable']} set={set('expect')} />}
      {type === 'path' && (
        <>
          <Text label="Through (node names, comma separated)" value={f.through ?? ''} set={set('through')} />
          <Text label="Avoid (node names)" value={f.avoid ?? ''} set={set('avoid')} />
        </>
      )}
      {(type === 'route' || type === 'address' || type === 'command') && <Pick label="Node" value={f.node ?? ''} options={type === 'command' ? names : stacks} set={set('node')} testId="lab-check-node" />}
      {type === 'route' && (
        <>
          <Text label="Destination" value={f.dest ?? ''} set={set('dest')} placeholder="10.0.2.0/24" />
          <Text label="Gateway (optional)" value={f.gateway ?? ''} set={set('gateway')} placeholder="10.0.12.2" />
        </>
      )}
      {type === 'address' && (
        <>
          <Pick label="Interface (any if empty)" value={f.iface ?? ''} options={ifacesOf(f.node ?? '')} set={set('iface')} />
          <Text label="Subnet" value={f.subnet ?? ''} set={set('subnet')} placeholder="10.0.12.0/30" testId="lab-check-subnet" />
        </>
      )}
      {type === 'command' && (
        <>
          <Text label="Command" value={f.command ?? ''} set={set('command')} placeholder="netstat -rn" />
          <Text label="Pattern (regular expression)" value={f.pattern ?? ''} set={set('pattern')} placeholder="^10\.0\.5\.0/24" />
          <Pick label="Expect" value={f.expect ?? 'match'} options={['match', 'no-match']} set={set('expect')} />
        </>
      )}
      {type === 'packet' && (
        <>
          <Pick label="Seen at" value={f.at ?? ''} options={points2} set={set('at')} />
          <Text label="Display filter" value={f.filter ?? ''} set={set('filter')} placeholder="icmp.type==0 && ip.src==10.0.2.20" />
          <Pick label="Expect" value={f.expect ?? 'seen'} options={['seen', 'not-seen']} set={set('expect')} />
        </>
      )}
      <Text label="Title the student reads" value={title} set={setTitle} placeholder={suggestTitle(p)} />
      <div className="lab-row">
        <div className="field lab-points-field">
          <label>Points</label>
          <div className="field-input"><input type="number" min={0} max={1000} value={points} onChange={(e) => setPoints(e.target.value)} /></div>
        </div>
        <button type="button" className="small-btn" data-testid="lab-check-add" onClick={submit}>Add check</button>
      </div>
      {error && <div className="field-error" data-testid="lab-check-error">{error}</div>}
    </details>
  );
}
