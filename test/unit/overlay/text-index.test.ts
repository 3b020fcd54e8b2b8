import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../../src/model/annotation';
import { createStore } from '../../../src/model/store';
import { TextIndex } from '../../../src/overlay/text-index';
import { withFlatGeometry } from '../../../src/model/flat-geometry';

const pt = (id: string, x: number, y: number, label = ''): Annotation => ({
  id, slideId: 'he', classId: 'typical-mitosis', geometry: { type: 'point', point: [x, y] }, label, note: '', author: '', created: 0, updated: 0, rev: 1,
});
const square = (id: string, x: number, y: number, side: number, label: string): Annotation => ({
  ...pt(id, 0, 0, label), classId: 'necrosis', geometry: { type: 'polygon', points: [[x, y], [x + side, y], [x + side, y + side], [x, y + side]] },
});

describe('labels in view', () => {
  it('follow the store: a label given, changed away, a ruler drawn, a labelled mark deleted', () => {
    const store = createStore([pt('a', 100, 100, 'first'), pt('b', 200, 200)]);
    const texts = new TextIndex(store.all());
    store.subscribe((cs) => texts.apply(cs));
    const view = { minX: 0, minY: 0, maxX: 1000, maxY: 1000 };
    expect(texts.inView(view)).toEqual(['a']);
    const b = store.get('b')!;
    store.apply({ created: [{ ...pt('r', 0, 0), geometry: { type: 'line', points: [[10, 10], [90, 90]] } }], updated: [{ before: b, after: { ...b, label: 'atypical', rev: 2 } }], deleted: [] }, 'user');
    expect(texts.inView(view).sort()).toEqual(['a', 'b', 'r']);
    const a = store.get('a')!;
    store.apply({ created: [], updated: [{ before: a, after: { ...a, label: '', rev: 2 } }], deleted: [store.get('r')!] }, 'user');
    expect(texts.inView(view)).toEqual(['b']);
    expect(texts.inView({ minX: 5000, minY: 5000, maxX: 6000, maxY: 6000 })).toEqual([]);
  });

  it('5,000 labelled points and one labelled region in view: at most 500 labels, the region’s among them', () => {
    const all: Annotation[] = [];
    for (let i = 0; i < 5000; i++) all.push(pt(`p${i}`, (i % 100) * 50, Math.floor(i / 100) * 50, `mitosis ${i}`));
    all.push(square('zone', 1000, 1000, 800, 'necrosis zone'));
    const texts = new TextIndex(createStore(all).all());
    const shown = texts.inView({ minX: 0, minY: 0, maxX: 5000, maxY: 2500 });
    expect(shown).toHaveLength(500);
    expect(shown).toContain('zone');
    // Labels of a hidden class take no place: with the points' class hidden, the region's is the one label.
    expect(texts.inView({ minX: 0, minY: 0, maxX: 5000, maxY: 2500 }, (id) => id === 'zone')).toEqual(['zone']);
    const pointsOnly = texts.inView({ minX: 0, minY: 0, maxX: 5000, maxY: 2500 }, (id) => id !== 'zone');
    expect(pointsOnly).toHaveLength(500);
    expect(pointsOnly).not.toContain('zone');
    // Zoomed in, everything in view is labelled.
    expect(texts.inView({ minX: 0, minY: 0, maxX: 420, maxY: 420 })).toHaveLength(81);
  });
});

describe('labels and lazily built geometry', () => {
  it('finding which annotations carry text builds no geometry of a shape read flat from a snapshot', () => {
    let built = 0;
    const flat = (id: string, type: string, coords: number[], label = ''): Annotation => {
      const a = withFlatGeometry({ id, slideId: 'he', classId: 'necrosis', label, note: '', author: '', created: 0, updated: 0, rev: 1 }, type, Float64Array.from(coords), 0, coords.length);
      const get = Object.getOwnPropertyDescriptor(a, 'geometry')!.get!;
      Object.defineProperty(a, 'geometry', { get() { built++; return get.call(this); }, enumerable: true, configurable: true });
      return a;
    };
    const texts = new TextIndex([flat('p', 'polygon', [0, 0, 100, 0, 100, 100]), flat('r', 'line', [0, 0, 50, 50]), flat('n', 'polygon', [200, 200, 300, 200, 300, 300], 'named')]);
    expect(texts.inView({ minX: 0, minY: 0, maxX: 1000, maxY: 1000 }).sort()).toEqual(['n', 'r']);
    expect(built).toBe(0);
  });
});
