import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { RegionPolygons } from '../../../../src/model/annotation';
import { union } from 'polyclip-ts';
import type { Pt } from '../../../../src/model/geometry';
import { area } from '../../../../src/model/geometry';
import { clipConvex } from './convex';
import { PASS_F1, scoreChoice, scoreNumber, scorePoints, scoreQuiz, scoreRegion } from '../../../../src/model/teaching/scoring';
import type { QuizItem } from '../../../../src/model/teaching/types';

/** The largest number of one-to-one pairs within `r`, by trying every assignment (bitmask DP). */
function bruteForceMaximum(answer: readonly Pt[], key: readonly Pt[], r: number): number {
  const memo = new Map<string, number>();
  const best = (i: number, used: number): number => {
    if (i === answer.length) return 0;
    const id = `${i},${used}`;
    const known = memo.get(id);
    if (known !== undefined) return known;
    let b = best(i + 1, used);
    for (let j = 0; j < key.length; j++) {
      if (used & (1 << j)) continue;
      if (Math.hypot(answer[i]![0] - key[j]![0], answer[i]![1] - key[j]![1]) <= r) b = Math.max(b, 1 + best(i + 1, used | (1 << j)));
    }
    memo.set(id, b);
    return b;
  };
  return best(0, 0);
}

const dist = (a: Pt, b: Pt): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

describe('points: one-to-one matching within a radius', () => {
  it('finds the maximum matching where pairing nearest first would strand a mark', () => {
    // The closest pair (mark 1 – key 0, 0.5 px) is a trap: taking it leaves mark 0 and key 1
    // with nobody. The maximum pairs mark 0 – key 0 and mark 1 – key 1.
    const marks: Pt[] = [[0, 0], [1.5, 0]];
    const key: Pt[] = [[1, 0], [3.2, 0]];
    const s = scorePoints(marks, key, 2);
    expect(s.matches).toEqual([[0, 0], [1, 1]]);
    expect(s).toMatchObject({ truePositives: 2, falsePositives: 0, falseNegatives: 0, sensitivity: 1, precision: 1, f1: 1, pass: true });
    // The order the trainee clicked in changes nothing.
    expect(scorePoints([marks[1]!, marks[0]!], key, 2).matches).toEqual([[0, 1], [1, 0]]);
  });

  it('among matchings of the largest size, pairs each mark with the key point it was meant for', () => {
    const marks: Pt[] = [[0, 0], [10, 0]];
    const key: Pt[] = [[1, 0], [9, 0]];
    expect(scorePoints(marks, key, 20).matches).toEqual([[0, 0], [1, 1]]);
    expect(scorePoints(marks, [key[1]!, key[0]!], 20).matches).toEqual([[0, 1], [1, 0]]);
  });

  it('counts two marks on one key point as one found and one false mark', () => {
    const s = scorePoints([[100, 100], [101, 100]], [[100, 101]], 5);
    expect(s).toMatchObject({ truePositives: 1, falsePositives: 1, falseNegatives: 0, sensitivity: 1, precision: 0.5 });
    expect(s.f1).toBeCloseTo(2 / 3);
    expect(s.matches).toEqual([[0, 0]]);
    expect(s.pass).toBe(false);
  });

  it('includes a mark exactly at the radius and excludes one just beyond it', () => {
    expect(scorePoints([[3, 4]], [[0, 0]], 5).truePositives).toBe(1);
    expect(scorePoints([[3, 4.000001]], [[0, 0]], 5).truePositives).toBe(0);
    expect(scorePoints([[0, 0]], [[0, 0]], 0).truePositives).toBe(1);
    expect(scorePoints([[0, 0]], [[0, 0]], -1).truePositives).toBe(0);
    expect(scorePoints([[0, 0]], [[0, 0]], NaN).truePositives).toBe(0);
    expect(scorePoints([[NaN, 0], [Infinity, 0]], [[Infinity, 0]], Infinity).truePositives).toBe(0);
  });

  it('scores empty inputs by the documented rule, and passes at F1 ≥ 0.8', () => {
    expect(scorePoints([], [], 5)).toMatchObject({ sensitivity: 1, precision: 1, f1: 1, pass: true });
    expect(scorePoints([[1, 1]], [], 5)).toMatchObject({ falsePositives: 1, sensitivity: 1, precision: 0, f1: 0, pass: false });
    expect(scorePoints([], [[1, 1]], 5)).toMatchObject({ falseNegatives: 1, sensitivity: 0, precision: 1, f1: 0, pass: false });
    expect(PASS_F1).toBe(0.8);
    // 10 key points: 8 found, 2 false marks, 2 missed → F1 exactly 0.8.
    const key: Pt[] = Array.from({ length: 10 }, (_, i) => [i * 100, 0]);
    const marks: Pt[] = [...key.slice(0, 8), [5000, 0], [6000, 0]];
    expect(scorePoints(marks, key, 10)).toMatchObject({ truePositives: 8, f1: 0.8, pass: true });
    expect(scorePoints(marks.slice(0, 7).concat(marks.slice(8)), key, 10).pass).toBe(false);
  });

  const pt = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 })) as fc.Arbitrary<Pt>;
  const small = fc.array(pt, { maxLength: 7 });
  const radius = fc.integer({ min: 0, max: 12 });

  it('matches as many pairs as an exhaustive search, each within the radius, nothing used twice (property)', () => {
    fc.assert(
      fc.property(small, small, radius, (marks, key, r) => {
        const s = scorePoints(marks, key, r);
        expect(s.truePositives).toBe(bruteForceMaximum(marks, key, r));
        expect(s.truePositives).toBeLessThanOrEqual(Math.min(marks.length, key.length));
        expect(s.truePositives + s.falsePositives).toBe(marks.length);
        expect(s.truePositives + s.falseNegatives).toBe(key.length);
        for (const [a, k] of s.matches) expect(dist(marks[a]!, key[k]!)).toBeLessThanOrEqual(r);
        expect(new Set(s.matches.map((m) => m[0])).size).toBe(s.matches.length);
        expect(new Set(s.matches.map((m) => m[1])).size).toBe(s.matches.length);
        expect(s.f1).toBeGreaterThanOrEqual(0);
        expect(s.f1).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1500 },
    );
  });

  it('gives the same counts and total distance for the points in any order (property)', () => {
    const total = (marks: readonly Pt[], key: readonly Pt[], m: ReadonlyArray<readonly [number, number]>): number => m.reduce((s, [a, k]) => s + dist(marks[a]!, key[k]!), 0);
    fc.assert(
      fc.property(fc.array(pt, { maxLength: 12 }), fc.array(pt, { maxLength: 12 }), radius, fc.nat(), fc.nat(), (marks, key, r, s1, s2) => {
        const shuffle = <T,>(xs: readonly T[], seed: number): T[] => xs.map((x, i) => [x, (i * 7919 + seed) % 10007] as const).sort((a, b) => a[1] - b[1]).map((x) => x[0]);
        const a = scorePoints(marks, key, r);
        const pm = shuffle(marks, s1);
        const pk = shuffle(key, s2);
        const b = scorePoints(pm, pk, r);
        expect([b.truePositives, b.falsePositives, b.falseNegatives]).toEqual([a.truePositives, a.falsePositives, a.falseNegatives]);
        expect(total(pm, pk, b.matches)).toBeCloseTo(total(marks, key, a.matches), 6);
      }),
      { numRuns: 1000 },
    );
  });

  it('scores a dense 400-nucleus field quickly', () => {
    const key: Pt[] = Array.from({ length: 400 }, (_, i) => [(i % 20) * 10, Math.floor(i / 20) * 10]);
    const marks: Pt[] = key.map(([x, y], i) => [x + ((i * 37) % 7) - 3, y + ((i * 53) % 7) - 3]);
    const t0 = performance.now();
    const s = scorePoints(marks, key, 12);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(s.truePositives).toBe(400);
  });
});

const square = (x0: number, y0: number, size: number): Pt[] => [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size]];

/** polyclip-ts takes up to ~30 ms a scribble; with other files running beside, vitest's 5 s is too tight. */
const CLIPPING_TIMEOUT = 30_000;

describe('region: overlap by IoU and Dice', () => {
  const sq10: RegionPolygons = [[square(0, 0, 10)]];

  it('identical outlines score 1, disjoint ones 0', () => {
    expect(scoreRegion(sq10, sq10, 0.7)).toEqual({ kind: 'region', iou: 1, dice: 1, pass: true });
    expect(scoreRegion([[square(20, 20, 5)]], sq10, 0.7)).toEqual({ kind: 'region', iou: 0, dice: 0, pass: false });
    // Touching along an edge shares no area.
    expect(scoreRegion([[square(10, 0, 10)]], sq10, 0.7).iou).toBe(0);
  });

  it('a square with a square hole against the whole square: IoU = (A − h) / A', () => {
    const holed: RegionPolygons = [[square(0, 0, 10), square(2, 2, 2)]];
    const s = scoreRegion(holed, sq10, 0.97);
    expect(s.iou).toBeCloseTo(96 / 100, 12);
    expect(s.dice).toBeCloseTo((2 * 96) / 196, 12);
    expect(s.pass).toBe(true);
    // The hole is answered as a hole (wound either way): only the ring of tissue counts.
    expect(scoreRegion([[square(0, 0, 10), square(2, 2, 2).reverse()]], holed, 0.5).iou).toBeCloseTo(1, 12);
  });

  it('an answer entirely inside the key, and a concave L against its square', () => {
    const inside = scoreRegion([[square(2, 2, 2)]], sq10, 0.5);
    expect(inside.iou).toBeCloseTo(4 / 100, 12);
    expect(inside.dice).toBeCloseTo(8 / 104, 12);
    const L: RegionPolygons = [[[[0, 0], [10, 0], [10, 5], [5, 5], [5, 10], [0, 10]]]];
    expect(scoreRegion(L, sq10, 0.5).iou).toBeCloseTo(75 / 100, 12);
    // The square in the L's notch lies outside it; the one in its corner inside.
    expect(scoreRegion([[square(5, 5, 5)]], L, 0.5).iou).toBe(0);
    expect(scoreRegion([[square(0, 0, 5)]], L, 0.5).iou).toBeCloseTo(25 / 75, 12);
  });

  it('counts parts that overlap once, and scores multi-part keys', () => {
    const twoParts: RegionPolygons = [[square(0, 0, 10)], [[[5, 5], [15, 5], [15, 15], [5, 15]]]];
    expect(scoreRegion(twoParts, [[[[0, 0], [10, 0], [10, 5], [15, 5], [15, 15], [5, 15], [5, 10], [0, 10]]]], 0.9).iou).toBeCloseTo(1, 12);
    const key: RegionPolygons = [[square(0, 0, 10)], [square(20, 0, 10)]];
    const s = scoreRegion(sq10, key, 0.9);
    expect(s.iou).toBeCloseTo(0.5, 12);
    expect(s.dice).toBeCloseTo(2 / 3, 12);
  });

  it('reads self-crossing and self-touching outlines, and drops rings too short to be one', () => {
    // A bow tie: two triangles of 25 each (non-zero rule).
    const bowTie: RegionPolygons = [[[[0, 0], [10, 10], [10, 0], [0, 10]]]];
    expect(scoreRegion(bowTie, sq10, 0.5).iou).toBeCloseTo(0.5, 12);
    expect(scoreRegion(bowTie, bowTie, 0.5).iou).toBeCloseTo(1, 12);
    // Two squares drawn as one ring that touches itself at (5, 5).
    const touching: RegionPolygons = [[[[0, 0], [5, 0], [5, 5], [10, 5], [10, 10], [5, 10], [5, 5], [0, 5]]]];
    expect(scoreRegion(touching, sq10, 0.5).iou).toBeCloseTo(0.5, 12);
    expect(scoreRegion([[square(0, 0, 10), [[1, 1], [2, 2]]], [[[3, 3]]]], sq10, 0.5).iou).toBeCloseTo(1, 12);
  });

  it('still scores outlines polyclip-ts cannot clip, by scanlines, close to the exact answer', () => {
    // Two plain overlapping triangles that polyclip-ts 0.16.8 cannot join ("Unable to complete output ring").
    const t1: Pt[] = [[18, 39], [0, 0], [10, 12]];
    const t2: Pt[] = [[1, 9], [13, 13], [0, 14]];
    const polyclipFails = (() => {
      try {
        union([t1.map((p) => [p[0], p[1]] as [number, number])], [t2.map((p) => [p[0], p[1]] as [number, number])]);
        return false;
      } catch {
        return true;
      }
    })();
    // The answer is t1 alone, inside the key t1 ∪ t2: IoU = |t1| / (|t1| + |t2| − |t1 ∩ t2|).
    const s = scoreRegion([[t1]], [[t1], [t2]], 0.5);
    expect(s.problem).toBeUndefined();
    expect(s.approximate === true).toBe(polyclipFails);
    expect(s.iou).toBeCloseTo(area(t1) / (area(t1) + area(t2) - area(clipConvex(t1, t2))), 3);
  });

  it('never throws: unreadable outlines score 0 and say why', () => {
    expect(scoreRegion([[[[0, 0], [NaN, 0], [1, 1]]]], sq10, 0.5)).toMatchObject({ iou: 0, dice: 0, pass: false, problem: expect.stringMatching(/answer .*finite/) });
    expect(scoreRegion(sq10, [[[[0, 0], [Infinity, 0], [1, 1]]]], 0.5).problem).toMatch(/key/);
    expect(scoreRegion([], sq10, 0.5)).toEqual({ kind: 'region', iou: 0, dice: 0, pass: false });
    expect(scoreRegion(sq10, [[[[0, 0], [1, 1], [2, 2]]]], 0.5)).toMatchObject({ iou: 0, pass: false, problem: 'The key outline has no area.' });
    expect(scoreRegion(sq10, sq10, NaN).pass).toBe(false);
  });

  // Scribbles: rings that cross themselves, holes that stray, parts that overlap.
  const coord = fc.integer({ min: 0, max: 40 });
  const ring = fc.array(fc.tuple(coord, coord) as fc.Arbitrary<Pt>, { minLength: 3, maxLength: 7 });
  const region: fc.Arbitrary<RegionPolygons> = fc.array(fc.array(ring, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 });

  it('0 ≤ IoU ≤ Dice ≤ 1, Dice = 2·IoU / (1 + IoU), symmetric, and never throws on any outline (property)', () => {
    fc.assert(
      fc.property(region, region, (a, b) => {
        const s = scoreRegion(a, b, 0.5);
        expect(0 <= s.iou && s.iou <= s.dice && s.dice <= 1).toBe(true);
        expect(s.dice).toBeCloseTo((2 * s.iou) / (1 + s.iou), 9);
        const t = scoreRegion(b, a, 0.5);
        // Exact and scanline areas may differ by 0.1 % of a region (see region-overlap.ts).
        if (s.problem === undefined && t.problem === undefined) expect(t.iou).toBeCloseTo(s.iou, s.approximate || t.approximate ? 2 : 9);
      }),
      { numRuns: 200 },
    );
  }, CLIPPING_TIMEOUT);

  it('an outline with area against itself scores 1 (property)', () => {
    fc.assert(
      fc.property(region, (a) => {
        const s = scoreRegion(a, a, 0.5);
        if (s.problem === undefined) expect(s.iou).toBeCloseTo(1, s.approximate ? 3 : 9);
      }),
      { numRuns: 150 },
    );
  }, CLIPPING_TIMEOUT);
});

describe('number and choice', () => {
  it('a number passes within the tolerance, both ends included, and gives a signed error', () => {
    expect(scoreNumber(23, 20, 5)).toEqual({ kind: 'number', error: 3, pass: true });
    expect(scoreNumber(15, 20, 5)).toEqual({ kind: 'number', error: -5, pass: true });
    expect(scoreNumber(25.5, 20, 5).pass).toBe(false);
    expect(scoreNumber(10.3, 10, 0.3).pass).toBe(true);
    expect(scoreNumber(10.31, 10, 0.3).pass).toBe(false);
    expect(scoreNumber(NaN, 10, 100).pass).toBe(false);
    expect(scoreNumber(Infinity, 10, Infinity).pass).toBe(false);
  });

  it('choices pass only when exactly the key’s set is chosen', () => {
    expect(scoreChoice([2, 0], [0, 2])).toEqual({ kind: 'choice', correct: 2, wrong: 0, pass: true });
    expect(scoreChoice([0], [0, 2])).toEqual({ kind: 'choice', correct: 1, wrong: 0, pass: false });
    expect(scoreChoice([0, 1, 2], [0, 2])).toEqual({ kind: 'choice', correct: 2, wrong: 1, pass: false });
    expect(scoreChoice([0, 0, 2, 2], [0, 2])).toEqual({ kind: 'choice', correct: 2, wrong: 0, pass: true });
    expect(scoreChoice([], [1])).toEqual({ kind: 'choice', correct: 0, wrong: 0, pass: false });
  });
});

describe('scoreQuiz', () => {
  const view = { slideId: 'he', x: 0, y: 0, z: 10, r: 0 };
  const points: QuizItem = { kind: 'points', id: 'q1', prompt: 'Mark the mitoses', view, field: { x: 0, y: 0, width: 1000, height: 1000 }, radiusUm: 5, classId: 'atypical-mitosis', key: [[100, 100]] };
  const region: QuizItem = { kind: 'region', id: 'q2', prompt: 'Outline', view, classId: 'necrosis', key: [[square(0, 0, 10)]], passDice: 0.7 };
  const number: QuizItem = { kind: 'number', id: 'q3', prompt: 'Ki67 %', view, unit: '%', key: 20, tolerance: 5 };
  const choice: QuizItem = { kind: 'choice', id: 'q4', prompt: 'Grade?', view, choices: ['1', '2', '3'], key: [2] };

  it('dispatches by kind; the radius in µm becomes pixels by the slide’s µm per pixel', () => {
    // 5 µm at 0.25 µm/px is 20 px: a mark 19 px off matches, 21 px off does not.
    expect(scoreQuiz(points, { kind: 'points', points: [[119, 100]] }, 0.25)).toMatchObject({ kind: 'points', truePositives: 1, pass: true });
    expect(scoreQuiz(points, { kind: 'points', points: [[121, 100]] }, 0.25)).toMatchObject({ truePositives: 0, pass: false });
    expect(scoreQuiz(points, { kind: 'points', points: [[100, 100]] }, 0)).toMatchObject({ truePositives: 0, pass: false });
    expect(scoreQuiz(region, { kind: 'region', polygons: [[square(0, 0, 10)]] }, 0.25)).toMatchObject({ kind: 'region', iou: 1, pass: true });
    expect(scoreQuiz(number, { kind: 'number', value: 24 }, 0.25)).toEqual({ kind: 'number', error: 4, pass: true });
    expect(scoreQuiz(choice, { kind: 'choice', chosen: [2] }, 0.25)).toEqual({ kind: 'choice', correct: 1, wrong: 0, pass: true });
  });

  it('an answer of another kind fails, in the item’s kind, without throwing', () => {
    const emptyPoints: QuizItem = { ...points, key: [] } as QuizItem;
    expect(scoreQuiz(emptyPoints, { kind: 'number', value: 1 }, 0.25)).toMatchObject({ kind: 'points', pass: false });
    expect(scoreQuiz(region, { kind: 'choice', chosen: [0] }, 0.25)).toMatchObject({ kind: 'region', iou: 0, pass: false, problem: expect.stringContaining('choice') });
    expect(scoreQuiz(number, { kind: 'points', points: [] }, 0.25)).toMatchObject({ kind: 'number', pass: false });
    expect(scoreQuiz(choice, { kind: 'region', polygons: [] }, 0.25)).toEqual({ kind: 'choice', correct: 0, wrong: 0, pass: false });
  });
});
