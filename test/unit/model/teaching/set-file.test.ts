import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { strToU8, unzipSync, zipSync } from 'fflate';
import type { Zippable } from 'fflate';
import type { Annotation, Geometry } from '../../../../src/model/annotation';
import type { AnnotationClass } from '../../../../src/model/classes';
import { DEFAULT_CLASSES } from '../../../../src/model/classes';
import { planImport } from '../../../../src/model/formats/import-plan';
import type { ReadFile } from '../../../../src/model/formats/imported';
import { parseQuPath } from '../../../../src/model/formats/qupath';
import { MAX_EMBEDDED_BYTES, readSetFile, SET_FILE_LIMITS, writeSetFile } from '../../../../src/model/teaching/set-file';
import type { SetFileSlide } from '../../../../src/model/teaching/set-file';
import type { TeachingSet } from '../../../../src/model/teaching/types';
import { teachingSet } from './set-arbitrary';

const NOW = new Date('2026-03-01T09:30:00.000Z');
const view = (slideId: string, x = 1000) => ({ slideId, x, y: 2000, z: 10, r: 90 });

const set: TeachingSet = {
  id: 'sarcoma-1',
  name: 'Grading a leiomyosarcoma',
  description: 'FNCLCC: differentiation, mitoses, necrosis.',
  author: 'Dr Teacher',
  created: 1_767_225_600_000,
  updated: 1_767_312_000_000,
  order: 1,
  items: [
    {
      id: 'he-item',
      slideId: 'he',
      figure: 4,
      title: 'H&E overview',
      tour: [
        { id: 't1', title: 'Necrosis', text: 'Look for **geographic** necrosis:\n- pale\n- [WHO](https://tumourclassification.iarc.who.int/)', view: view('he'), highlight: ['nec', 'mit'] },
        { id: 't2', title: 'Mitoses', text: '*Count* in 10 HPF. <script>alert(1)</script>', view: view('he', 5000), highlight: [] },
      ],
      quizzes: [
        { kind: 'points', id: 'q-points', prompt: 'Mark every atypical mitosis', view: view('he'), field: { x: 1000, y: 1000, width: 2000, height: 1500 }, radiusUm: 5, classId: 'atypical-mitosis', key: [[1200, 1300], [2500.5, 2100.25]] },
        { kind: 'region', id: 'q-region', prompt: 'Outline the necrosis', view: view('he'), classId: 'necrosis', key: [[[[0, 0], [100, 0], [100, 100], [0, 100]], [[40, 40], [60, 40], [60, 60]]]], passDice: 0.7 },
      ],
    },
    {
      id: 'ki-item',
      slideId: 'ki67',
      title: 'Ki67',
      tour: [{ id: 't1', title: 'Hot spot', text: 'Find the hot spot.', view: view('ki67'), highlight: ['hot'] }],
      quizzes: [
        { kind: 'number', id: 'q-number', prompt: 'Estimate the Ki67 index', view: view('ki67'), unit: '%', key: 30, tolerance: 10 },
        { kind: 'choice', id: 'q-choice', prompt: 'Which grade?', view: view('ki67'), choices: ['Grade 1', 'Grade 2', 'Grade 3'], key: [1, 2] },
      ],
    },
  ],
};

const ann = (id: string, slideId: string, classId: string, geometry: Geometry): Annotation => ({ id, slideId, classId, geometry, label: `label ${id}`, note: 'a note <b>', author: 'Dr Teacher', created: 1_767_225_600_000, updated: 1_767_225_601_000, rev: 1 });
const custom: AnnotationClass = { id: 'class-cuff', name: 'Viable cuff', colour: '#112233', key: 0, tool: 'polygon' };
const slides: SetFileSlide[] = [
  {
    slideId: 'he',
    mpp: 0.25,
    classes: [...DEFAULT_CLASSES, custom],
    annotations: [
      ann('nec', 'he', 'necrosis', { type: 'region', polygons: [[[[0, 0], [100, 0], [100, 100], [0, 100]], [[40, 40], [60, 40], [60, 60]]]] }),
      ann('mit', 'he', 'atypical-mitosis', { type: 'point', point: [1200, 1300] }),
      ann('cuff', 'he', 'class-cuff', { type: 'polygon', points: [[10, 10], [20, 10], [15, 30]] }),
      ann('ell', 'he', 'other', { type: 'ellipse', center: [500, 500], rx: 40, ry: 20 }),
    ],
  },
  { slideId: 'ki67', mpp: 0.5, classes: DEFAULT_CLASSES, annotations: [ann('hot', 'ki67', 'ki67-positive', { type: 'point', point: [7, 8] })] },
];

/** The annotations a read slide gives when imported into an empty slide with its classes. */
function imported(slideId: string, classes: AnnotationClass[], file: ReadFile): Annotation[] {
  const plan = planImport(file, { slideId, width: 1, height: 1, classes, existingIds: new Set(), now: 0, newId: () => 'new' });
  expect(plan.error).toBeUndefined();
  expect(plan.value!.newClasses).toEqual([]);
  return plan.value!.annotations;
}

const good = writeSetFile(set, slides, NOW);
const manifestOf = (bytes: Uint8Array): Record<string, unknown> => JSON.parse(new TextDecoder().decode(unzipSync(bytes)['manifest.json']!)) as Record<string, unknown>;
const zipWith = (manifest: unknown, extra: Zippable = {}): Uint8Array => zipSync({ 'manifest.json': strToU8(typeof manifest === 'string' ? manifest : JSON.stringify(manifest)), ...extra });
const goodManifest = manifestOf(good);
const goodGeojson = unzipSync(good)['slides/he.geojson']!;

/** The zip with an entry's declared uncompressed size (local header and directory) set to `size`. */
function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const dv = new DataView(out.buffer);
  for (let at = 0; at + 46 < out.length; at++) {
    if (dv.getUint32(at, true) !== 0x02014b50) continue;
    const nameLength = dv.getUint16(at + 28, true);
    if (new TextDecoder().decode(out.subarray(at + 46, at + 46 + nameLength)) !== name) continue;
    dv.setUint32(at + 24, size, true);
    dv.setUint32(dv.getUint32(at + 42, true) + 22, size, true);
  }
  return out;
}

/** The zip with every occurrence of one entry name's bytes replaced by another of the same length. */
function renameEntry(zip: Uint8Array, from: string, to: string): Uint8Array {
  const [f, t] = [strToU8(from), strToU8(to)];
  const out = zip.slice();
  for (let at = 0; at + f.length <= out.length; at++) if (f.every((b, i) => out[at + i] === b)) out.set(t, at);
  return out;
}

describe('set file: write and read', () => {
  it('gives back the set, each slide’s classes and its annotations exactly', () => {
    const r = readSetFile(good);
    expect(r.error).toBeUndefined();
    expect(r.value!.set).toEqual(set);
    expect(r.value!.slides.map((s) => s.slideId)).toEqual(['he', 'ki67']);
    for (const [i, s] of r.value!.slides.entries()) {
      expect(s.classes).toEqual(slides[i]!.classes);
      expect(imported(s.slideId, s.classes, s.file)).toEqual(slides[i]!.annotations);
    }
  });

  it('lays the zip out as documented: a versioned manifest and one QuPath GeoJSON per slide', () => {
    const files = unzipSync(good);
    expect(Object.keys(files)).toEqual(['manifest.json', 'slides/he.geojson', 'slides/ki67.geojson']);
    expect(goodManifest).toMatchObject({ format: 'lamina-set', version: 1, exported: '2026-03-01T09:30:00.000Z', slides: [{ slideId: 'he', annotations: 'slides/he.geojson' }, { slideId: 'ki67', annotations: 'slides/ki67.geojson' }] });
    // What QuPath reads: a FeatureCollection whose classes carry their names.
    const qupath = parseQuPath(new TextDecoder().decode(files['slides/he.geojson']));
    expect(qupath.value!.shapes.map((s) => s.className)).toEqual(['Necrosis zone', 'Atypical mitosis', 'Viable cuff', 'Other']);
    expect(writeSetFile(set, slides, NOW)).toEqual(good);
  });

  it('names the file of a slide whose id is no plain name safely, and still reads it back', () => {
    const odd = [{ ...slides[1]!, slideId: '../../etc' }, { ...slides[1]!, slideId: 'slide-1' }];
    const bytes = writeSetFile(set, odd, NOW);
    expect(Object.keys(unzipSync(bytes))).toEqual(['manifest.json', 'slides/slide-1.geojson', 'slides/slide-2-2.geojson']);
    expect(readSetFile(bytes).value!.slides.map((s) => s.slideId)).toEqual(['../../etc', 'slide-1']);
  });

  it('refuses to write what would not read back, saying where', () => {
    const nanView = { ...set, items: [{ ...set.items[0]!, tour: [{ ...set.items[0]!.tour[0]!, view: { ...view('he'), x: NaN } }] }] };
    expect(() => writeSetFile(nanView, slides, NOW)).toThrow('Cannot write the set file: set.items[1].tour[1].view.x: must be a finite number');
    expect(() => writeSetFile({ ...set, name: '' }, slides, NOW)).toThrow('set.name: must not be empty');
    expect(() => writeSetFile(set, [slides[0]!, slides[0]!], NOW)).toThrow('slides: names a slide twice');
    expect(() => writeSetFile(set, [{ ...slides[1]!, classes: [{ ...custom, colour: 'red' }] }], NOW)).toThrow('slides[1].classes[1].colour: must be #rrggbb');
    expect(() => writeSetFile(set, [{ ...slides[1]!, annotations: [ann('x', 'ki67', 'other', { type: 'point', point: [Infinity, 0] })] }], NOW)).toThrow(/slide ki67, annotation\.geometry\.point\.x/);
    expect(() => writeSetFile(set, slides, new Date(NaN))).toThrow(/not a valid date/);
  });

  it('writes and reads back any valid set (property)', () => {
    fc.assert(
      fc.property(teachingSet, (s) => {
        const r = readSetFile(writeSetFile(s, [], NOW));
        expect(r.error).toBeUndefined();
        expect(r.value!.set).toEqual(s);
      }),
      { numRuns: 150 },
    );
  });
});

describe('set file: a teacher’s own slide file embedded', () => {
  // Incompressible bytes, as a slide file's are (its tiles are JPEG already).
  const slideBytes = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 2_654_435_761) >>> 24);
  const withFile = slides.map((sl, i) => (i === 0 ? { ...sl, embedded: [{ name: 'my scan (2).svs', bytes: slideBytes }] } : sl));
  const bytes = writeSetFile(set, withFile, NOW);

  it('travels beside its slide’s GeoJSON, stored as it is, and reads back byte for byte with its name', () => {
    const files = unzipSync(bytes);
    expect(Object.keys(files)).toEqual(['manifest.json', 'slides/he.geojson', 'slides/he/1-my_scan_2_.svs', 'slides/ki67.geojson']);
    expect(manifestOf(bytes)).toMatchObject({ slides: [{ slideId: 'he', files: [{ path: 'slides/he/1-my_scan_2_.svs', name: 'my scan (2).svs', size: 300_000 }] }, { slideId: 'ki67' }] });
    // Stored, not deflated: the set file is not much larger than the slide.
    expect(bytes.length).toBeLessThan(slideBytes.length + 20_000);
    const r = readSetFile(bytes);
    expect(r.error).toBeUndefined();
    expect(r.value!.slides[0]!.embedded).toEqual([{ name: 'my scan (2).svs', bytes: slideBytes }]);
    expect(r.value!.slides[1]!.embedded).toBeUndefined();
    // Without one, the manifest has no files (a set file as before).
    expect(manifestOf(good)['slides']).toEqual([expect.not.objectContaining({ files: expect.anything() }), expect.not.objectContaining({ files: expect.anything() })]);
  });

  it('more than the limit the teacher is shown is refused when writing; a manifest that lies about a file is refused when reading', () => {
    const big = { name: 'big.svs', bytes: new Uint8Array(1) };
    Object.defineProperty(big.bytes, 'length', { value: MAX_EMBEDDED_BYTES + 1 });
    expect(() => writeSetFile(set, [{ ...slides[0]!, embedded: [big] }], NOW)).toThrow(/more than the 250 MB a set file carries/);
    const manifest = manifestOf(bytes) as { slides: Array<{ files?: Array<{ size: number; path: string }> }> };
    const files = unzipSync(bytes);
    const lying = structuredClone(manifest);
    lying.slides[0]!.files![0]!.size = 299_999;
    expect(readSetFile(zipWith(lying, { 'slides/he.geojson': files['slides/he.geojson']!, 'slides/ki67.geojson': files['slides/ki67.geojson']!, 'slides/he/1-my_scan_2_.svs': files['slides/he/1-my_scan_2_.svs']! })).error).toMatch(/is 300000 bytes, not the 299999 its manifest says/);
    expect(readSetFile(zipWith(manifest, { 'slides/he.geojson': files['slides/he.geojson']!, 'slides/ki67.geojson': files['slides/ki67.geojson']! })).error).toMatch(/the archive has no "slides\/he\/1-my_scan_2_.svs"/);
  });
});

describe('set file: hostile and broken files are refused with a clear message, never thrown', () => {
  it.each([
    ['an empty file', new Uint8Array(0), /not a zip archive/],
    ['random bytes', Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251), /not a zip archive/],
    ['a zip cut in half', good.slice(0, good.length >> 1), /not a zip archive/],
    ['a zip missing its last bytes', good.slice(0, good.length - 10), /not a zip archive/],
    ['a zip missing its first bytes', good.slice(100), /^Not a readable set file\. (The file is not a zip archive|The archive is refused)/],
    ['no manifest', zipSync({ 'slides/he.geojson': goodGeojson }), /^Not a Lamina teaching set: the archive has no manifest\.json\.$/],
    ['a manifest that is not JSON', zipWith('{"format": "lamina-set",'), /manifest\.json is not valid JSON/],
    ['a manifest that is not UTF-8', zipSync({ 'manifest.json': new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) }), /manifest\.json is not UTF-8 text/],
    ['another format', zipWith({ ...goodManifest, format: 'lamina-backup' }), /"format" is not "lamina-set"/],
    ['a newer version', zipWith({ ...goodManifest, version: 2 }), /^This set file is version 2; this Lamina reads version 1: a newer Lamina wrote it\.$/],
    ['a version that is no number', zipWith({ ...goodManifest, version: '1' }), /of no known version/],
    ['a slide file that is missing', zipWith(goodManifest), /^Not a usable teaching set: slides\[1\]\.annotations: the archive has no "slides\/he\.geojson"\.$/],
    ['a slide file that is not QuPath GeoJSON', zipWith(goodManifest, { 'slides/he.geojson': strToU8('{"hello": 1}'), 'slides/ki67.geojson': goodGeojson }), /slides\/he\.geojson: Not a QuPath GeoJSON file/],
    ['a path that climbs out', zipWith(goodManifest, { '../evil.sh': strToU8('rm -rf') }), /"\.\.\/evil\.sh" climbs out of the archive/],
    ['a path that climbs out, Windows style', zipWith(goodManifest, { 'slides\\..\\..\\evil': strToU8('x') }), /climbs out/],
    ['an absolute path', zipWith(goodManifest, { '/etc/cron.d/x': strToU8('x') }), /"\/etc\/cron\.d\/x" is an absolute path/],
    ['a drive path', zipWith(goodManifest, { 'C:/x': strToU8('x') }), /is an absolute path/],
  ])('%s', (_what, bytes, message) => {
    const r = readSetFile(bytes);
    expect(r.value).toBeUndefined();
    expect(r.error).toMatch(message);
  });

  const withManifest = (patch: (m: { set: TeachingSet }) => unknown): Uint8Array => {
    const m = structuredClone(goodManifest) as { set: TeachingSet };
    return zipWith(patch(m), { 'slides/he.geojson': goodGeojson, 'slides/ki67.geojson': goodGeojson });
  };

  it('a quiz item missing its key, or NaN in a view (null in JSON), is refused naming the field', () => {
    const noKey = withManifest((m) => {
      delete (m.set.items[1]!.quizzes[1] as { key?: unknown }).key;
      return m;
    });
    expect(readSetFile(noKey).error).toBe('Not a usable teaching set: set.items[2].quizzes[2].key: is missing');
    // JSON.stringify writes NaN as null.
    const nanView = withManifest((m) => JSON.parse(JSON.stringify(m).replace('"x":1000', '"x":null')) as unknown);
    expect(readSetFile(nanView).error).toBe('Not a usable teaching set: set.items[1].tour[1].view.x: must be a finite number');
    const bareNaN = zipWith(JSON.stringify(goodManifest).replace('"x":1000', '"x":NaN'));
    expect(readSetFile(bareNaN).error).toMatch(/manifest\.json is not valid JSON/);
  });

  it('prototype keys in the manifest are data: nothing reaches Object.prototype', () => {
    const text = JSON.stringify(goodManifest)
      .replace('{"format"', '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"format"')
      .replace('"name":"Grading', '"__proto__":{"polluted":3},"name":"Grading')
      .replace('"id":"he-item"', '"__proto__":{"polluted":4},"id":"he-item"');
    const r = readSetFile(zipWith(text, { 'slides/he.geojson': goodGeojson, 'slides/ki67.geojson': goodGeojson }));
    expect(r.error).toBeUndefined();
    expect(r.value!.set).toEqual(set);
    expect(Object.getPrototypeOf(r.value!.set)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect((r.value!.set as unknown as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a zip bomb that declares more than the limit is refused before anything is inflated', () => {
    const bomb = zipWith(goodManifest, { 'slides/he.geojson': new Uint8Array(4 * 1024 * 1024) });
    expect(bomb.length).toBeLessThan(10_000);
    expect(readSetFile(bomb, { maxTotalBytes: 1024 * 1024 }).error).toMatch(/would unpack to more than 1 MB .*"slides\/he\.geojson" alone as 4 MB.*zip bomb/);
    // Declared beyond the default 300 MB: refused on the declaration alone.
    expect(readSetFile(declareSize(good, 'slides/he.geojson', 400 * 1024 * 1024)).error).toMatch(/more than 300 MB.*zip bomb/);
    expect(SET_FILE_LIMITS).toEqual({ maxTotalBytes: 300 * 1024 * 1024, maxEntries: 200 });
  });

  it('a zip bomb that lies about its size is stopped as it passes what it declared', () => {
    const liar = declareSize(zipWith(goodManifest, { 'slides/he.geojson': new Uint8Array(8 * 1024 * 1024) }), 'slides/he.geojson', 1000);
    expect(readSetFile(liar).error).toMatch(/"slides\/he\.geojson" unpacks to more than the 1000 bytes it declares; refused as a possible zip bomb/);
    // Stored rather than deflated, the same.
    const stored = declareSize(zipSync({ 'manifest.json': strToU8(JSON.stringify(goodManifest)), 'slides/he.geojson': [new Uint8Array(100_000), { level: 0 }] }), 'slides/he.geojson', 10);
    expect(readSetFile(stored).error).toMatch(/unpacks to more than the 10 bytes it declares/);
  });

  it('too many entries, or two with one name, are refused', () => {
    const many: Zippable = {};
    for (let i = 0; i < 5; i++) many[`slides/${i}.geojson`] = strToU8('[]');
    expect(readSetFile(zipWith(goodManifest, many), { maxEntries: 3 }).error).toMatch(/more than 3 files/);
    const tooMany: Zippable = {};
    for (let i = 0; i < 201; i++) tooMany[`x/${i}`] = new Uint8Array(0);
    expect(readSetFile(zipSync(tooMany)).error).toMatch(/more than 200 files/);
    // Two entries named alike (zipSync cannot make them: one is renamed in its headers).
    const twice = renameEntry(zipWith(goodManifest, { 'slides/he.geojson': goodGeojson, 'slides/xx.geojson': goodGeojson }), 'slides/xx.geojson', 'slides/he.geojson');
    expect(readSetFile(twice).error).toMatch(/"slides\/he\.geojson" is in the archive twice/);
  });

  it('random changes to a valid set file give a set or an error, never an exception (fuzz)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.nat(), (edits, cut) => {
        const bytes = good.slice(0, good.length - (cut % 4 === 0 ? cut % 200 : 0));
        for (const [at, value] of edits) bytes[at % bytes.length] = value;
        const r = readSetFile(bytes);
        expect(r.value !== undefined || typeof r.error === 'string').toBe(true);
      }),
      { numRuns: 1500 },
    );
  });
});
