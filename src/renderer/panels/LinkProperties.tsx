// Link properties: the netgraph-pipe parameters with their units, each refused inline with
// the topology module's reason when out of range (never clamped).
import { useState } from 'react';
import type { LinkDoc, LinkParams } from '../../emulator/topology/document';
import { useDoc, useServices } from '../app-context';
import { formatBandwidth, formatDelayUs, linkTitle } from '../canvas/labels';
import * as A from '../store/editor-actions';
import { Field, parseNumber } from './Field';

const FIELDS: { field: keyof LinkParams; label: string; unit: string; hint: (v: number) => string }[] = [
  { field: 'bandwidthBps', label: 'Bandwidth', unit: 'bit/s', hint: (v) => (v ? `= ${formatBandwidth(v)}` : '0 = unlimited') },
  { field: 'delayUs', label: 'Delay (one way)', unit: 'µs', hint: (v) => (v ? `= ${formatDelayUs(v)}` : 'no propagation delay') },
  { field: 'jitterUs', label: 'Jitter', unit: 'µs', hint: (v) => (v ? `delay + uniform [0, ${formatDelayUs(v)})` : 'none') },
  { field: 'lossPercent', label: 'Loss', unit: '%', hint: () => 'frames dropped at random, 0–100' },
  { field: 'dupPercent', label: 'Duplication', unit: '%', hint: () => 'frames sent twice, 0–100' },
  { field: 'berOneIn', label: 'Bit errors (1 in N bits)', unit: 'bits', hint: (v) => (v ? `one error in ${v} bits` : '0 = none') },
  { field: 'queuePackets', label: 'Queue length', unit: 'packets', hint: () => 'drop-tail queue' },
];

type Direction = 'both' | 'ab' | 'ba';

/** Link parameters and carrier stay editable while the network runs: they apply live. */
export function LinkProperties({ link, running }: { link: LinkDoc; running: boolean }) {
  const { docStore } = useServices();
  const nodes = useDoc((s) => s.doc.nodes);
  const nameOf = (e: LinkDoc['a']) => nodes.find((n) => n.id === e.node)?.name ?? e.node;
  // Impairments are per direction (as netgraph pipes): edit both at once or one side.
  const [direction, setDirection] = useState<Direction>(link.paramsBA ? 'ab' : 'both');
  const shown = direction === 'ba' ? (link.paramsBA ?? link.params) : link.params;
  return (
    <section className="props" data-testid="link-props">
      <h2 data-testid="link-title">{linkTitle(nodes, link)}</h2>
      <label className="check">
        <input type="checkbox" checked={link.up !== false} onChange={(e) => A.setLinkUp(docStore, link.id, e.target.checked)} data-testid="link-up" />
        Link up (carrier)
      </label>
      {running && <p className="muted small">The network is running: changes here apply to it at once.</p>}
      <div className="field">
        <label htmlFor={`dir-${link.id}`}>Direction</label>
        <select id={`dir-${link.id}`} value={direction} onChange={(e) => setDirection(e.target.value as Direction)} data-testid="link-direction">
          <option value="both">Both directions</option>
          <option value="ab">{nameOf(link.a)} → {nameOf(link.b)}</option>
          <option value="ba">{nameOf(link.b)} → {nameOf(link.a)}</option>
        </select>
        {direction === 'both' && link.paramsBA && <div className="field-hint">The directions differ; values shown are {nameOf(link.a)} → {nameOf(link.b)}. A change applies to both.</div>}
      </div>
      {FIELDS.map((f) => (
        <Field
          key={`${direction}:${f.field}`}
          label={f.label}
          unit={f.unit}
          value={String(shown[f.field])}
          hint={f.hint(shown[f.field])}
          testId={`link-${f.field}`}
          commit={(text) => {
            const n = parseNumber(text);
            if (n === null) return `"${text}" is not a number`;
            return A.setLinkParam(docStore, link.id, f.field, n, direction); // refused with the reason, never clamped
          }}
        />
      ))}
    </section>
  );
}
