// Binds a lab to the editor: when a document with a `lab` section is opened it becomes the
// lab's starting network, the editor's guard refuses edits to locked parts (student mode)
// with the lock's own words (lab/locks.ts), the student's work is graded again shortly
// after every change, shell commands and transcripts are recorded into `lab.work` (so
// autosave and Submit carry them). No DOM; the grader and the clock are injected.
import { lockViolations } from '../../emulator/lab/locks';
import type { TopologyDoc } from '../../emulator/topology/document';
import { LAB_LIMITS, type LabDoc, type LabWork } from '../../emulator/topology/lab';
import type { DocStore, EditGuard } from '../store/doc-store';
import { countAttempt, initialLabState, type LabGrader, type LabMode, type LabStore } from './lab-store';

/** After an edit or a command, wait this long for more before grading again. */
export const LAB_SETTLE_MS = 700;

export interface LabSessionDeps {
  docStore: DocStore;
  labStore: LabStore;
  grader: LabGrader;
  settleMs?: number;
}

export interface LabSession {
  /** Grades the document now; `attempt` counts a "Check my work" press (hints). */
  check(attempt?: boolean): Promise<void>;
  setMode(mode: LabMode): void;
  /** A command the student ran in `node`'s shell. */
  recordCommand(node: string, command: string): void;
  /** The shells' transcripts by node name (kept as their tails). */
  recordTranscripts(byNode: Readonly<Record<string, string>>): void;
  dispose(): void;
}

/** The guard of a lab's locks: refuses an edit that breaks a lock the document kept so far. */
export function lockGuard(lab: LabDoc, start: TopologyDoc): EditGuard | null {
  const locks = lab.locks;
  if (!locks || !(locks.kinds || locks.links || locks.positions || locks.linkParams || locks.configs?.length)) return null;
  return (prev, next) => {
    const before = new Set(lockViolations(locks, start, prev));
    const added = lockViolations(locks, start, next).filter((v) => !before.has(v));
    return added.length ? `Locked by the lab: ${added[0]}.` : null;
  };
}

const EMPTY_WORK: LabWork = { commands: [], transcripts: {} };

/** `doc` with its lab's work record changed by `fn` (the same doc when it has no lab). */
export function withWork(doc: TopologyDoc, fn: (w: LabWork) => LabWork): TopologyDoc {
  if (!doc.lab) return doc;
  const w = fn(doc.lab.work ?? EMPTY_WORK);
  return w === doc.lab.work ? doc : { ...doc, lab: { ...doc.lab, work: w } };
}

const tail = (s: string, n: number) => (s.length > n ? s.slice(s.length - n) : s);

export function bindLab(d: LabSessionDeps): LabSession {
  const { docStore, labStore } = d;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  const installGuard = () => {
    const { mode, start } = labStore.getState();
    const lab = docStore.getState().doc.lab;
    docStore.getState().setGuard(lab && start && mode === 'student' ? lockGuard(lab, start) : null);
  };

  /** One grade of the document as it is now. */
  const gradeOnce = async (attempt: boolean): Promise<void> => {
    const s = labStore.getState();
    const doc = docStore.getState().doc;
    if (!doc.lab || !s.start) return;
    labStore.setState({ checking: true });
    try {
      const result = await d.grader({ lab: doc.lab, start: s.start, work: doc, commands: doc.lab.work?.commands ?? [] });
      if (disposed || (docStore.getState().doc.lab !== doc.lab && !sameLab(docStore.getState().doc.lab, doc.lab))) return;
      labStore.setState({ result, gradedDoc: doc, error: null });
      if (attempt) {
        const counted = countAttempt(labStore.getState(), result);
        labStore.setState(counted);
        // Kept in the work record, so released hints survive a reload.
        docStore.getState().amend((x) => withWork(x, (w) => ({ ...w, failures: { ...counted.failures } })));
      }
    } catch (err) {
      labStore.setState({ error: err instanceof Error ? err.message : String(err) });
    } finally {
      labStore.setState({ checking: false });
    }
  };

  // One grade at a time; a request during one waits for it and then grades the document as
  // it is then (requests meanwhile share that grade), so a caller's promise resolves only
  // once a grade has seen every change made before the call.
  let running: Promise<void> | null = null;
  let queued: { attempt: boolean; promise: Promise<void> } | null = null;
  const check = (attempt = false): Promise<void> => {
    if (disposed) return Promise.resolve();
    if (running) {
      if (queued) {
        queued.attempt ||= attempt;
        return queued.promise;
      }
      const q: { attempt: boolean; promise: Promise<void> } = { attempt, promise: Promise.resolve() };
      q.promise = running.then(() => {
        queued = null;
        return check(q.attempt);
      });
      queued = q;
      return q.promise;
    }
    running = gradeOnce(attempt).finally(() => {
      running = null;
    });
    return running;
  };

  const soon = () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void check();
    }, d.settleMs ?? LAB_SETTLE_MS);
  };

  const opened = (doc: TopologyDoc) => {
    // Always student mode: a student's work fills the hidden fields too, so they cannot tell
    // a teacher's answer apart; the teacher switches.
    labStore.setState({ ...initialLabState(), start: doc.lab ? doc : null, failures: { ...(doc.lab?.work?.failures ?? {}) } });
    installGuard();
    if (doc.lab) void check();
  };

  const unsubscribe = docStore.subscribe((next, prev) => {
    if (next.file !== prev.file && next.past.length === 0 && next.doc === next.savedDoc && next.savedDoc !== prev.savedDoc) opened(next.doc);
    else if (next.doc !== prev.doc && next.doc.lab) {
      if (next.doc.lab !== prev.doc.lab && !labStore.getState().start) opened(next.doc);
      else soon();
    } else if (next.doc !== prev.doc && prev.doc.lab && !next.doc.lab) opened(next.doc);
  });
  opened(docStore.getState().doc);

  return {
    check,
    setMode(mode) {
      labStore.setState({ mode });
      installGuard();
    },
    recordCommand(node, command) {
      const line = command.trim();
      if (!line || line.length > LAB_LIMITS.MAX_COMMAND_CHARS || !docStore.getState().doc.lab) return;
      docStore.getState().amend((doc) => withWork(doc, (w) => ({ ...w, commands: [...w.commands, { node, command: line }].slice(-LAB_LIMITS.MAX_WORK_COMMANDS) })));
    },
    recordTranscripts(byNode) {
      if (!docStore.getState().doc.lab) return;
      docStore.getState().amend((doc) =>
        withWork(doc, (w) => {
          const names = Object.keys(byNode).slice(0, LAB_LIMITS.MAX_TRANSCRIPTS);
          const kept = { ...w.transcripts };
          let changed = false;
          for (const n of names) {
            const t = tail(byNode[n]!, LAB_LIMITS.MAX_TRANSCRIPT_CHARS);
            if (kept[n] !== t) (kept[n] = t), (changed = true);
          }
          return changed && Object.keys(kept).length <= LAB_LIMITS.MAX_TRANSCRIPTS ? { ...w, transcripts: kept } : w;
        }),
      );
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      unsubscribe();
      docStore.getState().setGuard(null);
    },
  };
}

/** The same lab apart from the student's work record (a recorded command is no new lab). */
function sameLab(a: LabDoc | undefined, b: LabDoc | undefined): boolean {
  if (!a || !b) return a === b;
  return a.checks === b.checks && a.instructions === b.instructions && a.locks === b.locks;
}

/** Commands that only look or wait (they configure nothing), left out when work is replayed at Start. */
const LOOK_ONLY = new Set(['ping', 'ping6', 'traceroute', 'traceroute6', 'tcpdump', 'nc', 'iperf3', 'iperf', 'telnet', 'sleep', 'top', 'netstat', 'cat', 'ls', 'help', 'history', 'clear', 'man', 'arp', 'ndp', 'show']);

/**
 * The network to start for a lab: the lab's setup commands, then the student's recorded
 * configuring commands, appended to each node's startup list, so a network started again
 * (after a reload or a crash) is configured as the student left it and as the grader sees it.
 */
export function labRunDoc(doc: TopologyDoc): TopologyDoc {
  const lab = doc.lab;
  if (!lab || (!lab.setup?.length && !lab.work?.commands.length)) return doc;
  const extra = new Map<string, string[]>();
  const add = (node: string, line: string) => extra.set(node, [...(extra.get(node) ?? []), line]);
  for (const c of lab.setup ?? []) add(c.node, c.command);
  for (const c of lab.work?.commands ?? []) {
    const word = c.command.trim().split(/\s+/)[0] ?? '';
    if (!LOOK_ONLY.has(word)) add(c.node, c.command);
  }
  return { ...doc, nodes: doc.nodes.map((n) => (extra.has(n.name) ? { ...n, startup: [...(n.startup ?? []), ...extra.get(n.name)!] } : n)) };
}
