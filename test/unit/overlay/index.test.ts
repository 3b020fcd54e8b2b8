import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../../src/model/annotation';
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

  it('picks a level whose cells are at least the asked screen size', () => {
    const grid = new DensityGrid(createStore(), 40000, 30000);
    expect(grid.levelFor(0.01, 3).cell * 0.01).toBeGreaterThanOrEqual(3);
    expect(grid.levelFor(1, 3).cell).toBe(128);
  });
});
