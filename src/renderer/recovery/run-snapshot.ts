// What a run showed, condensed for a recovery snapshot: each shell's transcript (tail), each
// capture's latest frame summaries and the event log, all bounded by RECOVERY_LIMITS. Also a
// cheap key that changes whenever any of it does. Reads the run store; never changes it.
import type { RunStore } from '../run/run-store';
import { emptyRun, RECOVERY_LIMITS as L, type RecoveredRun } from '../../shared/recovery';

export interface RunSource {
  /** Changes whenever the run's output changes. */
  key(): string;
  snapshot(): RecoveredRun;
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
const tail = (s: string, n: number) => (s.length > n ? s.slice(s.length - n) : s);
const clipName = (s: string) => clip(s, 255);

export function runSourceOf(store: RunStore): RunSource {
  return {
    key() {
      const s = store.getState();
      const shells = s.terminals.map((t) => `${t.session}:${store.shells.transcript(t.session).length}`).join(',');
      return `${shells}|${s.captureVersion}|${s.log.at(-1)?.seq ?? 0}`;
    },
    snapshot() {
      const s = store.getState();
      const run = emptyRun();
      run.terminals = s.terminals.slice(-L.terminals).map((t) => ({ node: clipName(t.nodeName), transcript: tail(store.shells.transcript(t.session), L.transcriptChars) }));
      run.captures = [...store.captureMap.values()].slice(-L.captures).map((c) => ({
        name: clipName(c.name),
        frames: c.rows.length,
        rows: c.rows.slice(-L.captureRows).map((r) => clip(`${r.no} ${(r.timeNs / 1e9).toFixed(6)} ${r.where} ${r.src} → ${r.dst} ${r.proto} ${r.info}`, L.lineChars)),
      }));
      run.log = s.log.slice(-L.logLines).map((e) => clip(`${(e.timeNs / 1e9).toFixed(6)} ${e.kind}: ${e.text}`, L.lineChars));
      return run;
    },
  };
}

/** A run with nothing to show (no run mode, or before the first start). */
export const NO_RUN: RunSource = { key: () => '', snapshot: emptyRun };

/** The run output as plain text, for "Save run output…". */
export function runOutputText(run: RecoveredRun): string {
  const parts: string[] = [];
  for (const t of run.terminals) parts.push(`=== shell ${t.node} ===\n${t.transcript.replace(/\r\n/g, '\n')}`);
  for (const c of run.captures) parts.push(`=== capture ${c.name} (${c.frames} frames, latest shown) ===\n${c.rows.join('\n')}`);
  if (run.log.length) parts.push(`=== events ===\n${run.log.join('\n')}`);
  return parts.join('\n\n') + '\n';
}
