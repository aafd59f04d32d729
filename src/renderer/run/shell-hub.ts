// Routes shell/output and shell/done events to the terminal view of each session, and
// buffers what arrives before (or while) a view is attached, e.g. when its tab is hidden.
// Must not edit lines (line-editor.ts does) nor talk to the engine.

export interface ShellSink {
  write(text: string): void;
  done(exitCode: number, prompt: string): void;
  /** The running command reads (or stopped reading) what the user types. */
  stdin?(open: boolean): void;
}

interface Session {
  sink: ShellSink | null;
  /** Output not yet written to a sink. */
  pending: string[];
  prompt: string;
  busy: boolean;
  /** The running command reads standard input (shell/stdin). */
  reading: boolean;
  /** Everything written, for tests and re-attaching views (bounded). */
  transcript: string;
}

const TRANSCRIPT_MAX = 200_000;

export class ShellHub {
  private readonly sessions = new Map<number, Session>();

  open(session: number, banner: string, prompt: string): void {
    const text = (banner ? banner.replace(/\r?\n/g, '\r\n') + (banner.endsWith('\n') ? '' : '\r\n') : '') + prompt;
    this.sessions.set(session, { sink: null, pending: [text], prompt, busy: false, reading: false, transcript: text });
  }

  attach(session: number, sink: ShellSink): () => void {
    const s = this.sessions.get(session);
    if (!s) return () => undefined;
    s.sink = sink;
    for (const t of s.pending) sink.write(t);
    s.pending = [];
    return () => {
      if (s.sink === sink) s.sink = null;
    };
  }

  output(session: number, text: string): void {
    const s = this.sessions.get(session);
    if (!s) return;
    const t = text.replace(/\r?\n/g, '\r\n');
    this.record(s, t);
    if (s.sink) s.sink.write(t);
    else s.pending.push(t);
  }

  done(session: number, exitCode: number, prompt: string): void {
    const s = this.sessions.get(session);
    if (!s) return;
    s.busy = false;
    s.reading = false;
    if (prompt) s.prompt = prompt;
    this.record(s, s.prompt);
    if (s.sink) s.sink.done(exitCode, s.prompt);
    else s.pending.push(s.prompt);
  }

  /** After a step back: a divider, then the shell's output as it was then (the engine's transcript). */
  rewound(session: number, heading: string, text: string): void {
    this.output(session, `\n\x1b[2m── ${heading} ──\x1b[0m\n${text}`);
  }

  stdin(session: number, open: boolean): void {
    const s = this.sessions.get(session);
    if (!s) return;
    s.reading = open;
    s.sink?.stdin?.(open);
  }

  isReading(session: number): boolean {
    return this.sessions.get(session)?.reading ?? false;
  }

  busy(session: number): void {
    const s = this.sessions.get(session);
    if (s) s.busy = true;
  }

  isBusy(session: number): boolean {
    return this.sessions.get(session)?.busy ?? false;
  }

  prompt(session: number): string {
    return this.sessions.get(session)?.prompt ?? '';
  }

  /** What the session printed so far (banner, prompts, output; not the user's echo). */
  transcript(session: number): string {
    return this.sessions.get(session)?.transcript ?? '';
  }

  close(session: number): void {
    this.sessions.delete(session);
  }

  closeAll(): void {
    this.sessions.clear();
  }

  private record(s: Session, t: string): void {
    s.transcript += t;
    if (s.transcript.length > TRANSCRIPT_MAX) s.transcript = s.transcript.slice(-TRANSCRIPT_MAX);
  }
}
