// Explain view (simulation mode): the selected event's node decision as a sentence a
// student reads, then its steps by layer (link → network → transport → app, as the frame
// went up and back down), then the decision data itself. Sentences come from the one pure
// module (engine/explain-text.ts); this view only lays them out.
import type { TrafficEvent } from '../../emulator/engine/protocol';
import { explainSentence, stepText } from '../../emulator/engine/explain-text';
import { formatClock } from './time-map';

const LAYERS = [
  ['app', 'Application'],
  ['transport', 'Transport'],
  ['network', 'Network'],
  ['link', 'Link'],
] as const;

export function ExplainView({ event, nodeName, opener }: { event: TrafficEvent; nodeName: string; opener: TrafficEvent }) {
  const d = event.decision;
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
      <div className="run-explain-frame run-muted">
        {opener.proto.toUpperCase()} · {event.lengthBytes} bytes · {event.summary}
      </div>
    </div>
  );
}
