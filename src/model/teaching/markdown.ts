/**
 * The Markdown a teacher may write in tour text: paragraphs (split by blank lines), `- ` bullet
 * lists, `**bold**`, `*italic*` and `[links](https://…)`. The result is data, never HTML: the
 * view builds elements from it and sets their text, so `<script>` in a set file is shown as
 * the characters it is. Links are kept only for http(s) addresses; `javascript:`, `data:` and
 * anything else stay the text they were written as.
 *
 * Deliberately not Markdown: no nesting (bold inside a link is two asterisks and text), no
 * headings, code, images or HTML. A line break inside a paragraph is a space, as in Markdown.
 * A backslash before punctuation keeps it literal (`\*` is an asterisk).
 */

export type Inline =
  | { readonly type: 'text' | 'strong' | 'em'; readonly text: string }
  | { readonly type: 'link'; readonly text: string; readonly href: string };

export type Block = { readonly type: 'p'; readonly inlines: Inline[] } | { readonly type: 'ul'; readonly items: Inline[][] };

const BULLET = /^ {0,3}- +/;
const BLANK = /^\s*$/;

export function parseMarkdown(text: string): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let items: string[] | undefined;
  const endBlock = (): void => {
    if (para.length > 0) blocks.push({ type: 'p', inlines: parseInlines(para.join(' ')) });
    if (items) {
      const parsed = items.map(parseInlines).filter((i) => i.length > 0);
      if (parsed.length > 0) blocks.push({ type: 'ul', items: parsed });
    }
    para = [];
    items = undefined;
  };
  for (const raw of text.split(/\r\n?|\n/)) {
    if (BLANK.test(raw)) {
      endBlock();
      continue;
    }
    const line = raw.trim();
    const bullet = BULLET.exec(raw);
    if (bullet) {
      // A list may follow a paragraph's last line directly ("Look for:\n- mitoses").
      if (para.length > 0) endBlock();
      (items ??= []).push(raw.slice(bullet[0].length).trim());
    } else if (items) {
      // A plain line right under an item continues it, as Markdown's lazy continuation does.
      items[items.length - 1] += ` ${line}`;
    } else {
      para.push(line);
    }
  }
  endBlock();
  return blocks;
}

/** ASCII punctuation, which a backslash makes literal (CommonMark's rule). */
const ESCAPABLE = /[!-/:-@[-`{-~]/;
const HTTP = /^https?:\/\/[^\s]+$/i;
/** Far beyond any real address; keeps a hostile one from being carried around. */
const MAX_HREF = 2048;

function isHttpUrl(href: string): boolean {
  if (href.length > MAX_HREF || !HTTP.test(href) || !URL.canParse(href)) return false;
  const protocol = new URL(href).protocol;
  return protocol === 'http:' || protocol === 'https:';
}

/**
 * The index of the next unescaped `marker` at or after `from`, where `ok(index)` holds; -1 if
 * none. Every search runs forward to the next candidate only, so a line full of unmatched
 * asterisks stays linear.
 */
function findUnescaped(s: string, marker: string, from: number, ok: (i: number) => boolean = () => true): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length && ESCAPABLE.test(s[i + 1]!)) {
      i++;
      continue;
    }
    if (s.startsWith(marker, i) && ok(i)) return i;
  }
  return -1;
}

/** Resolves backslash escapes: `\*` → `*`; a backslash before anything else stays. */
function unescape(s: string): string {
  return s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Emphasis holds something and neither starts nor ends with a space: `2 * 3 * 4` is arithmetic. */
function emphasisOk(inner: string): boolean {
  return inner.length > 0 && !/^\s/.test(inner) && !/\s$/.test(inner);
}

function parseInlines(s: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const push = (inline: Inline): void => {
    if (text) out.push({ type: 'text', text: unescape(text) });
    text = '';
    out.push(inline);
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length && ESCAPABLE.test(s[i + 1]!)) {
      text += s.slice(i, i + 2);
      i += 2;
    } else if (s.startsWith('**', i)) {
      const close = findUnescaped(s, '**', i + 2);
      const inner = close < 0 ? '' : s.slice(i + 2, close);
      if (emphasisOk(inner)) {
        push({ type: 'strong', text: unescape(inner) });
        i = close + 2;
      } else {
        text += '**';
        i += 2;
      }
    } else if (c === '*') {
      // A lone asterisk closes italics; one of a pair belongs to bold.
      const close = findUnescaped(s, '*', i + 1, (j) => s[j + 1] !== '*' && s[j - 1] !== '*');
      const inner = close < 0 ? '' : s.slice(i + 1, close);
      if (emphasisOk(inner)) {
        push({ type: 'em', text: unescape(inner) });
        i = close + 1;
      } else {
        text += '*';
        i += 1;
      }
    } else if (c === '[') {
      const link = parseLink(s, i);
      if (link) {
        push(link.inline);
        i = link.end;
      } else {
        text += '[';
        i += 1;
      }
    } else {
      text += c;
      i += 1;
    }
  }
  if (text) out.push({ type: 'text', text: unescape(text) });
  return out;
}

/**
 * `[text](href)` starting at `start`: the link and where it ends, or undefined when it is not
 * one or its address is not http(s). The address may hold balanced parentheses (Wikipedia's
 * `Sarcoma_(disease)`) but no spaces and no `[`.
 */
function parseLink(s: string, start: number): { inline: Inline; end: number } | undefined {
  // The label ends at the first bracket: another `[` means this one opens no link (and each
  // `[` looks only as far as the next bracket, so `[[[[…` stays linear).
  let close = -1;
  for (let j = start + 1; j < s.length && close < 0; j++) {
    if (s[j] === '\\' && j + 1 < s.length && ESCAPABLE.test(s[j + 1]!)) j++;
    else if (s[j] === '[') return undefined;
    else if (s[j] === ']') close = j;
  }
  if (close < 0 || s[close + 1] !== '(') return undefined;
  const label = s.slice(start + 1, close);
  if (label.trim() === '') return undefined;
  let depth = 0;
  let end = -1;
  for (let j = close + 2; j < s.length && j - close < MAX_HREF + 2; j++) {
    // An address ends at a space or a `[`, so `[a](` repeated reads each address only as far
    // as the next link (an IPv6 host in brackets is not a link; percent-encoded it is).
    const ch = s.charCodeAt(j);
    if (ch <= 32 || ch === 0xa0 || ch === 0x3000 || ch === 91) break;
    if (ch === 40) depth++;
    else if (ch === 41) {
      if (depth === 0) {
        end = j;
        break;
      }
      depth--;
    }
  }
  if (end < 0) return undefined;
  const href = s.slice(close + 2, end);
  return isHttpUrl(href) ? { inline: { type: 'link', text: unescape(label), href }, end: end + 1 } : undefined;
}
