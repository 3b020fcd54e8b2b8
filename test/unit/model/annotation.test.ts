import { describe, expect, it } from 'vitest';
import { DEFAULT_CLASSES, reassignKey } from '../../../src/model/classes';
import { areaUm2, lengthUm } from '../../../src/model/annotation';
import { checkGeometry, geometryValid, MAX_COORD, parseAnnotation } from '../../../src/model/annotation-schema';
import fc from 'fast-check';

const ok = {
  id: 'a1', slideId: 'he', classId: 'necrosis', label: '', note: '', author: 'T', created: 1, updated: 1, rev: 1,
  geometry: { type: 'polygon', points: [[0, 0], [10, 0], [10, 10]] },
};

describe('annotation validation', () => {
  it.each([
    [{ type: 'point', point: [Number.NaN, 1] }, /finite/],
    [{ type: 'point', point: [1e12, 1] }, /too far out/],
    [{ type: 'polygon', points: [[0, 0], [1, 1]] }, /at least 3/],
    [{ type: 'line', points: [[0, 0], [1, 1], [2, 2]] }, /exactly 2/],
    [{ type: 'ellipse', center: [0, 0], rx: -1, ry: 2 }, /radii/],
    [{ type: 'hexagon' }, /unknown shape/],
    [null, /object/],
  ])('rejects %j', (g, msg) => {
    expect(checkGeometry(g)).toMatch(msg);
  });

  it('accepts a valid record and rejects a record with hostile or broken fields', () => {
    expect(parseAnnotation(ok).value).toBeDefined();
    expect(parseAnnotation({ ...ok, note: 'x'.repeat(20_000) }).error).toMatch(/at most/);
    expect(parseAnnotation({ ...ok, rev: 'one' }).error).toMatch(/rev/);
    expect(parseAnnotation({ ...ok, geometry: { type: 'point', point: [Infinity, 0] } }).error).toMatch(/finite/);
    // Markup is just text to the model.
    expect(parseAnnotation({ ...ok, note: '<img src=x onerror=alert(1)>' }).value!.note).toBe('<img src=x onerror=alert(1)>');
  });

  it('measures a region with a hole and two parts: outer areas less the hole, every ring in the perimeter', () => {
    const g = { type: 'region' as const, polygons: [[[[0, 0], [400, 0], [400, 400], [0, 400]], [[100, 100], [200, 100], [200, 200], [100, 200]]], [[[1000, 0], [1200, 0], [1200, 200], [1000, 200]]]] as Array<Array<Array<[number, number]>>> };
    expect(areaUm2(g, 0.5)).toBeCloseTo((160_000 - 10_000 + 40_000) * 0.25);
    expect(lengthUm(g, 0.5)).toBeCloseTo((1600 + 400 + 800) * 0.5);
    expect(checkGeometry(g)).toBeUndefined();
    expect(checkGeometry({ type: 'region', polygons: [[[[0, 0], [1, 1]]]] })).toMatch(/at least 3 points/);
    expect(checkGeometry({ type: 'region', polygons: [] })).toMatch(/at least one polygon/);
  });

  it('the fast geometry check gives the schema’s answer for any input (property)', () => {
    const num = fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, MAX_COORD, -MAX_COORD, MAX_COORD + 1, Number.NaN, Infinity), fc.constant('1' as unknown as number));
    const pt = fc.oneof(fc.tuple(num, num), fc.array(num, { maxLength: 3 }), fc.constant(null));
    const pts = fc.array(pt, { maxLength: 5 });
    const geometry = fc.oneof(
      fc.record({ type: fc.constant('point'), point: pt }),
      fc.record({ type: fc.constantFrom('polygon', 'freehand', 'line'), points: pts }),
      fc.record({ type: fc.constant('rectangle'), min: pt, max: pt }),
      fc.record({ type: fc.constant('ellipse'), center: pt, rx: num, ry: num }),
      fc.record({ type: fc.constant('region'), polygons: fc.array(fc.array(pts, { maxLength: 3 }), { maxLength: 3 }) }),
      fc.anything(),
    );
    fc.assert(
      fc.property(geometry, (g) => {
        expect(geometryValid(g)).toBe(checkGeometry(g) === undefined);
      }),
      { numRuns: 5000 },
    );
  });

  it('measures in micrometres', () => {
    expect(areaUm2({ type: 'rectangle', min: [0, 0], max: [400, 400] }, 0.25)).toBeCloseTo(10_000);
    expect(lengthUm({ type: 'line', points: [[0, 0], [300, 400]] }, 0.25)).toBeCloseTo(125);
    expect(areaUm2({ type: 'ellipse', center: [0, 0], rx: 4, ry: 4 }, 1)).toBeCloseTo(Math.PI * 16);
    expect(areaUm2({ type: 'point', point: [1, 1] }, 1)).toBe(0);
  });
});

describe('class shortcut keys', () => {
  it('moving a key to a class swaps it with the class that had it; no key is ever held twice', () => {
    const moved = reassignKey(DEFAULT_CLASSES, 'other', 1);
    expect(moved.map((c) => [c.id, c.key])).toEqual([['other', 1], ['necrosis', 0]]);
    expect(reassignKey(DEFAULT_CLASSES, 'bone', 0).map((c) => [c.id, c.key])).toEqual([['bone', 0]]);
    expect(reassignKey(DEFAULT_CLASSES, 'bone', 6)).toEqual([]);
    expect(reassignKey(DEFAULT_CLASSES, 'bone', 12)).toEqual([]);
    expect(reassignKey(DEFAULT_CLASSES, 'nope', 1)).toEqual([]);
    const after = DEFAULT_CLASSES.map((c) => moved.find((m) => m.id === c.id) ?? c);
    const keys = after.map((c) => c.key).filter((k) => k > 0);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
