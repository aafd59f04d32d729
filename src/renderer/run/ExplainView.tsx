// Explain view (simulation mode): the selected event's node decision as a sentence a
// student reads, then its steps by layer (link → network → transport → app, as the frame
// went up and back down), the decision data itself, and the packet as the node received
// it and as it sent it: decoded tree and hex (the capture view's components) with the
// fields and bytes that changed marked (TTL and checksum on a router, a NAT rewrite).
// Sentences come from the one pure module (engine/explain-text.ts); this view only lays them out.
import { useMemo, useState } from 'react';
import type { TrafficEvent } from '../../emulator/engine/protocol';
import { explainSentence, stepText } from '../../emulator/engine/explain-text';
import { decodeFrame } from '../../emulator/wire/decode';
import { FieldTree, HexDump } from './CaptureView';
import { changedBytes, changedFieldNames, comparable, fieldChanged, type FramePair } from './explain-frames';
import type { FieldPath } from './hex-map';
import { formatClock } from './time-map';

const LAYERS = [
  ['app', 'Application'],
  ['transport', 'Transport'],
  ['network', 'Network'],
  ['link', 'Link'],
] as const;

export function ExplainView({ event, nodeName, frames }: { event: TrafficEvent; nodeName: string; frames: FramePair }) {
  const d = event.decision;
  const opener = frames.received ?? event;
  return (
    <div className="run-explain" data-testid="explain">
      <div className="run-explain-head">
        {formatClock(event.timeNs)} · {nodeName} · {event.action}
        {event.reason ? ` (${event.reason})` : ''}
      </div>
      {d === undefined ? (
        <p className="run-muted" data-testid="explain-sentence">
          No decision recorded for this event: turn on “Explain decisions” and the next frames will carry one.
        </p>
      ) : (
        <>
          <p className="run-explain-sentence" data-testid="explain-sentence">
            {explainSentence({ node: nodeName, proto: opener.proto, summary: opener.summary }, d)}
          </p>
          <div className="run-explain-layers">
            {LAYERS.map(([layer, label]) => {
              const steps = d.steps.filter((s) => s.layer === layer);
              return (
                <div key={layer} className={`run-explain-layer${steps.length ? '' : ' empty'}`} data-testid={`explain-layer-${layer}`}>
                  <span className="run-explain-layer-name">{label}</span>
                  <ul>
                    {steps.length ? steps.map((s, i) => <li key={i}>{stepText(s)}</li>) : <li className="run-muted">—</li>}
                  </ul>
                </div>
              );
            })}
          </div>
          <details>
            <summary>Decision data</summary>
            <pre data-testid="explain-data">{JSON.stringify(d.steps, null, 1)}</pre>
          </details>
        </>
      )}
      <BeforeAfter frames={frames} event={event} />
    </div>
  );
}

/** The received and the sent frame, each as tree and hex, with what differs between them marked. */
function BeforeAfter({ frames, event }: { frames: FramePair; event: TrafficEvent }) {
  const { received, sent } = frames;
  const a = received?.bytes;
  const b = sent?.bytes;
  const same = comparable(frames);
  const changed = useMemo(() => (same && a !== undefined && b !== undefined ? changedBytes(a, b) : null), [same, a, b]);
  const sentTree = useMemo(() => (b !== undefined ? decodeFrame(b) : []), [b]);
  const names = changed !== null ? changedFieldNames(sentTree, changed) : [];
  if (received === null && sent === null) return null;
  if (a === undefined && b === undefined) {
    return (
      <p className="run-explain-frame run-muted" data-testid="explain-no-bytes">
        {event.proto.toUpperCase()} · {event.lengthBytes} bytes · {event.summary}
        <br />
        The frame’s bytes were not kept for this event (they are kept while “Explain decisions” is on, for the newest 50,000 events).
      </p>
    );
  }
  return (
    <div className="run-explain-frames" data-testid="explain-frames">
      {changed !== null ? (
        <p className="run-explain-diff" data-testid="explain-diff">
          {names.length === 0 ? 'Sent unchanged.' : `Changed on the way through: ${names.join(', ')}.`}
        </p>
      ) : null}
      {received !== null ? <FrameSide title={`Received on ${received.iface ?? '?'}`} e={received} changed={changed} testid="explain-before" /> : null}
      {!same && received !== null && sent !== null && sent.proto === 'arp' && received.proto !== 'arp' ? (
        <p className="run-explain-diff" data-testid="explain-held">The packet waits for the next hop’s MAC address: what the node sent at once is its ARP request.</p>
      ) : null}
      {sent !== null ? (
        <FrameSide title={`${sent.action === 'fwd' ? 'Forwarded' : 'Sent'} on ${sent.iface ?? '?'}`} e={sent} changed={changed} testid="explain-after" />
      ) : received !== null ? (
        <p className="run-muted" data-testid="explain-after-none">Nothing sent: {event.action === 'drop' ? `dropped (${event.reason ?? 'dropped'})` : 'the frame ended here'}.</p>
      ) : null}
    </div>
  );
}

function FrameSide({ title, e, changed, testid }: { title: string; e: TrafficEvent; changed: Uint8Array | null; testid: string }) {
  const [path, setPath] = useState<FieldPath | null>(null);
  const bytes = e.bytes;
  const tree = useMemo(() => (bytes !== undefined ? decodeFrame(bytes) : []), [bytes]);
  // Layers with nothing changed start folded (all open when there is nothing to compare).
  const folded = changed === null ? [] : tree.flatMap((f, i) => (fieldChanged(f, changed) ? [] : [String(i)]));
  return (
    <section className="run-explain-side" data-testid={testid}>
      <h4>
        {title} · {e.lengthBytes} bytes · <span className="run-muted">{e.summary}</span>
      </h4>
      {bytes === undefined ? (
        <p className="run-muted">Bytes not kept for this event.</p>
      ) : (
        <>
          <FieldTree key={`${e.frame}:${e.timeNs}:${testid}`} tree={tree} path={path} onSelect={setPath} changed={changed} initiallyCollapsed={folded} />
          <HexDump bytes={bytes} tree={tree} path={path} onSelect={setPath} changed={changed} />
        </>
      )}
    </section>
  );
}
