import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { difference, union } from 'polyclip-ts';
import type { RegionPolygons } from '../../../../src/model/annotation';
import type { Pt } from '../../../../src/model/geometry';
import { area } from '../../../../src/model/geometry';
import { overlap } from '../../../../src/model/teaching/region-overlap';
import { scanlineOverlap } from '../../../../src/model/teaching/scanline-overlap';
import { clipConvex, convexHull } from './convex';

const throws = (f: () => unknown): boolean => {
  try {
    f();
    return false;
  } catch {
    return true;
  }
};
const square = (x0: number, y0: number, size: number): Pt[] => [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size]];
const sq10: RegionPolygons = [[square(0, 0, 10)]];

/** polyclip-ts takes up to ~30 ms a scribble; with other files running beside, vitest's 5 s is too tight. */
const CLIPPING_TIMEOUT = 30_000;

describe('region overlap areas', () => {
  it('cleans each region before measuring: overlapping parts once, stray holes cut, slivers dropped', () => {
    expect(overlap([[square(0, 0, 10)], [square(5, 5, 10)]], sq10)).toEqual({ answer: 175, key: 100, both: 100, approximate: false });
    // A hole reaching outside its outer ring removes only what lies inside it.
    expect(overlap([[square(0, 0, 10), square(8, 8, 4)]], sq10)).toMatchObject({ answer: 96, both: 96 });
    // Zero-area slivers, short rings, a double click and an empty part change nothing.
    expect(overlap([[[[1, 0], [1, 0], [8, 5]]], [square(0, 0, 10), [[1, 1], [2, 2]]], [[[3, 3]]], []], [[[[0, 0], [0, 0], [10, 0], [10, 10], [0, 10], [0, 10]]]])).toEqual({ answer: 100, key: 100, both: 100, approximate: false });
  });

  it('falls back to scanlines where polyclip-ts throws, and says so', () => {
    // A triangle (area 318.5) whose hole crosses its edge: polyclip-ts 0.16.8 cannot cut it.
    const triangle: Pt[] = [[1, 24], [27, 11], [0, 0]];
    const hole: Pt[] = [[0, 11], [21, 14], [15, 19]];
    const o = overlap([[triangle, hole]], [[triangle]]);
    expect(o.problem).toBeUndefined();
    if (o.problem !== undefined) return;
    const ring = (r: Pt[]): Array<[number, number]> => r.map((p) => [p[0], p[1]]);
    expect(o.approximate).toBe(throws(() => difference(union([ring(triangle)]), union([ring(hole)]))));
    expect(o.key).toBeCloseTo(318.5, 1);
    expect(o.both).toBe(o.answer);
    expect(o.answer).toBeLessThan(o.key);
    expect(o.answer).toBeGreaterThan(318.5 - 0.5 * 21 * 8);
  });

  it('does not take a wrong area from polyclip-ts where it answers without an error', () => {
    // A triangle with a bow-tie hole: polyclip-ts 0.16.8 leaves the hole's ring crossed and
    // gives 2.08; a 2000 × 2000 grid count of the non-zero rule gives 33.337.
    const triangle: Pt[] = [[12, 16], [27, 27], [3, 15]];
    const o = overlap([[triangle, [[5, 15], [22, 10], [9, 18], [29, 36]]]], [[triangle]]);
    expect(o.problem).toBeUndefined();
    if (o.problem === undefined) expect(o.answer).toBeCloseTo(33.337, 2);
    // Two holes crossing a self-crossing outline: 65.86 when polyclip-ts subtracts both in one call; the grid says 70.325.
    const part: Pt[][] = [[[32, 31], [12, 22], [8, 17], [26, 0], [3, 33]], [[22, 24], [0, 25], [9, 40], [32, 26]], [[19, 10], [25, 38], [32, 0], [0, 0]]];
    const p = overlap([part], [part]);
    if (p.problem === undefined) expect(p.answer).toBeCloseTo(70.325, 2);
  });

  it('scanlines measure holes, concave and self-crossing outlines as the exact clipping does', () => {
    const near = (o: { answer: number; key: number; both: number }, answer: number, key: number, both: number): void => {
      expect(o.answer).toBeCloseTo(answer, 1);
      expect(o.key).toBeCloseTo(key, 1);
      expect(o.both).toBeCloseTo(both, 1);
    };
    near(scanlineOverlap([[square(0, 0, 10), square(2, 2, 2)]], sq10), 96, 100, 96);
    near(scanlineOverlap([[[[0, 0], [10, 0], [10, 5], [5, 5], [5, 10], [0, 10]]]], [[square(0, 0, 5)]]), 75, 25, 25);
    near(scanlineOverlap([[[[0, 0], [10, 10], [10, 0], [0, 10]]]], sq10), 50, 100, 50);
    near(scanlineOverlap([[square(0, 0, 10)], [square(5, 5, 10)]], [[square(20, 0, 3)]]), 175, 9, 0);
    near(scanlineOverlap([], []), 0, 0, 0);
  });


  // Scribbles: rings that cross themselves, holes that stray, parts that overlap.
  const coord = fc.integer({ min: 0, max: 40 });
  const pt = fc.tuple(coord, coord) as fc.Arbitrary<Pt>;
  const ring = fc.array(pt, { minLength: 3, maxLength: 7 });
  const region: fc.Arbitrary<RegionPolygons> = fc.array(fc.array(ring, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 });

  it('scanlines give the exact areas of convex polygons and of their overlap (property)', () => {
    const hull = fc.array(pt, { minLength: 3, maxLength: 12 }).map(convexHull).filter((h) => h.length >= 3 && area(h) > 1);
    fc.assert(
      fc.property(hull, hull, (a, b) => {
        const s = scanlineOverlap([[a]], [[b]]);
        const tolerance = 1e-4 * Math.max(area(a), area(b));
        expect(Math.abs(s.answer - area(a))).toBeLessThan(tolerance);
        expect(Math.abs(s.key - area(b))).toBeLessThan(tolerance);
        const both = clipConvex(a, b);
        expect(Math.abs(s.both - (both.length >= 3 ? area(both) : 0))).toBeLessThan(tolerance);
      }),
      { numRuns: 300 },
    );
  });

  it('trusted areas agree with the scanlines on scribbles, and every result is sane (property)', () => {
    fc.assert(
      fc.property(region, region, (a, b) => {
        const o = overlap(a, b);
        expect(o.problem).toBeUndefined();
        if (o.problem !== undefined) return;
        expect(o.both).toBeLessThanOrEqual(Math.min(o.answer, o.key));
        expect(o.both).toBeGreaterThanOrEqual(0);
        const s = scanlineOverlap(a, b);
        if (o.approximate) expect(o).toEqual({ ...s, both: Math.min(s.both, s.answer, s.key), approximate: true });
      }),
      { numRuns: 150 },
    );
  }, CLIPPING_TIMEOUT);
});
