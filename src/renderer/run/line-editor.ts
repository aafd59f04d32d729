// Line editing for node terminals: turns xterm key data into an edited line (left/right,
// backspace/delete, home/end, Ctrl-A/E/U/K), history (up/down) and actions (submit,
// interrupt). Pure: returns the text to write; never touches xterm or the engine.

export type EditorAction = { kind: 'submit'; line: string } | { kind: 'interrupt' } | { kind: 'clear' };

export interface EditorOutput {
  /** Escape sequences / text to write to the terminal. */
  write: string;
  actions: EditorAction[];
}

const HISTORY_MAX = 200;

export class LineEditor {
  private buffer = '';
  private cursor = 0;
  private readonly history: string[] = [];
  /** Index into history while browsing; history.length = the line being typed. */
  private browse = 0;
  private draft = '';
  /** A command is running: only Ctrl-C is acted on. */
  busy = false;

  constructor(private prompt = '') {}

  setPrompt(prompt: string): void {
    this.prompt = prompt;
  }

  get line(): string {
    return this.buffer;
  }

  get cursorPos(): number {
    return this.cursor;
  }

  /** Feeds xterm `onData` text; returns what to echo and what to do. */
  feed(data: string): EditorOutput {
    const out: EditorOutput = { write: '', actions: [] };
    let i = 0;
    while (i < data.length) {
      const seq = matchSequence(data, i);
      i += seq.length;
      this.key(seq, out);
    }
    return out;
  }

  private key(seq: string, out: EditorOutput): void {
    if (seq === '\x03') {
      out.write += '^C\r\n';
      this.buffer = '';
      this.cursor = 0;
      out.actions.push({ kind: 'interrupt' });
      return;
    }
    if (this.busy) return;
    const before = this.buffer;
    const beforeCursor = this.cursor;
    switch (seq) {
      case '\r':
      case '\n': {
        const line = this.buffer;
        out.write += '\r\n';
        if (line.trim() !== '' && this.history[this.history.length - 1] !== line) {
          this.history.push(line);
          if (this.history.length > HISTORY_MAX) this.history.shift();
        }
        this.browse = this.history.length;
        this.buffer = '';
        this.cursor = 0;
        out.actions.push({ kind: 'submit', line });
        return;
      }
      case '\x7f':
      case '\b':
        if (this.cursor > 0) {
          this.buffer = this.buffer.slice(0, this.cursor - 1) + this.buffer.slice(this.cursor);
          this.cursor--;
        }
        break;
      case '\x1b[3~':
        this.buffer = this.buffer.slice(0, this.cursor) + this.buffer.slice(this.cursor + 1);
        break;
      case '\x1b[D':
      case '\x02':
        this.cursor = Math.max(0, this.cursor - 1);
        break;
      case '\x1b[C':
      case '\x06':
        this.cursor = Math.min(this.buffer.length, this.cursor + 1);
        break;
      case '\x1b[H':
      case '\x1bOH':
      case '\x1b[1~':
      case '\x01':
        this.cursor = 0;
        break;
      case '\x1b[F':
      case '\x1bOF':
      case '\x1b[4~':
      case '\x05':
        this.cursor = this.buffer.length;
        break;
      case '\x15':
        this.buffer = this.buffer.slice(this.cursor);
        this.cursor = 0;
        break;
      case '\x0b':
        this.buffer = this.buffer.slice(0, this.cursor);
        break;
      case '\x0c':
        out.actions.push({ kind: 'clear' });
        out.write += '\x1b[2J\x1b[H' + this.prompt + this.buffer;
        return;
      case '\x1b[A':
        this.historyMove(-1);
        break;
      case '\x1b[B':
        this.historyMove(1);
        break;
      default:
        if (seq.startsWith('\x1b') || (seq.length === 1 && seq < ' ')) return; // unknown control
        this.buffer = this.buffer.slice(0, this.cursor) + seq + this.buffer.slice(this.cursor);
        this.cursor += seq.length;
    }
    if (before !== this.buffer || beforeCursor !== this.cursor) out.write += this.redraw();
  }

  private historyMove(delta: number): void {
    const next = Math.max(0, Math.min(this.history.length, this.browse + delta));
    if (next === this.browse) return;
    if (this.browse === this.history.length) this.draft = this.buffer;
    this.browse = next;
    this.buffer = next === this.history.length ? this.draft : this.history[next]!;
    this.cursor = this.buffer.length;
  }

  /** Rewrites the prompt line and puts the cursor where it belongs. */
  private redraw(): string {
    const back = this.buffer.length - this.cursor;
    return `\r${this.prompt}${this.buffer}\x1b[K` + (back > 0 ? `\x1b[${back}D` : '');
  }
}

/** One key: an escape sequence, or a run of printable text (a paste), or one control char. */
function matchSequence(data: string, i: number): string {
  const c = data[i]!;
  if (c === '\x1b') {
    const m = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(data.slice(i));
    return m ? m[0] : c;
  }
  if (c < ' ' || c === '\x7f') return c;
  let j = i;
  while (j < data.length && data[j]! >= ' ' && data[j] !== '\x7f') j++;
  return data.slice(i, j);
}
