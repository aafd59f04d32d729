// Time control bar of run mode: play/pause, single step, speed (0.01×–1× log slider plus
// "max"), the virtual clock (s.ms.µs, redrawn each animation frame) and the protocol
// colour legend. Must not hold time itself: the engine's clock events are the truth.
import { useEffect, useRef, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { LEGEND, PROTO_COLORS } from './packet-animator';
import type { RunStore } from './run-store';
import { formatSpeed, sliderToSpeed, speedToSlider } from './time-map';

/** `extra`: controls the panel adds after Step (Save as scenario). */
export function RunToolbar({ store, extra }: { store: RunStore; extra?: ReactNode }) {
  const status = useStore(store, (s) => s.status);
  const playing = useStore(store, (s) => s.playing);
  const speed = useStore(store, (s) => s.speed);
  const clockRef = useRef<HTMLSpanElement>(null);
  const disabled = status !== 'running';

  useEffect(() => {
    let raf = 0;
    const tick = () => {
      raf = requestAnimationFrame(tick);
      const text = store.getState().clockText();
      if (clockRef.current && clockRef.current.textContent !== text) clockRef.current.textContent = text;
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [store]);

  const s = store.getState();
  return (
    <div className="run-toolbar" data-testid="run-toolbar">
      {playing ? (
        <button disabled={disabled} onClick={() => void s.pause()} title="Pause" data-testid="run-pause">❚❚ Pause</button>
      ) : (
        <button disabled={disabled} onClick={() => void s.play()} title="Play" data-testid="run-play">▶ Play</button>
      )}
      <button disabled={disabled} onClick={() => void s.stepBack(1)} title="Go back one frame event: the network as it was then" data-testid="run-back">‹ Back</button>
      <button disabled={disabled} onClick={() => void s.step()} title="Run to the next frame hop and show it" data-testid="run-step">Step ›</button>
      {extra}
      <label className="run-speed">
        Speed
        <input
          type="range" min={0} max={1} step={0.01}
          value={speedToSlider(speed === 'max' ? 1 : speed)}
          disabled={disabled}
          aria-label="Speed"
          aria-valuetext={formatSpeed(speed)}
          onChange={(e) => void s.setSpeed(sliderToSpeed(Number(e.target.value)))}
          data-testid="run-speed"
        />
        <span className="run-speed-value" data-testid="run-speed-value">{formatSpeed(speed)}</span>
      </label>
      <button disabled={disabled} className={speed === 'max' ? 'active' : undefined} onClick={() => void s.setSpeed(speed === 'max' ? 1 : 'max')} title="As fast as possible" data-testid="run-max">max</button>
      <span className="run-clock" title="Virtual time (s.ms.µs)">
        t = <span ref={clockRef} data-testid="run-clock">0.000000 s</span>
      </span>
      <span className="run-legend">
        {LEGEND.map((l) => (
          <span key={l.proto} className="run-legend-item"><i style={{ background: PROTO_COLORS[l.proto] }} />{l.label}</span>
        ))}
        <span className="run-legend-item"><i className="drop">✕</i>drop</span>
      </span>
    </div>
  );
}
