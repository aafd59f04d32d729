// Line editing for node terminals: turns xterm key data into an edited line (left/right,
// backspace/delete, home/end, Ctrl-A/E/U/K), history (up/down), Tab completion and actions
// (submit, interrupt, suspend, complete). Input typed while a command runs (or a completion
// is on its way) is kept in order, as a tty's input queue, and edited and echoed after the
// next prompt; Ctrl-C interrupts, Ctrl-Z stops the command and, as a tty does on VINTR and
// VSUSP, either flushes that queue.
// Pure: returns the text to write; never touches xterm or the engine.

export type EditorAction =
  | { kind: 'submit'; line: string }
  | { kind: 'interrupt' }
  /** Ctrl-Z while a command runs: stop it (the shell makes it a job). */
  | { kind: 'suspend' }
  /** A line typed for the running command's standard input (with its newline). */
  | { kind: 'stdin'; text: string }
  | { kind: 'clear' }
  /** Ask the shell what the word before `cursor` could become; answer with completed(). */
  | { kind: 'complete'; line: string; cursor: number };

export interface EditorOutput {
  /** Escape sequences / text to write to the terminal. */
  write: string;
  actions: EditorAction[];
}

/** The shell's answer to a `complete` action (the engine's `shell/complete` result). */
export interface CompletionResult {
  from: number;
  candidates: string[];
}

/** `ready`: editing; `running`: a command runs; `completing`: waiting for completion candidates. */
export type EditorState = 'ready' | 'running' | 'completing';

const HISTORY_MAX = 200;
/** Type-ahead kept while a command runs (characters); more is dropped, as a full tty queue. */
export const TYPEAHEAD_MAX = 65_536;
const BELL = '\x07';
/** Keys that signal the running command, as a tty's VINTR (Ctrl-C) and VSUSP (Ctrl-Z): echo and action. */
const SIGNAL_KEYS: ReadonlyMap<string, { echo: string; kind: 'interrupt' | 'suspend' }> = new Map([
  ['\x03', { echo: '^C', kind: 'interrupt' }],
  ['\x1a', { echo: '^Z', kind: 'suspend' }],
] as const);

export class LineEditor {
  private buffer = '';
  private cursor = 0;
  private readonly history: string[] = [];
  /** Index into history while browsing; history.length = the line being typed. */
  private browse = 0;
  private draft = '';
  private mode: EditorState = 'ready';
  /** Keys not yet acted on (typed while running or completing). */
  private typeahead = '';
  /** The previous key was a Tab that left several candidates: a second Tab lists them. */
  private tabAgain = false;
  /** The running command reads standard input (setReading), and the line typed for it so far. */
  private reading = false;
  private stdinLine = '';
  /** Terminal width, for listing completion candidates in columns. */
  columns = 80;

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

  get state(): EditorState {
    return this.mode;
  }

  /** Input waiting to be edited once the running command finishes. */
  get pendingInput(): string {
    return this.typeahead;
  }

  /** A command is running (e.g. when a view attaches to a busy session). */
  setRunning(): void {
    this.mode = 'running';
  }

  /**
   * The running command reads standard input (nc) or stopped: while it does, keys are
   * edited as a tty in canonical mode does (echo, backspace, Enter sends the line, Ctrl-C
   * interrupts, Ctrl-Z stops) and never become shell type-ahead.
   */
  setReading(on: boolean): EditorOutput {
    const out: EditorOutput = { write: '', actions: [] };
    if (on === this.reading) return out;
    this.reading = on;
    if (on && this.mode === 'running') {
      const typed = this.typeahead;
      this.typeahead = '';
      this.stdinFeed(typed, out);
    } else if (!on && this.stdinLine !== '') {
      this.typeahead = this.stdinLine + this.typeahead;
      this.stdinLine = '';
    }
    return out;
  }

  /** Feeds xterm `onData` text; returns what to echo and what to do. */
  feed(data: string): EditorOutput {
    const out: EditorOutput = { write: '', actions: [] };
    if (this.mode === 'ready') this.process(data, out);
    else if (this.mode === 'running' && this.reading) this.stdinFeed(data, out);
    else this.queue(data, out);
    return out;
  }

  private stdinFeed(data: string, out: EditorOutput): void {
    for (let i = 0; i < data.length; ) {
      const seq = matchSequence(data, i);
      i += seq.length;
      const signal = SIGNAL_KEYS.get(seq);
      if (signal) {
        out.write += signal.echo;
        this.stdinLine = '';
        out.actions.push({ kind: signal.kind });
      } else if (seq === '\r' || seq === '\n') {
        out.write += '\r\n';
        out.actions.push({ kind: 'stdin', text: this.stdinLine + '\n' });
        this.stdinLine = '';
      } else if (seq === '\x04') {
        // Ctrl-D (VEOF): a partial line is sent as it is; on an empty line it is the end of
        // file, sent as the EOT character alone (the shell's EOF_INPUT).
        out.actions.push({ kind: 'stdin', text: this.stdinLine === '' ? '\x04' : this.stdinLine });
        this.stdinLine = '';
      } else if (seq === '\x7f' || seq === '\b') {
        if (this.stdinLine.length > 0) {
          this.stdinLine = this.stdinLine.slice(0, -1);
          out.write += '\b \b';
        }
      } else if (!seq.startsWith('\x1b') && seq >= ' ') {
        this.stdinLine += seq;
        out.write += seq;
      }
    }
  }

  /** The running command finished: write the prompt, then edit what was typed meanwhile. */
  ready(prompt: string): EditorOutput {
    this.prompt = prompt;
    this.mode = 'ready';
    this.reading = false;
    this.stdinLine = '';
    const out: EditorOutput = { write: prompt, actions: [] };
    this.drain(out);
    return out;
  }

  /** The shell's completion candidates arrived (null: none could be had). */
  completed(result: CompletionResult | null): EditorOutput {
    const out: EditorOutput = { write: '', actions: [] };
    if (this.mode !== 'completing') return out;
    this.mode = 'ready';
    this.applyCompletion(result, out);
    this.drain(out);
    return out;
  }

  private drain(out: EditorOutput): void {
    const data = this.typeahead;
    this.typeahead = '';
    this.process(data, out);
  }

  /** While not ready: keep keys in order; Ctrl-C / Ctrl-Z signal a running command and flush them. */
  private queue(data: string, out: EditorOutput): void {
    if (this.mode === 'running') data = this.signal(data, out);
    const room = TYPEAHEAD_MAX - this.typeahead.length;
    if (data.length > room) out.write += BELL;
    this.typeahead += data.slice(0, Math.max(0, room));
  }

  /**
   * Ctrl-C and Ctrl-Z among keys typed while a command runs: each echoes and is sent (a key
   * repeated in one chunk once, as a held key), and the keys before it are flushed, as a tty
   * flushes its input queue on VINTR and VSUSP. Returns the keys after the last one.
   */
  private signal(data: string, out: EditorOutput): string {
    let cut = -1;
    let sent = '';
    for (let i = 0; i < data.length; i++) {
      const key = data[i]!;
      const signal = SIGNAL_KEYS.get(key);
      if (!signal) continue;
      cut = i;
      if (key === sent) continue;
      sent = key;
      out.write += signal.echo;
      out.actions.push({ kind: signal.kind });
    }
    if (cut < 0) return data;
    this.typeahead = '';
    this.buffer = '';
    this.cursor = 0;
    return data.slice(cut + 1);
  }

  /** Acts on keys until one hands control away (a submit or a Tab); the rest is kept. */
  private process(data: string, out: EditorOutput): void {
    let i = 0;
    while (i < data.length) {
      if (this.mode !== 'ready') {
        this.queue(data.slice(i), out);
        return;
      }
      const seq = matchSequence(data, i);
      i += seq.length;
      this.key(seq, out);
    }
  }

  private key(seq: string, out: EditorOutput): void {
    const wasTab = this.tabAgain;
    this.tabAgain = false;
    if (seq === '\x03') {
      // Nothing runs: drop the line and show a fresh prompt, as sh does.
      out.write += `^C\r\n${this.prompt}`;
      this.buffer = '';
      this.cursor = 0;
      this.browse = this.history.length;
      return;
    }
    if (seq === '\t') {
      this.tabAgain = wasTab;
      this.mode = 'completing';
      out.actions.push({ kind: 'complete', line: this.buffer, cursor: this.cursor });
      return;
    }
    const before = this.buffer;
    const beforeCursor = this.cursor;
    switch (seq) {
      case '\r':
      case '\n':
        return this.submit(out);
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
      case '\x1a':
        // Ctrl-Z with nothing running: FreeBSD sh ignores SIGTSTP and libedit echoes nothing.
        return;
      case '\x0c':
        out.actions.push({ kind: 'clear' });
        out.write += '\x1b[2J\x1b[H' + this.redraw().slice(1);
        return;
      case '\x1b[A':
        this.historyMove(-1);
        break;
      case '\x1b[B':
        this.historyMove(1);
        break;
      default:
        if (seq.startsWith('\x1b') || (seq.length === 1 && seq < ' ')) return; // unknown control
        this.insert(seq);
    }
    if (before !== this.buffer || beforeCursor !== this.cursor) out.write += this.redraw();
  }

  private submit(out: EditorOutput): void {
    const line = this.buffer;
    out.write += '\r\n';
    this.buffer = '';
    this.cursor = 0;
    if (line.trim() === '') {
      // An empty line needs no shell: a new prompt at once.
      this.browse = this.history.length;
      out.write += this.prompt;
      return;
    }
    if (this.history[this.history.length - 1] !== line) {
      this.history.push(line);
      if (this.history.length > HISTORY_MAX) this.history.shift();
    }
    this.browse = this.history.length;
    this.mode = 'running';
    out.actions.push({ kind: 'submit', line });
  }

  private insert(text: string): void {
    this.buffer = this.buffer.slice(0, this.cursor) + text + this.buffer.slice(this.cursor);
    this.cursor += text.length;
  }

  /** bash's rules: one candidate completes the word (and a space); several complete their
   * common prefix, and a second Tab lists them; none rings the bell. */
  private applyCompletion(result: CompletionResult | null, out: EditorOutput): void {
    const from = result ? Math.max(0, Math.min(result.from, this.cursor)) : this.cursor;
    const word = this.buffer.slice(from, this.cursor);
    const matches = (result?.candidates ?? []).filter((c) => c.startsWith(word));
    if (matches.length === 0) {
      out.write += BELL;
      return;
    }
    const prefix = matches.length === 1 ? matches[0] + (this.buffer[this.cursor] === ' ' ? '' : ' ') : commonPrefix(matches);
    if (prefix.length > word.length || matches.length === 1) {
      this.buffer = this.buffer.slice(0, from) + prefix + this.buffer.slice(this.cursor);
      this.cursor = from + prefix.length;
      out.write += this.redraw();
      this.tabAgain = matches.length > 1;
      return;
    }
    if (!this.tabAgain) {
      out.write += BELL;
      this.tabAgain = true;
      return;
    }
    out.write += '\r\n' + columnize(matches, this.columns) + this.redraw().slice(1);
    this.tabAgain = true;
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

function commonPrefix(words: readonly string[]): string {
  let p = words[0] ?? '';
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** Candidates in columns across `width`, as bash lists them (each row ends with CRLF). */
export function columnize(words: readonly string[], width: number): string {
  const colWidth = Math.max(...words.map((w) => w.length)) + 2;
  const perRow = Math.max(1, Math.floor(width / colWidth));
  const rows = Math.ceil(words.length / perRow);
  let text = '';
  for (let r = 0; r < rows; r++) {
    let row = '';
    // Column-major, as bash prints them: read down, then across.
    for (let c = 0; c < perRow; c++) {
      const w = words[c * rows + r];
      if (w !== undefined) row += w.padEnd(colWidth);
    }
    text += row.trimEnd() + '\r\n';
  }
  return text;
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
