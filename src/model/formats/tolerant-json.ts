import type { ParseResult } from '../annotation-schema';

/**
 * JSON as Java's Gson writes it for QuPath: `NaN`, `Infinity` and `-Infinity` may stand bare
 * where a number goes (a measurement that could not be computed). They are read as null, so the
 * schema refuses them wherever a finite number is required (coordinates) and tolerates them
 * where it is not (measurements), instead of the whole file failing to parse.
 */
export function parseJsonTolerant(text: string): ParseResult<unknown> {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    // Only if plain JSON fails: the rewrite walks every character.
  }
  const fixed = replaceBareSpecials(text);
  try {
    return { value: JSON.parse(fixed) as unknown };
  } catch (e) {
    return { error: `not valid JSON (${describeJsonError(e, text)})` };
  }
}

/** Bare NaN / Infinity / -Infinity outside strings → null; everything else as it was. */
function replaceBareSpecials(text: string): string {
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92) i++; // backslash: skip the escaped character
      else if (ch === 34) inString = false;
      continue;
    }
    if (ch === 34) {
      inString = true;
      continue;
    }
    const word = text.startsWith('NaN', i) ? 'NaN' : text.startsWith('-Infinity', i) ? '-Infinity' : text.startsWith('Infinity', i) ? 'Infinity' : '';
    if (word) {
      out += `${text.slice(from, i)}null`;
      i += word.length - 1;
      from = i + 1;
    }
  }
  return out + text.slice(from);
}

/** "line 3, column 14: Unexpected token …" where the engine says where. */
function describeJsonError(e: unknown, text: string): string {
  const msg = e instanceof Error ? e.message : String(e);
  const at = /position (\d+)/.exec(msg);
  if (!at) return msg;
  const pos = Number(at[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `line ${line}, column ${col}: ${msg.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')}`;
}
