import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Annotation, Geometry } from '../../../../src/model/annotation';
import { singlePrecision } from '../../../../src/model/annotation';
import { DEFAULT_CLASSES } from '../../../../src/model/classes';
import { planImport } from '../../../../src/model/formats/import-plan';
import type { ImportTarget } from '../../../../src/model/formats/import-plan';
import type { ReadFile } from '../../../../src/model/formats/imported';
import { parseQuPath, serializeQuPath } from '../../../../src/model/formats/qupath';
import { readAnnotationFile } from '../../../../src/model/formats/read-file';
import { parseW3C, serializeW3C } from '../../../../src/model/formats/w3c';

const fixture = (name: string): string => readFileSync(`test/fixtures/annotations/${name}`, 'utf8');
const classOf = (id: string) => DEFAULT_CLASSES.find((c) => c.id === id);

function target(extra: Partial<ImportTarget> = {}): ImportTarget {
  let n = 0;
  return { slideId: 'he', width: 40000, height: 30000, classes: DEFAULT_CLASSES, existingIds: new Set(), now: 1000, newId: () => `new-${++n}`, ...extra };
}

const plan = (file: { value?: ReadFile; error?: string }, t = target()) => {
  expect(file.error).toBeUndefined();
  return planImport(file.value!, t);
};

describe('QuPath GeoJSON', () => {
  it('reads what QuPath 0.5 writes: holes, multipolygons, point sets, lines, classifications by name or names, NaN and Infinity written bare', () => {
    const r = parseQuPath(fixture('qupath-0.5.geojson'));
    expect(r.error).toBeUndefined();
    const f = r.value!;
    expect(f.shapes.map((s) => s.geometry.type)).toEqual(['region', 'point', 'point', 'point', 'polygon', 'line', 'rectangle']);
    expect(f.shapes[0]!.geometry).toEqual({ type: 'region', polygons: [[[[1000, 1000], [3000, 1000], [3000, 3000], [1000, 3000]], [[1500, 1500], [1800, 1500], [1800, 1800], [1500, 1800]]]] });
    expect(f.shapes[0]).toMatchObject({ className: 'Necrosis', classColour: '#5a3c1e', label: 'Necrosis with a cuff', sourceId: '6f0a2a9e-4c4e-4b8e-9a55-0d1f1a1b2c3d' });
    // A one-part MultiPolygon is a polygon; a four-corner axis-aligned polygon a rectangle.
    expect(f.shapes[4]).toMatchObject({ className: 'Tumor: Positive', geometry: { type: 'polygon', points: [[0, 0], [10, 0], [10, 10]] } });
    expect(f.shapes[6]).toMatchObject({ className: 'Region*', classColour: '#008000', geometry: { type: 'rectangle', min: [200, 200], max: [260, 240] } });
    expect(f.shapes[5]!.label).toBe('<img src=x onerror=alert(1)>');
    expect(f.skipped).toEqual([
      { reason: 'QuPath detection objects (analysis results, not annotations)', count: 1 },
      { reason: 'QuPath cell objects (analysis results, not annotations)', count: 1 },
    ]);
    expect(f.notes.join(' ')).toMatch(/MultiPoint/);
  });

  it('reads QuPath 0.2 files (object type in the id, a bare list of features)', () => {
    const f = parseQuPath(fixture('qupath-0.2.geojson')).value!;
    expect(f.shapes).toHaveLength(1);
    expect(f.shapes[0]).toMatchObject({ className: 'Stroma', geometry: { type: 'polygon' } });
    expect(f.shapes[0]!.sourceId).toBeUndefined();
    expect(f.skipped[0]!.count).toBe(1);
  });

  it('reads QuPath Edu’s teaching fields into notes: the description, a multiple-choice answer with its right choices, an older plain Answer; as text', () => {
    const feature = (name: string, metadata: Record<string, unknown>) => ({
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: [[[0, 0], [100, 0], [100, 100], [0, 0]]] },
      properties: { objectType: 'annotation', name, metadata },
    });
    const text = JSON.stringify({
      type: 'FeatureCollection',
      features: [
        feature('Which tumour?', { ANNOTATION_DESCRIPTION: 'Fascicles of atypical spindle cells.', EDU_ANSWER: JSON.stringify([{ choice: 'Leiomyoma', isAnswer: false }, { choice: 'Leiomyosarcoma', isAnswer: true }, { choice: '<img src=x onerror=alert(1)>', isAnswer: false }]) }),
        feature('What is this?', { Answer: 'Coagulative tumour necrosis' }),
        feature('Look here', { ANNOTATION_DESCRIPTION: 'An atypical mitosis.' }),
        feature('Plain', {}),
      ],
    });
    const notes = parseQuPath(text).value!.shapes.map((s) => s.note);
    expect(notes[0]).toBe('Fascicles of atypical spindle cells.\n\nQuestion choices (QuPath Edu):\n- Leiomyoma\n- Leiomyosarcoma (right)\n- <img src=x onerror=alert(1)>');
    expect(notes[1]).toBe('Answer (QuPath Edu): Coagulative tumour necrosis');
    expect(notes[2]).toBe('An atypical mitosis.');
    expect(notes[3]).toBe('');
  });

  it('writes what QuPath reads: a colour with every classification, closed rings, one-part regions as Polygons, measurements in µm', () => {
    const a = (id: string, geometry: Geometry, classId = 'necrosis'): Annotation => ({ id, slideId: 'he', classId, geometry, label: id, note: '', author: 'T', created: 0, updated: 0, rev: 1 });
    const json = JSON.parse(
      serializeQuPath(
        [
          a('p', { type: 'polygon', points: [[0, 0], [100, 0], [0, 100]] }),
          a('r', { type: 'region', polygons: [[[[0, 0], [100, 0], [100, 100]], [[10, 10], [20, 10], [10, 20]]]] }),
          a('m', { type: 'region', polygons: [[[[0, 0], [1, 0], [1, 1]]], [[[5, 5], [6, 5], [6, 6]]]] }),
          a('x', { type: 'point', point: [3, 4] }, 'typical-mitosis'),
        ],
        classOf,
        0.25,
      ),
    ) as { features: Array<{ geometry: { type: string; coordinates: number[][][] }; properties: { classification: { name: string; color: number[] }; measurements?: Record<string, number> } }> };
    const [p, r, m, x] = json.features;
    expect(p!.geometry).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [100, 0], [0, 100], [0, 0]]] });
    expect(p!.properties.classification).toEqual({ name: 'Necrosis zone', color: [140, 90, 43] });
    expect(p!.properties.measurements!['Area µm^2']).toBeCloseTo(5000 * 0.0625);
    expect(r!.geometry.type).toBe('Polygon');
    expect(r!.geometry.coordinates).toHaveLength(2);
    expect(m!.geometry.type).toBe('MultiPolygon');
    expect(x!.geometry).toEqual({ type: 'Point', coordinates: [3, 4] });
    expect(x!.properties.classification.name).toBe('Typical mitosis');
  });
});

describe('W3C Web Annotations (Annotorious v3)', () => {
  it('reads fragment and SVG selectors, tagging and commenting bodies, creators and dates', () => {
    const r = parseW3C(fixture('annotorious-3.json'));
    expect(r.error).toBeUndefined();
    const f = r.value!;
    expect(f.shapes.map((s) => s.geometry.type)).toEqual(['rectangle', 'polygon', 'ellipse', 'region', 'line']);
    expect(f.shapes[0]).toMatchObject({ className: 'Necrosis zone', note: 'Geographic <b>necrosis</b>', geometry: { min: [100, 200], max: [400, 600] }, created: Date.parse('2026-11-30T10:00:00.000Z'), author: 'qTw3sGhzT2Hm0Ab1cD2e' });
    expect(f.shapes[3]!.geometry).toEqual({ type: 'region', polygons: [[[[0, 0], [100, 0], [100, 100], [0, 100]], [[20, 20], [40, 20], [40, 40]]], [[[200, 200], [300, 200], [250, 300]]]] });
    expect(f.skipped).toEqual([{ reason: 'SVG shapes with a transform (rotated rectangles)', count: 1 }]);
  });

  it('warns that freehand shapes become polygons, and writes points as circles', () => {
    const a: Annotation = { id: 'f', slideId: 'he', classId: 'other', geometry: { type: 'freehand', points: [[0, 0], [1, 0], [1, 1]] }, label: '', note: '', author: '', created: 0, updated: 0, rev: 1 };
    const out = serializeW3C([a, { ...a, id: 'pt', geometry: { type: 'point', point: [7, 8] } }], classOf, 'he');
    expect(out.warnings).toEqual(['1 freehand shape(s) are written as polygons: W3C selectors do not tell them apart.']);
    expect(out.text).toContain('<circle cx=\\"7\\" cy=\\"8\\" r=\\"1\\" />');
  });
});

/** Annotations as the editor makes them: single-precision coordinates, whole-ms times, any class and text. */
const coord = fc.integer({ min: -2_000_000, max: 32_000_000 }).map((n) => Math.fround(n / 4));
const pt = fc.tuple(coord, coord);
const ring = fc.array(pt, { minLength: 3, maxLength: 12 });
const positive = fc.integer({ min: 1, max: 4_000_000 }).map((n) => Math.fround(n / 4));
const geometry: fc.Arbitrary<Geometry> = fc.oneof(
  pt.map((p) => ({ type: 'point' as const, point: p })),
  ring.map((points) => ({ type: 'polygon' as const, points })),
  ring.map((points) => ({ type: 'freehand' as const, points })),
  fc.tuple(pt, pt).map(([a, b]) => ({ type: 'line' as const, points: [a, b] as [typeof a, typeof b] })),
  fc.tuple(pt, positive, positive).map(([min, w, h]) => ({ type: 'rectangle' as const, min, max: [Math.fround(min[0] + w), Math.fround(min[1] + h)] as [number, number] })),
  fc.tuple(pt, positive, positive).map(([center, rx, ry]) => ({ type: 'ellipse' as const, center, rx, ry })),
  fc.array(fc.array(ring, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
    // One part with no holes is written and read as a polygon: a region has holes or parts.
    .filter((polys) => polys.length > 1 || polys[0]!.length > 1)
    .map((polygons) => ({ type: 'region' as const, polygons })),
);
const annotation = fc.record({
  id: fc.uuid(),
  classId: fc.constantFrom(...DEFAULT_CLASSES.map((c) => c.id)),
  geometry,
  label: fc.string({ maxLength: 40 }),
  note: fc.string({ maxLength: 200, unit: 'grapheme' }),
  author: fc.string({ maxLength: 20 }),
  created: fc.integer({ min: 0, max: 4_000_000_000_000 }),
  updated: fc.integer({ min: 0, max: 4_000_000_000_000 }),
}).map((a): Annotation => ({ ...a, slideId: 'he', geometry: singlePrecision(a.geometry), rev: 1 }));
const uniqueIds = (list: Annotation[]): Annotation[] => [...new Map(list.map((a) => [a.id, a])).values()];

describe('round trips (property)', () => {
  it('QuPath GeoJSON: serialize → parse → import gives back every annotation exactly', () => {
    fc.assert(
      fc.property(fc.array(annotation, { maxLength: 20 }).map(uniqueIds), (list) => {
        const back = plan(parseQuPath(serializeQuPath(list, classOf, 0.25)));
        expect(back.error).toBeUndefined();
        expect(back.value!.annotations).toEqual(list);
        expect(back.value!.newClasses).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('W3C: serialize → parse → import gives back every annotation exactly, but freehand shapes as polygons', () => {
    fc.assert(
      fc.property(fc.array(annotation, { maxLength: 20 }).map(uniqueIds), (list) => {
        const out = serializeW3C(list, classOf, 'he');
        const back = plan(parseW3C(out.text));
        const expected = list.map((a) => (a.geometry.type === 'freehand' ? { ...a, geometry: { type: 'polygon' as const, points: a.geometry.points } } : a));
        expect(back.value!.annotations).toEqual(expected);
        expect(out.warnings.length > 0).toBe(list.some((a) => a.geometry.type === 'freehand'));
      }),
      { numRuns: 200 },
    );
  });
});

describe('import plan', () => {
  it('matches classes by name, makes the missing ones, renews taken ids, counts shapes outside the slide', () => {
    const file = parseQuPath(fixture('qupath-0.5.geojson'));
    const r = plan(file, target({ existingIds: new Set(['6f0a2a9e-4c4e-4b8e-9a55-0d1f1a1b2c3d']), width: 2000, height: 2000 })).value!;
    expect(r.summary.added).toBe(7);
    expect(r.summary.renamed).toBe(1);
    expect(r.annotations[0]!.id).toMatch(/^new-/);
    expect(r.summary.newClasses).toEqual(['Necrosis', 'Mitosis (typical)', 'Tumor: Positive', 'Region*']);
    expect(r.newClasses[0]).toMatchObject({ colour: '#5a3c1e', tool: 'polygon' });
    expect(r.newClasses[1]).toMatchObject({ tool: 'point' });
    // The unclassified line goes to Other; three shapes lie beyond 2000 px.
    expect(r.annotations[5]!.classId).toBe('other');
    expect(r.summary.outside).toBe(4);
    expect(r.summary.perClass[0]).toEqual({ name: 'Mitosis (typical)', count: 3 });
  });

  it('refuses the whole file, naming the shape, when any record would break the schema', () => {
    const big = JSON.stringify({ type: 'Feature', id: 'n', geometry: { type: 'Point', coordinates: [1, 2] }, properties: { name: 'x', metadata: { 'lamina.note': 'y'.repeat(10_001) } } });
    expect(plan(parseQuPath(big)).error).toMatch(/^shape 1 \(id n\): note: must be text of at most 10000 characters/);
  });
});

describe('bad input is refused with where the problem is, and never throws (fuzz)', () => {
  it.each([
    ['truncated JSON', '{"type":"FeatureCollection","features":[{"type":"Feature"', /not valid JSON/],
    ['not GeoJSON', '{"hello":"world"}', /expected a FeatureCollection/],
    ['coordinates not a list', '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}},{"type":"Feature","geometry":{"type":"Polygon","coordinates":5}}]}', /^feature 2: geometry\.coordinates: is not an array/],
    ['NaN coordinate', '[{"type":"Feature","geometry":{"type":"Point","coordinates":[NaN,2]}}]', /^feature 1: geometry\.coordinates\.x: must be a finite number/],
    ['absurd coordinate', '[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1e300],[2,2],[0,0]]]}}]', /^feature 1: geometry\.coordinates\[1\]\[2\]\.y: is too far out/],
    ['unknown geometry', '[{"type":"Feature","geometry":{"type":"Circle","coordinates":[1,2]}}]', /unknown geometry type "Circle"/],
    ['a feature that is not one', '[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]}}, 7]', /^feature 2: must be an object/],
  ])('%s', (_what, text, msg) => {
    expect(readAnnotationFile(text).error).toMatch(msg);
  });

  it('prototype keys are data: nothing reaches Object.prototype', () => {
    const text = '[{"type":"Feature","__proto__":{"polluted":1},"geometry":{"type":"Point","coordinates":[1,2]},"properties":{"__proto__":{"polluted":2},"constructor":{"prototype":{"polluted":3}},"name":"ok"}}]';
    const r = readAnnotationFile(text);
    expect(r.value!.shapes[0]!.label).toBe('ok');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('random text, and valid files cut or mutated anywhere, give a value or an error, never an exception', () => {
    const seeds = [fixture('qupath-0.5.geojson'), fixture('qupath-0.2.geojson'), fixture('annotorious-3.json')];
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
        const r = readAnnotationFile(text);
        expect(r.value !== undefined || typeof r.error === 'string').toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.nat(), fc.string({ maxLength: 8 }), fc.nat(40), (seed, at, insert, cut) => {
        const i = at % seed.length;
        const text = seed.slice(0, i) + insert + seed.slice(i + cut);
        const r = readAnnotationFile(text);
        expect(r.value !== undefined || typeof r.error === 'string').toBe(true);
        if (r.value) expect(planImport(r.value, target()).value !== undefined || typeof planImport(r.value, target()).error === 'string').toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
