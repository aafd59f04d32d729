// Splits a command line into words the way sh(1) does for the simple commands a node
// terminal needs: blanks separate words, 'single' quotes are literal, "double" quotes
// allow \" \\ \$ escapes, a backslash escapes one character, `#` starts a comment, and
// `;` separates commands, `&` too and runs the one before it in the background.
// Redirections: `> FILE`, `>> FILE`, `2> FILE`, `2>&1`, `< FILE` and here-documents
// `<< WORD` / `<<- WORD` (whose body the session collects from the next lines), and
// pipelines `a | b | c` (`pipes[i]`: the output of commands[i] is the input of the next).
// No expansion, `||` or `&&`. Never throws.

/** Where one command's standard streams go. */
export interface Redirect {
  out?: { path: string; append: boolean };
  err?: { path: string; append: boolean } | 'stdout';
  input?: string;
  /** A here-document: the body is the lines up to `delim`; `strip` (<<-) removes leading tabs. */
  heredoc?: { delim: string; strip: boolean };
}

/** `background[i]`: commands[i] ended with `&`; `redirects[i]`, present when any command has one; `pipes[i]`, present when any command pipes: commands[i] ended with `|`. */
export type TokenizeResult = { ok: true; commands: string[][]; background: boolean[]; redirects?: Redirect[]; pipes?: boolean[] } | { ok: false; error: string };

type RedirOp = '>' | '>>' | '<' | '<<' | '<<-';

export function tokenize(line: string): TokenizeResult {
  const commands: string[][] = [];
  const background: boolean[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  let redirs: Redirect[] | null = null;
  let cur: Redirect = {};
  let pending: { fd: number; op: RedirOp } | null = null;
  let pipes: boolean[] | null = null;
  /** The command before ended with `|`: this one must have words. */
  let afterPipe = false;
  const endWord = (): void => {
    if (inWord && pending !== null) {
      const { fd, op } = pending;
      pending = null;
      if (op === '<') cur.input = word;
      else if (op === '<<' || op === '<<-') cur.heredoc = { delim: word, strip: op === '<<-' };
      else if (fd === 2) cur.err = { path: word, append: op === '>>' };
      else cur.out = { path: word, append: op === '>>' };
    } else if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  /** Ends a command: its words and redirections. */
  const endCommand = (bg: boolean, pipe = false): string | null => {
    if (pending !== null) return 'Syntax error: redirection unexpected';
    if ((pipe || afterPipe) && !words.length) return afterPipe && !pipe ? 'Syntax error: end of file unexpected' : 'Syntax error: "|" unexpected';
    if (afterPipe && bg) return 'Syntax error: a pipeline cannot run in the background here';
    afterPipe = pipe;
    if (words.length) {
      commands.push(words);
      background.push(bg);
      if (pipe) (pipes ??= commands.slice(0, -1).map(() => false)).push(true);
      else pipes?.push(false);
      if (Object.keys(cur).length > 0) (redirs ??= commands.map(() => ({})))[commands.length - 1] = cur;
      else redirs?.push(cur);
    }
    cur = {};
    words = [];
    return null;
  };
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      endWord();
      i++;
    } else if (c === ';' || c === '&') {
      endWord();
      if (c === '&' && line[i + 1] === '&') return { ok: false, error: 'Syntax error: "&&" is not supported' };
      if (c === '&' && !words.length) return { ok: false, error: 'Syntax error: "&" unexpected' };
      const e = endCommand(c === '&');
      if (e !== null) return { ok: false, error: e };
      i++;
    } else if (c === '|') {
      endWord();
      if (line[i + 1] === '|') return { ok: false, error: 'Syntax error: "||" is not supported' };
      const e = endCommand(false, true);
      if (e !== null) return { ok: false, error: e };
      i++;
    } else if (c === '>' || c === '<') {
      const fd = inWord && word === '2' && c === '>' ? 2 : c === '>' ? 1 : 0;
      if (fd === 2) {
        word = '';
        inWord = false;
      } else endWord();
      if (pending !== null) return { ok: false, error: `Syntax error: "${c}" unexpected` };
      let op: RedirOp = c;
      i++;
      if (line[i] === c) {
        op = c === '>' ? '>>' : '<<';
        i++;
        if (op === '<<' && line[i] === '-') {
          op = '<<-';
          i++;
        }
      }
      if (op === '>' && line[i] === '&') {
        if (fd !== 2 || line[i + 1] !== '1') return { ok: false, error: 'Syntax error: only 2>&1 is supported' };
        cur.err = 'stdout';
        i += 2;
        continue;
      }
      pending = { fd, op };
    } else if (c === '#' && !inWord) {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return { ok: false, error: 'Syntax error: Unterminated quoted string' };
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= line.length) return { ok: false, error: 'Syntax error: Unterminated quoted string' };
        const d = line[j];
        if (d === '"') break;
        if (d === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1])) {
          word += line[j + 1];
          j += 2;
        } else {
          word += d;
          j++;
        }
      }
      inWord = true;
      i = j + 1;
    } else if (c === '\\') {
      if (i + 1 < line.length) word += line[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  endWord();
  const e = endCommand(false);
  if (e !== null) return { ok: false, error: e };
  const r: TokenizeResult = redirs === null ? { ok: true, commands, background } : { ok: true, commands, background, redirects: redirs };
  if (pipes !== null) r.pipes = pipes;
  return r;
}
