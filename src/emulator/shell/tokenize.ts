// Splits a command line into words the way sh(1) does for the simple commands a node
// terminal needs: blanks separate words, 'single' quotes are literal, "double" quotes
// allow \" \\ \$ escapes, a backslash escapes one character, `#` starts a comment, and
// `;` separates commands, `&` too and runs the one before it in the background. No
// expansion, pipes, `&&` or redirection. Never throws.

/** `background[i]`: commands[i] ended with `&`. */
export type TokenizeResult = { ok: true; commands: string[][]; background: boolean[] } | { ok: false; error: string };

export function tokenize(line: string): TokenizeResult {
  const commands: string[][] = [];
  const background: boolean[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
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
      if (words.length) {
        commands.push(words);
        background.push(c === '&');
      }
      words = [];
      i++;
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
  if (words.length) {
    commands.push(words);
    background.push(false);
  }
  return { ok: true, commands, background };
}
