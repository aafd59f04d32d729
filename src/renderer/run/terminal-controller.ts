// One terminal's input side: feeds keys to the line editor, runs what it asks (exec,
// interrupt, suspend, complete, clear) through the run store, and hands the shell's prompt back
// to it when a command finishes, so type-ahead runs in order after the prompt. No xterm,
// no DOM: TerminalView binds it to xterm; tests drive it with strings.

import { LineEditor, type CompletionResult, type EditorOutput } from './line-editor';

export interface TerminalActions {
  exec(line: string): void;
  /** A line typed for the running command's standard input. */
  stdin(text: string): void;
  interrupt(): void;
  /** Ctrl-Z: stop the running command. */
  suspend(): void;
  complete(line: string, cursor: number): Promise<CompletionResult | null>;
  clear(): void;
}

export class TerminalController {
  readonly editor: LineEditor;
  private disposed = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly actions: TerminalActions,
    prompt: string,
    busy: boolean,
    reading = false,
  ) {
    this.editor = new LineEditor(prompt);
    if (busy) this.editor.setRunning();
    if (busy && reading) this.editor.setReading(true);
  }

  /** Keys or a paste from the terminal. */
  input(data: string): void {
    this.apply(this.editor.feed(data));
  }

  /** The running command started or stopped reading standard input. */
  stdin(open: boolean): void {
    this.apply(this.editor.setReading(open));
  }

  /** The shell finished a line and shows `prompt`. */
  done(prompt: string): void {
    this.apply(this.editor.ready(prompt));
  }

  dispose(): void {
    this.disposed = true;
  }

  private apply(out: EditorOutput): void {
    if (this.disposed) return;
    if (out.write) this.write(out.write);
    for (const a of out.actions) {
      switch (a.kind) {
        case 'submit':
          this.actions.exec(a.line);
          break;
        case 'interrupt':
          this.actions.interrupt();
          break;
        case 'suspend':
          this.actions.suspend();
          break;
        case 'stdin':
          this.actions.stdin(a.text);
          break;
        case 'clear':
          this.actions.clear();
          break;
        case 'complete':
          this.actions.complete(a.line, a.cursor).then(
            (r) => this.apply(this.editor.completed(r)),
            () => this.apply(this.editor.completed(null)),
          );
          break;
        default:
          a satisfies never;
      }
    }
  }
}
