import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Blob } from '../../../src/specimen/blob';
import { pointInPolygon } from '../../../src/model/geometry';

/** Membership decides region pixels and the truth's polygons alike: the two must never disagree. */
describe('Blob', () => {
  const shapes = [
    new Blob(5000, 3750, 4700, 3500, 20232, 0.05, 8),
    new Blob(2650, 2500, 430, 365, 20331, 0.2),
    new Blob(6300, 3000, 330, 250, 20431, 0.2, 24, 1.2, 720),
    // The section's outline: many harmonics, frayed, 8192 vertices.
    new Blob(5000, 3750, 4700, 3500, 20233, 0.05, 48, 1.25, 8192, { amplitude: 1.7e-4, from: 90, to: 900 }),
    new Blob(60, 40, 30, 20, 7, 0.3, 6, 0.8, 16),
  ];
  it('contains exactly the points its exported polygon contains, near the outline too', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: shapes.length - 1 }), fc.double({ min: 0, max: Math.PI * 2, noNaN: true }), fc.double({ min: 0.3, max: 1.8, noNaN: true }), (k, t, s) => {
        const b = shapes[k]!;
        // Points along a ray, concentrated around the outline's own radius there.
        const r = b.radiusAt(t) * (1 + (s - 1) * (s - 1) * (s - 1));
        const x = b.cx + Math.cos(t) * r * b.rx;
        const y = b.cy + Math.sin(t) * r * b.ry;
        expect(b.contains(x, y)).toBe(pointInPolygon(x, y, b.polygon()));
      }),
      { numRuns: 40000 },
    );
    // 40 000 point-in-polygon tests against 8192 vertices: seconds on a loaded 2-core machine.
  }, 30_000);
});
