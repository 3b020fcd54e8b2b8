import { describe, expect, it } from 'vitest';
import caseJson from '../../../images/case.json';
import { figureByNumber, parseManifest } from '../../../src/model/manifest';

const clone = (): Record<string, unknown> => JSON.parse(JSON.stringify(caseJson));

describe('case manifest', () => {
  it('the shipped case parses, with five figures on three serial sections', () => {
    const r = parseManifest(caseJson);
    expect(r.error).toBeUndefined();
    expect(r.value!.figures.map((f) => f.number)).toEqual([3, 4, 5, 6, 7]);
    expect(r.value!.slides.map((s) => s.id)).toEqual(['he', 'sma', 'ki67']);
    expect(figureByNumber(r.value!, 6)!.slide).toBe('sma');
  });

  it.each([
    ['not an object', () => 'nope', /manifest must be an object/],
    ['missing slides', () => ({ ...clone(), slides: undefined }), /slides must be an array/],
    ['empty slides', () => ({ ...clone(), slides: [] }), /at least one slide/],
    [
      'NaN width',
      () => {
        const m = clone();
        (m['slides'] as Array<Record<string, unknown>>)[0]!['width'] = Number.NaN;
        return m;
      },
      /slides\[0\]\.width must be a finite number/,
    ],
    [
      'figure on an unknown slide',
      () => {
        const m = clone();
        (m['figures'] as Array<Record<string, unknown>>)[1]!['slide'] = 'xyz';
        return m;
      },
      /figures\[1\]\.slide "xyz" is not one of the case's slides/,
    ],
    [
      'figure centre outside its slide',
      () => {
        const m = clone();
        (m['figures'] as Array<Record<string, unknown>>)[0]!['centerUm'] = [1e9, 5];
        return m;
      },
      /centerUm lies outside slide/,
    ],
    [
      'duplicate figure numbers',
      () => {
        const m = clone();
        (m['figures'] as Array<Record<string, unknown>>)[1]!['number'] = 3;
        return m;
      },
      /figure 3 appears twice/,
    ],
    [
      'unknown source kind',
      () => {
        const m = clone();
        (m['slides'] as Array<Record<string, unknown>>)[0]!['source'] = { kind: 'ftp' };
        return m;
      },
      /source\.kind must be "virtual" or "dzi"/,
    ],
  ])('rejects %s with a clear message', (_name, make, message) => {
    const r = parseManifest(make());
    expect(r.value).toBeUndefined();
    expect(r.error).toMatch(/^Invalid case manifest: /);
    expect(r.error).toMatch(message);
  });
});
