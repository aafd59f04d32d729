// Mounts the lab in the editor: binds the app's lab session to the document store once,
// records the commands run in shells and (every few seconds) the shells' transcripts into
// the lab's work record, and shows the lab pane when the open document carries a lab.
import { useEffect, useState } from 'react';
import { useDoc, useServices } from '../app-context';
import { onRunCommand, runStore } from '../run/use-run';
import { bindLab, type LabSession } from './lab-session';
import { workerGrader } from './lab-grader';
import type { LabGrader } from './lab-store';
import { LabPane } from './LabPane';
import { labStore, setLabSession } from './use-lab';

export const TRANSCRIPT_SYNC_MS = 2000;

/** The shells' transcripts joined per node name. */
function transcriptsByNode(): Record<string, string> {
  const st = runStore.getState();
  const out: Record<string, string> = {};
  for (const t of st.terminals) out[t.nodeName] = (out[t.nodeName] ? `${out[t.nodeName]}\n` : '') + st.transcriptText(t.session);
  return out;
}

export function LabSlot({ grader: given }: { grader?: LabGrader }) {
  const s = useServices();
  const hasLab = useDoc((d) => !!d.doc.lab);
  const [bound, setBound] = useState<{ session: LabSession; grader: LabGrader } | null>(null);
  useEffect(() => {
    const grader = given ?? workerGrader();
    const session = bindLab({ docStore: s.docStore, labStore, grader });
    setLabSession(session);
    setBound({ session, grader });
    const offCommand = onRunCommand((node, line) => session.recordCommand(node, line));
    const timer = setInterval(() => {
      if (s.docStore.getState().doc.lab && runStore.getState().terminals.length) session.recordTranscripts(transcriptsByNode());
    }, TRANSCRIPT_SYNC_MS);
    return () => {
      clearInterval(timer);
      offCommand();
      session.dispose();
      setLabSession(null);
    };
  }, [s, given]);
  if (!hasLab || !bound) return null;
  return <LabPane labStore={labStore} session={bound.session} grader={bound.grader} />;
}
