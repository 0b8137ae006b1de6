const CLOSE: Record<string, string> = { '<': '>', '(': ')' };

/**
 * A function's name as a console table shows it: a C++ symbol's template
 * arguments and parameters elided (`Map<…>::get(…) const`), so that a
 * column fits a terminal. JavaScript, builtin and other names are kept as
 * they are, and the JSON always keeps the whole name.
 */
export function displayName(name: string): string {
  if (!name.includes('::')) return name;
  let out = '';
  let i = 0;
  while (i < name.length) {
    const ch = name[i]!;
    const close = CLOSE[ch];
    // `operator<`, `operator()` and the like name the function; only what follows them is elided.
    if (close === undefined || out.endsWith('operator') || (ch === '<' && out.endsWith('operator<'))) {
      out += ch;
      i++;
      continue;
    }
    let depth = 0;
    let j = i;
    for (; j < name.length; j++) {
      if (name[j] === ch) depth++;
      else if (name[j] === close && --depth === 0) break;
    }
    if (j === name.length) return out + name.slice(i);
    out += `${ch}…${close}`;
    i = j + 1;
  }
  return out;
}
