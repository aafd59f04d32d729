// Tokenizer for the classic IMUNES 2.x .imn format, which is a Tcl script: commands are
// words separated by blanks and ended by newlines; `{…}` groups words verbatim (nested).
// Only splits text; does not interpret commands. Reports unbalanced braces with a line.

export interface TclWord {
  text: string;
  braced: boolean;
  /** 1-based line where the word starts. */
  line: number;
}

export interface TclCommand {
  words: TclWord[];
  line: number;
}

export class TclSyntaxError {
  constructor(readonly message: string, readonly line: number) {}
}

/**
 * Split a script into commands. `firstLine` is the line number of the script's first
 * character in the file, so nested bodies keep file-accurate line numbers.
 */
export function splitCommands(script: string, firstLine = 1): TclCommand[] {
  const out: TclCommand[] = [];
  let line = firstLine;
  let i = 0;
  let cur: TclWord[] = [];
  const flush = () => {
    if (cur.length > 0) out.push({ words: cur, line: cur[0]!.line });
    cur = [];
  };
  while (i < script.length) {
    const c = script[i]!;
    if (c === '\n' || c === ';') {
      if (c === '\n') line++;
      flush();
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#' && cur.length === 0) {
      while (i < script.length && script[i] !== '\n') i++;
    } else if (c === '{') {
      const start = line;
      let depth = 1;
      let j = i + 1;
      while (j < script.length && depth > 0) {
        const d = script[j]!;
        if (d === '\\') j++;
        else if (d === '{') depth++;
        else if (d === '}') depth--;
        if (script[j] === '\n') line++;
        j++;
      }
      if (depth > 0) throw new TclSyntaxError(`unbalanced "{" opened on line ${start}: the file is truncated or a "}" is missing`, line);
      cur.push({ text: script.slice(i + 1, j - 1), braced: true, line: start });
      i = j;
    } else if (c === '}') {
      throw new TclSyntaxError('unexpected "}"', line);
    } else {
      let j = i;
      while (j < script.length && !' \t\r\n;'.includes(script[j]!)) j++;
      cur.push({ text: script.slice(i, j), braced: false, line });
      i = j;
    }
  }
  flush();
  return out;
}

/** Words of a Tcl list (`{a b} c` → ['a b', 'c']) without line tracking. */
export function tclList(text: string): string[] {
  try {
    return splitCommands(text.replace(/\n/g, ' ')).flatMap((c) => c.words.map((w) => w.text));
  } catch {
    return text.trim().split(/\s+/).filter(Boolean);
  }
}
