import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Annotation, Geometry } from '../../../src/model/annotation';
import { geometryBounds } from '../../../src/model/annotation';
import { flatAnchor, flatBounds, flattenGeometry, withFlatGeometry } from '../../../src/model/flat-geometry';
import { anchorOf } from '../../../src/overlay/density-grid';

const coord = fc.double({ min: -1e7, max: 1e7, noNaN: true });
const pt = fc.tuple(coord, coord);
const geometry: fc.Arbitrary<Geometry> = fc.oneof(
  pt.map((p) => ({ type: 'point' as const, point: p })),
  fc.array(pt, { minLength: 3, maxLength: 30 }).map((points) => ({ type: 'polygon' as const, points })),
  fc.array(pt, { minLength: 3, maxLength: 30 }).map((points) => ({ type: 'freehand' as const, points })),
  fc.tuple(pt, pt).map(([a, b]) => ({ type: 'line' as const, points: [a, b] as [typeof a, typeof b] })),
  fc.tuple(pt, pt).map(([min, max]) => ({ type: 'rectangle' as const, min, max })),
  fc.tuple(pt, fc.double({ min: 0.001, max: 1e6, noNaN: true }), fc.double({ min: 0.001, max: 1e6, noNaN: true })).map(([center, rx, ry]) => ({ type: 'ellipse' as const, center, rx, ry })),
  fc.array(fc.array(fc.array(pt, { minLength: 3, maxLength: 8 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }).map((polygons) => ({ type: 'region' as const, polygons })),
);

const fields = (id: string): Omit<Annotation, 'geometry'> => ({ id, slideId: 'he', classId: 'necrosis', label: 'l', note: 'n', author: 'a', created: 1, updated: 2, rev: 3 });

describe('flat geometry', () => {
  it('a flat annotation is an ordinary annotation to every reader, and its summary matches the built geometry exactly (property)', () => {
    fc.assert(
      fc.property(geometry, (g) => {
        const nums: number[] = [];
        flattenGeometry(g, nums);
        const a = withFlatGeometry(fields('x'), g.type, Float64Array.from(nums), 0, nums.length);
        const plain = { ...a };
        // Spread, JSON and equality all see the geometry; the copy is a plain annotation.
        expect(plain.geometry).toEqual(g);
        expect(JSON.parse(JSON.stringify(a))).toEqual({ ...fields('x'), geometry: JSON.parse(JSON.stringify(g)) });
        expect(structuredClone(a)).toEqual(plain);
        expect(flatAnchor(plain)).toBeUndefined();
        expect(flatBounds(plain, [])).toBe(false);
        // The density grid and the R-tree file a flat annotation exactly where its copy goes,
        // or an edit (which replaces one by the other) would leave a count or an item behind.
        expect(flatAnchor(a)).toEqual(anchorOf(plain));
        const box = new Float64Array(4);
        expect(flatBounds(a, box)).toBe(true);
        const b = geometryBounds(plain.geometry);
        expect([...box]).toEqual([b.minX, b.minY, b.maxX, b.maxY]);
      }),
      { numRuns: 500 },
    );
  });

  it('builds the geometry once, on first use', () => {
    const a = withFlatGeometry(fields('y'), 'polygon', Float64Array.from([0, 0, 4, 0, 0, 3]), 0, 6);
    expect(a.geometry).toBe(a.geometry);
    expect(a.geometry).toEqual({ type: 'polygon', points: [[0, 0], [4, 0], [0, 3]] });
  });
});
