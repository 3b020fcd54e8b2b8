import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pt } from '../../../src/model/geometry';
import { area, bounds, centroid, distanceToSegment, ellipsePolygon, pathLength, pointInPolygon, signedArea, simplify } from '../../../src/model/geometry';

const coord = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const pt = fc.tuple(coord, coord) as fc.Arbitrary<Pt>;
/** A convex polygon: points on an ellipse at sorted angles. */
const convex = fc
  .record({
    cx: coord,
    cy: coord,
    rx: fc.double({ min: 1, max: 1e4, noNaN: true }),
    ry: fc.double({ min: 1, max: 1e4, noNaN: true }),
    angles: fc.uniqueArray(fc.integer({ min: 0, max: 359 }), { minLength: 3, maxLength: 40 }),
  })
  .map(({ cx, cy, rx, ry, angles }) => angles.sort((a, b) => a - b).map((a) => [cx + rx * Math.cos((a * Math.PI) / 180), cy + ry * Math.sin((a * Math.PI) / 180)] as Pt));

describe('geometry', () => {
  it('a rectangle has area w × h and its centre as centroid', () => {
    fc.assert(
      fc.property(coord, coord, fc.double({ min: 0.1, max: 1e4, noNaN: true }), fc.double({ min: 0.1, max: 1e4, noNaN: true }), (x, y, w, h) => {
        const r: Pt[] = [[x, y], [x + w, y], [x + w, y + h], [x, y + h]];
        expect(area(r)).toBeCloseTo(w * h, 0);
        const c = centroid(r);
        expect(c[0]).toBeCloseTo(x + w / 2, 3);
        expect(c[1]).toBeCloseTo(y + h / 2, 3);
      }),
    );
  });

  it('area does not change with translation or reversed winding', () => {
    fc.assert(
      fc.property(convex, coord, coord, (poly, dx, dy) => {
        const moved = poly.map(([x, y]) => [x + dx, y + dy] as Pt);
        const a = area(poly);
        expect(area(moved)).toBeCloseTo(a, Math.max(0, 2 - Math.log10(a + 1)));
        expect(signedArea([...poly].reverse())).toBeCloseTo(-signedArea(poly), 3);
      }),
    );
  });

  it('the centroid of a convex polygon is inside it and inside its bounds', () => {
    fc.assert(
      fc.property(convex, (poly) => {
        fc.pre(area(poly) > 1);
        const [cx, cy] = centroid(poly);
        const b = bounds(poly);
        expect(cx).toBeGreaterThanOrEqual(b.minX - 1e-6);
        expect(cx).toBeLessThanOrEqual(b.maxX + 1e-6);
        expect(cy).toBeGreaterThanOrEqual(b.minY - 1e-6);
        expect(cy).toBeLessThanOrEqual(b.maxY + 1e-6);
        expect(pointInPolygon(cx, cy, poly)).toBe(true);
      }),
    );
  });

  it('points far outside the bounds are never inside', () => {
    fc.assert(
      fc.property(convex, pt, (poly, p) => {
        const b = bounds(poly);
        fc.pre(p[0] < b.minX || p[0] > b.maxX || p[1] < b.minY || p[1] > b.maxY);
        expect(pointInPolygon(p[0], p[1], poly)).toBe(false);
      }),
    );
  });

  it('simplification keeps the ends, keeps order, and stays within tolerance of the stroke', () => {
    const stroke = fc.array(pt, { minLength: 2, maxLength: 300 });
    fc.assert(
      fc.property(stroke, fc.double({ min: 0.01, max: 100, noNaN: true }), (pts, tol) => {
        const s = simplify(pts, tol);
        expect(s[0]).toEqual(pts[0]);
        expect(s[s.length - 1]).toEqual(pts[pts.length - 1]);
        // Every kept point appears in the original, in order.
        let k = 0;
        for (const p of pts) if (k < s.length && p === s[k]) k++;
        expect(k).toBe(s.length);
        // Every original point is within tolerance of some kept segment.
        for (const p of pts) {
          let d = Infinity;
          for (let i = 1; i < s.length; i++) d = Math.min(d, distanceToSegment(p, s[i - 1]!, s[i]!));
          if (s.length === 1) d = 0;
          expect(d).toBeLessThanOrEqual(tol * (1 + 1e-9) + 1e-6);
        }
      }),
    );
  });

  it('a long freehand stroke becomes light', () => {
    const circle = ellipsePolygon(0, 0, 500, 500, 5000);
    const s = simplify(circle, 0.5);
    expect(s.length).toBeLessThan(200);
    expect(pathLength(s)).toBeCloseTo(pathLength(circle), -1);
  });
});
