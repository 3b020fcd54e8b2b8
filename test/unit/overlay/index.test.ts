import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Annotation, Geometry } from '../../../src/model/annotation';
import { createStore } from '../../../src/model/store';
import { AnnotationIndex } from '../../../src/overlay/spatial-index';
import { DensityGrid } from '../../../src/overlay/density-grid';

const pt = (id: string, x: number, y: number, classId = 'typical-mitosis'): Annotation => ({
  id, slideId: 'he', classId, geometry: { type: 'point', point: [x, y] }, label: '', note: '', author: '', created: 0, updated: 0, rev: 1,
});

describe('spatial index and density grid', () => {
  it('follow the store through creates, moves and deletes', () => {
    const store = createStore([pt('a', 100, 100), pt('b', 5000, 5000)]);
    const index = new AnnotationIndex(store);
    const grid = new DensityGrid(store, 40000, 30000);
    expect(index.search({ minX: 0, minY: 0, maxX: 200, maxY: 200 })).toEqual(['a']);
    expect(grid.estimate(0, 0, 40000, 30000, new Set())).toBe(2);
    const a = store.get('a')!;
    store.apply({ created: [pt('c', 150, 150, 'bone')], updated: [{ before: a, after: { ...a, geometry: { type: 'point', point: [9000, 9000] }, rev: 2 } }], deleted: [store.get('b')!] }, 'user');
    expect(index.search({ minX: 0, minY: 0, maxX: 200, maxY: 200 })).toEqual(['c']);
    expect(index.search({ minX: 8990, minY: 8990, maxX: 9010, maxY: 9010 })).toEqual(['a']);
    expect(grid.estimate(0, 0, 40000, 30000, new Set())).toBe(2);
    expect(grid.estimate(0, 0, 40000, 30000, new Set(['bone']))).toBe(1);
    expect(index.hitTest(152, 149, 5)).toBe('c');
    expect(index.hitTest(300, 300, 5)).toBeUndefined();
  });

  it('a region is hit inside its outer ring, not in its holes, and on any ring’s edge', () => {
    const ring = (x0: number, y0: number, w: number): Array<[number, number]> => [[x0, y0], [x0 + w, y0], [x0 + w, y0 + w], [x0, y0 + w]];
    const region: Annotation = { ...pt('r', 0, 0, 'necrosis'), geometry: { type: 'region', polygons: [[ring(0, 0, 1000), ring(400, 400, 200)], [ring(2000, 0, 100)]] } };
    const index = new AnnotationIndex(createStore([region]));
    expect(index.hitTest(100, 100, 2)).toBe('r');
    expect(index.hitTest(500, 500, 2)).toBeUndefined(); // a viable cuff inside the necrosis
    expect(index.hitTest(401, 500, 2)).toBe('r'); // the hole's edge
    expect(index.hitTest(2050, 50, 2)).toBe('r'); // the second part
  });

  it('finds exactly what a scan of the store finds, through any edits of a loaded slide (property)', () => {
    const op = fc.record({ kind: fc.constantFrom('create', 'move', 'delete', 'recreate'), n: fc.nat(1000), x: fc.nat(10000), y: fc.nat(10000) });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(10000), fc.nat(10000)), { maxLength: 60 }), fc.array(op, { maxLength: 60 }), fc.tuple(fc.nat(10000), fc.nat(10000), fc.nat(4000)), (initial, ops, [qx, qy, qs]) => {
        const store = createStore(initial.map(([x, y], i) => pt(`i${i}`, x, y)));
        const index = new AnnotationIndex(store);
        const deleted: Annotation[] = [];
        let next = 0;
        for (const o of ops) {
          const ids = store.all().map((a) => a.id);
          if (o.kind === 'create') store.apply({ created: [pt(`c${next++}`, o.x, o.y)], updated: [], deleted: [] }, 'user');
          else if (o.kind === 'move' && ids.length) {
            const a = store.get(ids[o.n % ids.length]!)!;
            store.apply({ created: [], updated: [{ before: a, after: { ...a, geometry: { type: 'point', point: [o.x, o.y] }, rev: a.rev + 1 } }], deleted: [] }, 'user');
          } else if (o.kind === 'delete' && ids.length) {
            const a = store.get(ids[o.n % ids.length]!)!;
            deleted.push(a);
            store.apply({ created: [], updated: [], deleted: [a] }, 'user');
          } else if (o.kind === 'recreate' && deleted.length) {
            const a = deleted.splice(o.n % deleted.length, 1)[0]!; // an undo of a delete
            if (!store.get(a.id)) store.apply({ created: [a], updated: [], deleted: [] }, 'undo');
          }
        }
        const box = { minX: qx, minY: qy, maxX: qx + qs, maxY: qy + qs };
        const inBox = (a: Annotation): boolean => {
          const [x, y] = (a.geometry as Geometry & { type: 'point' }).point;
          return x >= box.minX && x <= box.maxX && y >= box.minY && y <= box.maxY;
        };
        expect(index.search(box).sort()).toEqual(store.all().filter(inBox).map((a) => a.id).sort());
      }),
      { numRuns: 300 },
    );
  });

  it('picks a level whose cells are at least the asked screen size', () => {
    const grid = new DensityGrid(createStore(), 40000, 30000);
    expect(grid.levelFor(0.01, 3).cell * 0.01).toBeGreaterThanOrEqual(3);
    expect(grid.levelFor(1, 3).cell).toBe(128);
  });
});
