// Settings of IMUNES's layer-2 kinds in the properties panel: an STP switch's protocol,
// priority and timers; a packet generator's rate and packet list; a filter interface's
// ng_patmat rules. Each edit goes through topology/edit.ts, which checks it with the
// engine's own readers; a refusal is shown under the field, the document keeps its value.
import { useId } from 'react';
import type { NodeDoc } from '../../emulator/topology/document';
import { formatFilterRules, packgenFrames, packgenRate } from '../../emulator/topology/edit';
import { useServices } from '../app-context';
import * as A from '../store/editor-actions';
import { Field, useDraft } from './Field';
import { startupLines } from './StartupEditor';

/** A multi-line value committed on blur; the refusal shows under it. */
function LinesField({ label, lines, commit, disabled, testId, placeholder, hint }: { label: string; lines: string[]; commit(lines: string[]): string | null; disabled: boolean; testId: string; placeholder: string; hint: string }) {
  const id = useId();
  const value = lines.join('\n');
  const { draft, setDraft, error, setError } = useDraft(value);
  return (
    <div className={`field startup${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="mono startup-text"
        rows={Math.min(10, Math.max(3, lines.length + 1))}
        value={draft}
        disabled={disabled}
        spellCheck={false}
        wrap="off"
        placeholder={placeholder}
        aria-invalid={!!error}
        data-testid={testId}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={() => draft !== value && setError(commit(startupLines(draft)))}
        onKeyDown={(e) => e.key === 'Escape' && setDraft(value)}
      />
      {error ? <div className="field-error" role="alert" data-testid={`${testId}-error`}>{error}</div> : <div className="field-hint">{hint}</div>}
    </div>
  );
}

function StpSettings({ node, locked }: { node: NodeDoc; locked: boolean }) {
  const { docStore } = useServices();
  const b = (node.extra?.bridge ?? {}) as Record<string, unknown>;
  const val = (k: string, def: string) => (b[k] === undefined || b[k] === '' ? def : String(b[k]));
  const field = (key: 'priority' | 'max_age' | 'hello_time' | 'forwarding_delay', label: string, def: string, unit?: string) => (
    <Field label={label} unit={unit} value={val(key, def)} disabled={locked} testId={`stp-${key}`} commit={(t) => A.setStpBridge(docStore, node.id, { [key]: t })} />
  );
  return (
    <div data-testid="stp-settings">
      <h3>Spanning tree</h3>
      <div className="field">
        <label htmlFor={`${node.id}-stp-proto`}>Protocol</label>
        <select id={`${node.id}-stp-proto`} value={val('protocol', 'rstp')} disabled={locked} data-testid="stp-protocol" onChange={(e) => A.setStpBridge(docStore, node.id, { protocol: e.target.value })}>
          <option value="rstp">RSTP (802.1w)</option>
          <option value="stp">STP (802.1D)</option>
        </select>
      </div>
      {field('priority', 'Bridge priority (0–61440, steps of 4096)', '32768')}
      {field('hello_time', 'Hello time', '2', 's')}
      {field('max_age', 'Max age', '20', 's')}
      {field('forwarding_delay', 'Forwarding delay', '15', 's')}
      {node.interfaces.filter((i) => i.type !== 'lo').map((i) => {
        const x = (i.extra ?? {}) as Record<string, unknown>;
        const on = (k: string, def: boolean) => (x[k] === undefined || x[k] === '' ? def : x[k] === '1' || x[k] === 1 || x[k] === true || x[k] === 'true');
        const text = (k: string, def: string) => (x[k] === undefined || x[k] === '' ? def : String(x[k]));
        return (
          <div className="iface" key={i.name} data-testid={`stp-port-${i.name}`}>
            <div className="iface-name mono">{i.name}</div>
            <label className="check">
              <input type="checkbox" checked={on('stp_enabled', true)} disabled={locked} data-testid={`stp-port-${i.name}-enabled`} onChange={(e) => A.setStpPort(docStore, node.id, i.name, { stp_enabled: e.target.checked ? '1' : '0' })} />
              Runs STP
            </label>
            <label className="check" title="An edge port leads to hosts only: it forwards at once">
              <input type="checkbox" checked={on('stp_edge', false)} disabled={locked} data-testid={`stp-port-${i.name}-edge`} onChange={(e) => A.setStpPort(docStore, node.id, i.name, { stp_edge: e.target.checked ? '1' : '0' })} />
              Edge port
            </label>
            <Field label="Port priority (0–240, steps of 16)" value={text('stp_priority', '128')} disabled={locked} testId={`stp-port-${i.name}-priority`} commit={(t) => A.setStpPort(docStore, node.id, i.name, { stp_priority: t })} />
            <Field label="Path cost (0: from the link speed)" value={text('stp_path_cost', '0')} disabled={locked} testId={`stp-port-${i.name}-cost`} commit={(t) => A.setStpPort(docStore, node.id, i.name, { stp_path_cost: t })} />
          </div>
        );
      })}
    </div>
  );
}

function PackgenSettings({ node, locked }: { node: NodeDoc; locked: boolean }) {
  const { docStore } = useServices();
  const frames = packgenFrames(node);
  return (
    <div data-testid="packgen-settings">
      <h3>Packet generator</h3>
      <Field label="Rate" unit="packets/s" value={packgenRate(node)} disabled={locked} testId="packgen-rate" commit={(t) => A.setPackgen(docStore, node.id, t, frames)} />
      <LinesField
        label="Packets (one Ethernet frame in hex per line, sent in turn)"
        lines={frames}
        disabled={locked}
        testId="packgen-packets"
        placeholder="ffffffffffff4200aa000001080045…"
        hint={frames.length === 0 ? 'No packets: nothing is sent.' : `${frames.length} packet${frames.length === 1 ? '' : 's'}, repeated at the rate above.`}
        commit={(lines) => A.setPackgen(docStore, node.id, packgenRate(node), lines)}
      />
    </div>
  );
}

function FilterSettings({ node, locked }: { node: NodeDoc; locked: boolean }) {
  const { docStore } = useServices();
  const ports = node.interfaces.filter((i) => i.type !== 'lo');
  return (
    <div data-testid="filter-settings">
      <h3>Filter rules</h3>
      {ports.length === 0 && <div className="muted small">Draw links to this filter, then give each interface its rules.</div>}
      {ports.map((i) => {
        const rules = formatFilterRules(i.extra?.filter_rules);
        return (
          <LinesField
            key={i.name}
            label={`${i.name}: frames arriving here`}
            lines={rules}
            disabled={locked}
            testId={`filter-rules-${i.name}`}
            placeholder={`10 match_hook action_data=${ports.find((p) => p.name !== i.name)?.name ?? 'eth1'}`}
            hint={rules.length === 0 ? 'No rules: this interface drops every frame (ng_patmat).' : 'NUM ACTION [action_data=IFACE|RULE] [pattern=hex mask=hex offset=N]'}
            commit={(lines) => A.setFilterRules(docStore, node.id, i.name, lines)}
          />
        );
      })}
    </div>
  );
}

/** The kind's own settings, or nothing for other kinds. */
export function L2Properties({ node, locked }: { node: NodeDoc; locked: boolean }) {
  if (node.kind === 'stpswitch') return <StpSettings node={node} locked={locked} />;
  if (node.kind === 'packgen') return <PackgenSettings node={node} locked={locked} />;
  if (node.kind === 'filter') return <FilterSettings node={node} locked={locked} />;
  return null;
}
