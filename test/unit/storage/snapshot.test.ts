import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import 'fake-indexeddb/auto';
import type { Annotation, Geometry } from '../../../src/model/annotation';
import { singlePrecision } from '../../../src/model/annotation';
import { checkGeometry, MAX_COORD } from '../../../src/model/annotation-schema';
import { checkFlatGeometry, flattenGeometry } from '../../../src/model/flat-geometry';
import { openLaminaDb } from '../../../src/storage/database';
import { AnnotationRepository, COMPACT_AFTER, ConflictError } from '../../../src/storage/annotation-repo';
import { decodeSnapshot, encodeSnapshot, snapshotWatermark } from '../../../src/storage/snapshot';

let dbCounter = 0;
const freshName = (): string => `lamina-snapshot-${++dbCounter}`;

const mk = (id: string, geometry: Geometry, extra: Partial<Annotation> = {}): Annotation => ({
  id, slideId: 'he', classId: 'necrosis', geometry, label: '', note: '', author: 'T', created: 1, updated: 2, rev: 1, ...extra,
});

const EVERY_SHAPE: Geometry[] = [
  { type: 'point', point: [1.5, -2.25] },
  { type: 'polygon', points: [[0, 0], [10.1, 0], [5, 7.77]] },
  { type: 'freehand', points: [[1, 1], [2, 3], [4, 1], [3, 0]] },
  { type: 'rectangle', min: [3, 4], max: [30, 40] },
  { type: 'ellipse', center: [100, 200], rx: 12.5, ry: 3 },
  { type: 'line', points: [[0, 0], [1e6, 1e-6]] },
  { type: 'region', polygons: [[[[0, 0], [100, 0], [100, 100], [0, 100]], [[10, 10], [20, 10], [15, 20]]], [[[200, 200], [250, 200], [225, 260.5]]]] },
];

describe('snapshot codec', () => {
  it('round-trips every shape and every text field exactly, across parts', () => {
    const list: Annotation[] = [];
    for (let i = 0; i < 3000; i++)
      list.push(mk(`a${i}`, EVERY_SHAPE[i % EVERY_SHAPE.length]!, { label: `L${i}`, note: i % 7 ? 'n'.repeat(300) : '<img src=x onerror=alert(1)> \\u{1F600} "q"', rev: i, classId: i % 2 ? 'other' : 'necrosis' }));
    const parts = encodeSnapshot('he', 42, list, 3);
    expect(parts.length).toBeGreaterThan(1);
    expect(snapshotWatermark(parts)).toBe(42);
    const back = decodeSnapshot('he', parts);
    expect(back.rejected).toBe(0);
    expect(back.annotations).toEqual(list);
  });

  it('stores single-precision coordinates in half the bytes, and anything else exactly as it was', () => {
    const single = Array.from({ length: 600 }, (_, i) => mk(`s${i}`, singlePrecision(EVERY_SHAPE[i % EVERY_SHAPE.length]!)));
    const parts = encodeSnapshot('he', 1, single);
    expect(parts.every((p) => p.coords instanceof Float32Array)).toBe(true);
    expect(decodeSnapshot('he', parts).annotations).toEqual(single);
    // One coordinate a float32 cannot hold keeps its part in double precision, exactly.
    const mixed = [...single.slice(0, 10), mk('d', { type: 'point', point: [0.1, 2] })];
    const [p] = encodeSnapshot('he', 1, mixed);
    expect(p!.coords).toBeInstanceOf(Float64Array);
    expect(decodeSnapshot('he', [p!]).annotations).toEqual(mixed);
  });

  it('the flat geometry check gives the same answer as checkGeometry, for any numbers (property)', () => {
    const num = fc.oneof(fc.double(), fc.constantFrom(0, MAX_COORD, -MAX_COORD, MAX_COORD + 1, Number.NaN, Infinity, -Infinity, 1e-300));
    fc.assert(
      fc.property(fc.constantFrom('point', 'polygon', 'freehand', 'line', 'rectangle', 'ellipse'), fc.array(num, { minLength: 0, maxLength: 12 }), (type, v) => {
        const pts = [];
        for (let i = 0; i + 1 < v.length; i += 2) pts.push([v[i], v[i + 1]]);
        const g =
          type === 'point' ? { type, point: pts[0] } :
          type === 'rectangle' ? { type, min: pts[0], max: pts[1] } :
          type === 'ellipse' ? { type, center: pts[0], rx: v[2], ry: v[3] } :
          { type, points: pts };
        const n = type === 'point' ? 2 : type === 'rectangle' || type === 'ellipse' ? 4 : 2 * pts.length;
        // Shapes the flat form cannot even hold (too few numbers) are not stored that way.
        if (n > v.length - (v.length % 2) && type !== 'polygon' && type !== 'freehand' && type !== 'line') return;
        const flat = Float64Array.from(v.slice(0, type === 'ellipse' || type === 'rectangle' || type === 'point' ? n : 2 * pts.length));
        expect(checkFlatGeometry(type, flat, 0, flat.length)).toBe(checkGeometry(g) === undefined);
      }),
      { numRuns: 3000 },
    );
  });

  it('the flat check of a region (counts and coordinates) gives the same answer as checkGeometry, for any numbers (property)', () => {
    const num = fc.oneof(fc.double(), fc.constantFrom(0, 1, 2, 3, 4, MAX_COORD, MAX_COORD + 1, Number.NaN, Infinity, -1, 2.5));
    const ring = fc.array(fc.tuple(num, num), { minLength: 0, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(fc.array(ring, { minLength: 0, maxLength: 3 }), { minLength: 0, maxLength: 3 }), fc.array(num, { maxLength: 3 }), (polygons, tail) => {
        const g = { type: 'region', polygons };
        const nums: number[] = [];
        flattenGeometry(g as never, nums);
        const flat = Float64Array.from(nums);
        expect(checkFlatGeometry('region', flat, 0, flat.length)).toBe(checkGeometry(g) === undefined);
        // Numbers that do not describe a region (a count cut short, junk after the end) never pass.
        const junk = Float64Array.from([...nums, ...tail]);
        if (tail.length > 0) expect(checkFlatGeometry('region', junk, 0, junk.length)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('a torn snapshot (a part missing or from another rebuild) is not used', () => {
    const parts = encodeSnapshot('he', 5, Array.from({ length: 3000 }, (_, i) => mk(`a${i}`, EVERY_SHAPE[1]!, { note: 'n'.repeat(300) })));
    expect(snapshotWatermark(parts.slice(1))).toBeUndefined();
    expect(snapshotWatermark([{ ...parts[0]!, watermark: 4 }, ...parts.slice(1)])).toBeUndefined();
    expect(snapshotWatermark([])).toBeUndefined();
  });

  it('rejects damaged entries one by one and keeps the rest', () => {
    const [p] = encodeSnapshot('he', 1, [mk('ok', EVERY_SHAPE[0]!), mk('nan', EVERY_SHAPE[0]!), mk('ok2', EVERY_SHAPE[3]!)]);
    const coords = p!.coords.slice();
    coords[2] = Number.NaN; // the second point
    expect(decodeSnapshot('he', [{ ...p!, coords }]).annotations.map((a) => a.id)).toEqual(['ok', 'ok2']);
    const wrongCount = p!.nums.slice();
    wrongCount[6] = 3; // the first point claims three numbers
    expect(decodeSnapshot('he', [{ ...p!, nums: wrongCount }]).rejected).toBeGreaterThan(0);
    const badClass = p!.nums.slice();
    badClass[7] = 99; // the second entry's class points past the dictionary
    expect(decodeSnapshot('he', [{ ...p!, nums: badClass }]).annotations.map((a) => a.id)).toEqual(['ok', 'ok2']);
    expect(decodeSnapshot('he', [{ ...p!, meta: '[[' }])).toEqual({ annotations: [], rejected: 1 });
  });
});

type Op = { kind: 'create' | 'update' | 'delete' | 'compact'; n: number };

describe('repository with snapshots', () => {
  it('loads exactly what was saved, whatever the order of edits and rebuilds, from two tabs (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ kind: fc.constantFrom<Op['kind']>('create', 'create', 'update', 'delete', 'compact'), n: fc.nat(50), tab: fc.nat(1) }), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        async (ops, drawn) => {
          // Shapes as the editor stores them (single precision: snapshots in Float32Arrays) or as read from elsewhere.
          const shape = (i: number): Geometry => (drawn ? singlePrecision(EVERY_SHAPE[i % 6]!) : EVERY_SHAPE[i % 6]!);
          // Two connections, as two tabs have; each opened the slide first, so each guesses the
          // next sequence number from its own writes and must notice the other's.
          const name = freshName();
          const dbs = [await openLaminaDb({ name }), await openLaminaDb({ name })];
          const tabs = dbs.map((d) => new AnnotationRepository(d, 0));
          for (const t of tabs) await t.loadSlide('he');
          const model = new Map<string, Annotation>();
          let next = 0;
          for (const op of ops) {
            const repo = tabs[op.tab]!;
            const ids = [...model.keys()];
            if (op.kind === 'create') {
              const created = Array.from({ length: op.n + 1 }, () => mk(`x${next++}`, shape(next)));
              await repo.save({ origin: 'user', created, updated: [], deleted: [] });
              for (const a of created) model.set(a.id, a);
            } else if (op.kind === 'update' && ids.length > 0) {
              const before = model.get(ids[op.n % ids.length]!)!;
              const after = { ...before, note: `v${before.rev + 1}`, rev: before.rev + 1 };
              await repo.save({ origin: 'user', created: [], updated: [{ before, after }], deleted: [] });
              model.set(after.id, after);
            } else if (op.kind === 'delete' && ids.length > 0) {
              const gone = model.get(ids[op.n % ids.length]!)!;
              await repo.save({ origin: 'user', created: [], updated: [], deleted: [gone] });
              model.delete(gone.id);
            } else if (op.kind === 'compact') await repo.compact('he');
          }
          const loaded = await new AnnotationRepository(dbs[0]!).loadSlide('he');
          const byId = new Map(loaded.annotations.map((a) => [a.id, a]));
          for (const d of dbs) d.close();
          expect(loaded.rejected).toBe(0);
          expect(byId).toEqual(model);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('rebuilds the snapshot by itself after enough edits, and a delete after it stays deleted', async () => {
    const db = await openLaminaDb({ name: freshName() });
    const repo = new AnnotationRepository(db, 0);
    const list = Array.from({ length: COMPACT_AFTER + 10 }, (_, i) => mk(`p${i}`, EVERY_SHAPE[i % 6]!));
    await repo.save({ origin: 'user', created: list, updated: [], deleted: [] });
    await repo.settled();
    const parts = await db.getAll('snapshots');
    expect(snapshotWatermark(parts)).toBeGreaterThan(0);
    // After the snapshot: one delete, one re-create of a deleted id (an undo), one update.
    await repo.save({ origin: 'user', created: [], updated: [], deleted: [list[0]!, list[1]!] });
    await repo.save({ origin: 'undo', created: [list[1]!], updated: [], deleted: [] });
    await repo.save({ origin: 'user', created: [], updated: [{ before: list[2]!, after: { ...list[2]!, label: 'new', rev: 2 } }], deleted: [] });
    const loaded = await new AnnotationRepository(db).loadSlide('he');
    const ids = new Set(loaded.annotations.map((a) => a.id));
    expect(ids.has('p0')).toBe(false);
    expect(ids.has('p1')).toBe(true);
    expect(loaded.annotations.find((a) => a.id === 'p2')!.label).toBe('new');
    expect(loaded.annotations).toHaveLength(COMPACT_AFTER + 9);
    // Updating an annotation another tab deleted is refused.
    await expect(repo.save({ origin: 'user', created: [], updated: [{ before: list[0]!, after: { ...list[0]!, rev: 2 } }], deleted: [] })).rejects.toThrow(/another tab/);
    db.close();
  });

  it('a torn snapshot on disk falls back to reading every record', async () => {
    const db = await openLaminaDb({ name: freshName() });
    const repo = new AnnotationRepository(db, 0);
    const list = Array.from({ length: 4000 }, (_, i) => mk(`t${i}`, EVERY_SHAPE[1]!, { note: 'x'.repeat(300) }));
    await repo.save({ origin: 'user', created: list, updated: [], deleted: [] });
    await repo.settled();
    const parts = await db.getAll('snapshots');
    expect(parts.length).toBeGreaterThan(1);
    await db.delete('snapshots', ['he', 1]);
    const loaded = await new AnnotationRepository(db).loadSlide('he');
    expect(loaded.annotations).toHaveLength(4000);
    db.close();
  });
});

describe('packed imports (schema v5 bulk)', () => {
  const poly = (i: number): Annotation => mk(`imp-${i}`, { type: 'polygon', points: [[i, 0], [i + 5, 1], [i, 9]] });
  it('a large import is stored as parts, read back with later edits, folded into the next snapshot and gone from the bulk store', async () => {
    const db = await openLaminaDb({ name: `lamina-bulk-${Math.random()}` });
    const repo = new AnnotationRepository(db, 0);
    await repo.save({ origin: 'user', created: [mk('before', EVERY_SHAPE[0]!)], updated: [], deleted: [] });
    const imported = Array.from({ length: 3000 }, (_, i) => poly(i));
    await repo.saveBulk('he', encodeSnapshot('he', 0, imported));
    expect(await db.count('annotations')).toBe(1); // no record per imported annotation
    expect(await db.count('bulk')).toBeGreaterThan(0);
    // An imported annotation has no record: its first edit is still accepted, and its later ones checked.
    const a = imported[5]!;
    await repo.save({ origin: 'user', created: [], updated: [{ before: a, after: { ...a, note: 'edited', rev: 2 } }], deleted: [] });
    await expect(repo.save({ origin: 'user', created: [], updated: [{ before: a, after: { ...a, note: 'stale', rev: 2 } }], deleted: [] })).rejects.toBeInstanceOf(ConflictError);
    await repo.save({ origin: 'user', created: [], updated: [], deleted: [imported[6]!] });
    const expect3 = (list: Annotation[]): void => {
      const byId = new Map(list.map((x) => [x.id, x]));
      expect(list).toHaveLength(3000); // 3000 + before − one deleted
      expect(byId.get('imp-5')!.note).toBe('edited');
      expect(byId.has('imp-6')).toBe(false);
      expect(byId.has('before')).toBe(true);
    };
    expect3((await repo.loadSlide('he')).annotations);
    expect((await repo.getMany('he', ['imp-7', 'imp-6', 'imp-5'])).get('imp-7')).toEqual(imported[7]);
    expect((await repo.annotationIds()).length).toBe(3001); // records (one a tombstone) and packed ids
    await repo.compact('he');
    expect(await db.count('bulk')).toBe(0);
    expect3((await new AnnotationRepository(db).loadSlide('he')).annotations);
    // Sequence numbers never go back after the import's parts are deleted.
    await repo.save({ origin: 'user', created: [mk('after', EVERY_SHAPE[0]!)], updated: [], deleted: [] });
    expect((await new AnnotationRepository(db).loadSlide('he')).annotations.some((x) => x.id === 'after')).toBe(true);
    db.close();
  });

  it('a part that fails validation refuses the whole import and writes nothing', async () => {
    const db = await openLaminaDb({ name: `lamina-bulk-${Math.random()}` });
    const repo = new AnnotationRepository(db, 0);
    const parts = encodeSnapshot('he', 0, Array.from({ length: 2000 }, (_, i) => poly(i)));
    parts[0]!.coords[0] = Number.NaN;
    await expect(repo.saveBulk('he', parts)).rejects.toThrow(/failed validation/);
    expect(await db.count('bulk')).toBe(0);
    db.close();
  });
});
