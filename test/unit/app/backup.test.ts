import { describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import type { Annotation } from '../../../src/model/annotation';
import { exportEverything, restoreBackup } from '../../../src/app/backup';
import { parseBackup } from '../../../src/model/formats/backup';
import { openLaminaDb } from '../../../src/storage/database';
import { AnnotationRepository } from '../../../src/storage/annotation-repo';

let n = 0;
const fresh = async (): Promise<AnnotationRepository> => new AnnotationRepository(await openLaminaDb({ name: `lamina-backup-${++n}` }));
const mk = (id: string, extra: Partial<Annotation> = {}): Annotation => ({
  id, slideId: 'he', classId: 'necrosis', geometry: { type: 'polygon', points: [[0, 0], [10, 0], [5, 8]] }, label: '', note: '', author: 'T', created: 1, updated: 1, rev: 1, ...extra,
});

describe('Export everything and restore', () => {
  it('a backup of two slides restores into an empty profile exactly, and a second restore changes nothing', async () => {
    const src = await fresh();
    await src.save({ origin: 'user', created: [mk('a', { note: '<script>x</script>' }), mk('b', { slideId: 'sma', geometry: { type: 'point', point: [3, 4] } })], updated: [], deleted: [] });
    await src.putClass({ id: 'mine', name: 'Vascular invasion', colour: '#123456', key: 0, tool: 'polygon' });
    await src.setSetting('author', 'Dr Rossi');
    const text = (await exportEverything(src, new Date('2026-12-02T00:00:00Z'))).value!;
    const b = parseBackup(text).value!;
    expect(b.slides.map((s) => s.slideId)).toEqual(['he', 'sma']);
    expect(b.author).toBe('Dr Rossi');

    const dst = await fresh();
    const announced: string[] = [];
    const r = await restoreBackup(dst, text, (e) => announced.push(...e.flatMap((x) => x.ids)));
    expect(r.value).toMatchObject({ added: 2, updated: 0, unchanged: 0, classesAdded: 1, slides: 2 });
    expect(announced.sort()).toEqual(['a', 'b']);
    expect((await dst.loadSlide('he')).annotations).toEqual([mk('a', { note: '<script>x</script>' })]);
    expect((await dst.classes()).map((c) => c.name)).toContain('Vascular invasion');
    expect((await restoreBackup(dst, text, () => undefined)).value).toMatchObject({ added: 0, updated: 0, unchanged: 2, classesAdded: 0 });
  });

  it('brings an older revision up to date and leaves a newer one alone', async () => {
    const src = await fresh();
    await src.save({ origin: 'user', created: [mk('old', { rev: 3, note: 'backup' }), mk('new', { rev: 1, note: 'backup' })], updated: [], deleted: [] });
    const text = (await exportEverything(src)).value!;
    const dst = await fresh();
    await dst.save({ origin: 'user', created: [mk('old', { rev: 1, note: 'here' }), mk('new', { rev: 5, note: 'here' })], updated: [], deleted: [] });
    expect((await restoreBackup(dst, text, () => undefined)).value).toMatchObject({ added: 0, updated: 1, unchanged: 1 });
    const notes = Object.fromEntries((await dst.loadSlide('he')).annotations.map((a) => [a.id, a.note]));
    expect(notes).toEqual({ old: 'backup', new: 'here' });
  });

  it('a malformed or hostile file is refused with where the problem is, and writes nothing', async () => {
    const dst = await fresh();
    const ok = JSON.parse((await exportEverything(await fresh())).value!) as Record<string, unknown>;
    const bad = { ...ok, slides: [{ slideId: 'he', annotations: [mk('fine'), { ...mk('x'), geometry: { type: 'point', point: [Number.MAX_VALUE, 0] } }] }] };
    const r = await restoreBackup(dst, JSON.stringify(bad), () => undefined);
    expect(r.error).toMatch(/slides\[1\]\.annotations\[2\]\.geometry\.point\.x: is too far out/);
    expect(await dst.slideIds()).toEqual([]);
    expect((await restoreBackup(dst, '{"format":"lamina-backup","version":1,', () => undefined)).error).toMatch(/not valid JSON/);
    expect((await restoreBackup(dst, '{"type":"FeatureCollection"}', () => undefined)).error).toMatch(/Not a Lamina backup/);
    // Prototype keys are data, never the object's prototype.
    const proto = `{"__proto__":{"polluted":1},${JSON.stringify(ok).slice(1)}`;
    expect((await restoreBackup(dst, proto, () => undefined)).value).toBeDefined();
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('records that could not be read travel in the backup as they were found', async () => {
    const repo = await fresh();
    await repo.keepAside('he', [{ key: 'annotation:bad:2', slideId: 'he', reason: 'geometry.point.x: must be a finite number', raw: { id: 'bad', geometry: { type: 'point', point: [null, 0] } }, at: 1 }]);
    const b = parseBackup((await exportEverything(repo)).value!).value!;
    expect(b.unreadable).toEqual([{ key: 'annotation:bad:2', slideId: 'he', reason: 'geometry.point.x: must be a finite number', raw: { id: 'bad', geometry: { type: 'point', point: [null, 0] } } }]);
  });
});
