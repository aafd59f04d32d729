// Events tab: the run's log (drops with reasons, link changes, warnings, engine errors)
// newest last, with a traffic counter. Read-only; clicking an entry flashes its place.
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import type { RunStore } from './run-store';
import { formatClock } from './time-map';

export function EventsView({ store }: { store: RunStore }) {
  const log = useStore(store, (s) => s.log);
  const traffic = useStore(store, (s) => s.trafficCount);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [log]);
  return (
    <div className="run-events" ref={ref} data-testid="events">
      <div className="run-muted">{traffic} traffic events so far</div>
      {log.map((e) => (
        <div key={e.seq} className={`run-event ${e.kind}`} onClick={() => store.getState().flash({ node: e.node, link: e.link })}>
          <span className="run-event-time">{formatClock(e.timeNs)}</span>
          <span className="run-event-kind">{e.kind}</span>
          <span>{e.text}</span>
        </div>
      ))}
    </div>
  );
}
