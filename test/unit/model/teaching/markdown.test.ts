import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Block, Inline } from '../../../../src/model/teaching/markdown';
import { parseMarkdown } from '../../../../src/model/teaching/markdown';

const text = (t: string): Inline => ({ type: 'text', text: t });
const p = (...inlines: Inline[]): Block => ({ type: 'p', inlines });

describe('tour text Markdown', () => {
  it('splits paragraphs at blank lines and joins a paragraph’s lines with a space', () => {
    expect(parseMarkdown('First line\nstill first.\n\n  \nSecond.\r\n\r\nThird')).toEqual([p(text('First line still first.')), p(text('Second.')), p(text('Third'))]);
    expect(parseMarkdown('')).toEqual([]);
    expect(parseMarkdown('\n\n  \n')).toEqual([]);
  });

  it('reads bold, italic and http(s) links inside a paragraph', () => {
    expect(parseMarkdown('Look for **atypical mitoses** and *geographic* necrosis ([WHO](https://tumourclassification.iarc.who.int/)).')).toEqual([
      p(
        text('Look for '),
        { type: 'strong', text: 'atypical mitoses' },
        text(' and '),
        { type: 'em', text: 'geographic' },
        text(' necrosis ('),
        { type: 'link', text: 'WHO', href: 'https://tumourclassification.iarc.who.int/' },
        text(').'),
      ),
    ]);
    expect(parseMarkdown('[Sarcoma](http://en.wikipedia.org/wiki/Sarcoma_(disease)) end')).toEqual([p({ type: 'link', text: 'Sarcoma', href: 'http://en.wikipedia.org/wiki/Sarcoma_(disease)' }, text(' end'))]);
  });

  it('reads bullet lists, also straight under a paragraph, with lazy continuation lines', () => {
    expect(parseMarkdown('Grade by:\n- **differentiation**\n- mitotic count\n  per 10 HPF\n-   necrosis\n\nThen score.')).toEqual([
      p(text('Grade by:')),
      { type: 'ul', items: [[{ type: 'strong', text: 'differentiation' }], [text('mitotic count per 10 HPF')], [text('necrosis')]] },
      p(text('Then score.')),
    ]);
    // "-" without a space, and a rule, are text.
    expect(parseMarkdown('-5 °C\n---')).toEqual([p(text('-5 °C ---'))]);
  });

  it('leaves unmatched or spaced markers as they were written, and honours backslash escapes', () => {
    expect(parseMarkdown('2 * 3 * 4 and **unclosed and *half')).toEqual([p(text('2 * 3 * 4 and **unclosed and *half'))]);
    expect(parseMarkdown('\\*not italic\\* and \\[not a link](https://x.org)')).toEqual([p(text('*not italic* and [not a link](https://x.org)'))]);
    expect(parseMarkdown('**bold \\*star\\***')).toEqual([p({ type: 'strong', text: 'bold *star*' })]);
    expect(parseMarkdown('[](https://x.org) [a [b](https://x.org)')).toEqual([p(text('[](https://x.org) [a '), { type: 'link', text: 'b', href: 'https://x.org' })]);
  });

  it('keeps hostile text as literal text: HTML is characters, only http(s) addresses become links', () => {
    expect(parseMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)>')).toEqual([p(text('<script>alert(1)</script> <img src=x onerror=alert(1)>'))]);
    for (const href of ['javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:x', '//evil.example/x', '/relative', 'https:no-slashes', 'https://', 'file:///etc/passwd']) {
      const md = `[click](${href})`;
      expect(parseMarkdown(md), href).toEqual([p(text(md))]);
    }
    // A link's label is plain text too.
    expect(parseMarkdown('[<b>x</b>](https://a.org/?q=<i>)')).toEqual([p({ type: 'link', text: '<b>x</b>', href: 'https://a.org/?q=<i>' })]);
  });

  it('never throws, links only to http(s), and keeps every character of text without markup (property)', () => {
    const isBlock = (b: Block): boolean => b.type === 'p' || b.type === 'ul';
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('*', '[', ']', '(', ')', '\\', '-', ' ', '\n', 'a', 'h', 'https://x.y', 'javascript:'), maxLength: 60 }), (s) => {
        const blocks = parseMarkdown(s);
        expect(blocks.every(isBlock)).toBe(true);
        const inlines = blocks.flatMap((b) => (b.type === 'p' ? b.inlines : b.items.flat()));
        for (const i of inlines) if (i.type === 'link') expect(i.href).toMatch(/^https?:\/\//);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', ' ', '.', '<', '>', '&', '"', 'é', '🩺') }), (s) => {
        const blocks = parseMarkdown(s);
        expect(blocks).toEqual(s.trim() ? [p(text(s.trim()))] : []);
      }),
    );
  });

  it('stays fast on hostile runs of markers', () => {
    const t0 = performance.now();
    for (const unit of ['[', '*', '**', '* ', '** ', '[a](', '\\', '[a](https://x.org/(((']) parseMarkdown(unit.repeat(20_000));
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
