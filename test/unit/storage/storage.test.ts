import { describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import type { Annotation } from '../../../src/model/annotation';
import { createStore } from '../../../src/model/store';
import { openLaminaDb } from '../../../src/storage/database';
import { AnnotationRepository, ConflictError, InvalidRecordError } from '../../../src/storage/annotation-repo';
import { encodeSnapshot } from '../../../src/storage/snapshot';
import { SlidePersistence } from '../../../src/storage/persistence';
import type { Channel, SyncMessage } from '../../../src/storage/persistence';
import { DB_VERSION, MIGRATIONS } from '../../../src/storage/schema';
import type { LaminaSchema } from '../../../src/storage/schema';
import { OwnSlidesRepository } from '../../../src/storage/own-slides-repo';

let dbCounter = 0;
const freshName = (): string => `lamina-test-${++dbCounter}`;

const mk = (id: string, extra: Partial<Annotation> = {}): Annotation => ({
  id, slideId: 'he', classId: 'necrosis', geometry: { type: 'point', point: [10, 20] }, label: '', note: '', author: 'T', created: 1, updated: 1, rev: 1, ...extra,
});

/** An in-process BroadcastChannel pair. */
function channelPair(): [Channel, Channel] {
  const make = (): Channel & { peer?: Channel & { fire(m: SyncMessage): void }; fire(m: SyncMessage): void } => {
    const ls = new Set<(e: MessageEvent<SyncMessage>) => void>();
    const ch = {
      peer: undefined as unknown as (Channel & { fire(m: SyncMessage): void }) | undefined,
      postMessage(m: SyncMessage) {
        setTimeout(() => ch.peer?.fire(m), 0);
      },
      fire(m: SyncMessage) {
        for (const l of ls) l({ data: m } as MessageEvent<SyncMessage>);
      },
      addEventListener(_t: 'message', l: (e: MessageEvent<SyncMessage>) => void) {
        ls.add(l);
      },
      removeEventListener(_t: 'message', l: (e: MessageEvent<SyncMessage>) => void) {
        ls.delete(l);
      },
      close() {},
    };
    return ch;
  };
  const a = make();
  const b = make();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

describe('schema migrations', () => {
  it('0 → current: a new database has every store and the default classes', async () => {
    const db = await openLaminaDb({ name: freshName() });
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['annotations', 'attempts', 'bulk', 'classes', 'marks', 'ownSlides', 'quarantine', 'sets', 'settings', 'snapshots']);
    const repo = new AnnotationRepository(db);
    expect((await repo.classes()).map((c) => c.key)).toContain(9);
    db.close();
  });

  it('1 → 2: opens a database written by version 1 (no classes, no revisions) and keeps its annotations', async () => {
    const name = freshName();
    // Version 1 as the old code wrote it.
    const old = await openDB(name, 1, {
      upgrade(db) {
        const s = db.createObjectStore('annotations', { keyPath: 'id' });
        s.createIndex('bySlide', 'slideId');
        db.createObjectStore('settings');
      },
    });
    const { rev: _rev, ...v1record } = mk('old-1', { note: 'written by v1' });
    await old.put('annotations', v1record);
    await old.put('settings', 'Dr Old', 'author');
    old.close();

    const db = await openLaminaDb({ name });
    const repo = new AnnotationRepository(db);
    const { annotations, rejected } = await repo.loadSlide('he');
    expect(rejected).toBe(0);
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatchObject({ id: 'old-1', note: 'written by v1', rev: 1 });
    expect(await repo.getSetting('author')).toBe('Dr Old');
    expect((await repo.classes()).length).toBe(10);
    db.close();
  });

  it('2 → 3: opens a database written by version 2, numbers its records and loads them', async () => {
    const name = freshName();
    // Version 2 as the old code wrote it: one record per annotation with a revision, classes.
    const old = await openDB(name, 2, {
      upgrade(db) {
        const s = db.createObjectStore('annotations', { keyPath: 'id' });
        s.createIndex('bySlide', 'slideId');
        db.createObjectStore('settings');
        db.createObjectStore('classes', { keyPath: 'id' });
      },
    });
    const many = Array.from({ length: 700 }, (_, i) => mk(`he-${i}`, { note: `n${i}`, geometry: { type: 'polygon', points: [[i, 0], [i + 5, 1], [i, 9]] } }));
    for (const a of many) await old.put('annotations', a);
    await old.put('annotations', mk('on-sma', { slideId: 'sma', label: 'SMA one' }));
    await old.put('annotations', { ...mk('broken'), geometry: { type: 'point', point: 'here' } });
    await old.put('classes', { id: 'mine', name: 'My class', colour: '#123456', key: 0, tool: 'point' });
    old.close();

    const db = await openLaminaDb({ name });
    expect([...db.objectStoreNames].sort()).toEqual(['annotations', 'attempts', 'bulk', 'classes', 'marks', 'ownSlides', 'quarantine', 'sets', 'settings', 'snapshots']);
    const repo = new AnnotationRepository(db, 0);
    const he = await repo.loadSlide('he');
    expect(he.annotations).toHaveLength(700);
    expect(he.rejected).toBe(1);
    expect(new Map(he.annotations.map((a) => [a.id, a])).get('he-699')).toEqual(many[699]);
    expect((await repo.loadSlide('sma')).annotations.map((a) => a.label)).toEqual(['SMA one']);
    expect((await repo.classes()).map((c) => c.name)).toContain('My class');
    // 700 records to read one by one: the load asked for a snapshot, and the next load uses it.
    await repo.settled();
    expect((await db.getAll('snapshots')).length).toBeGreaterThan(0);
    const again = await new AnnotationRepository(db).loadSlide('he');
    expect(again.annotations).toHaveLength(700);
    expect(again.rejected).toBe(1);
    db.close();
  });

  it('3 → 4: opens a database written by version 3 (no marks, no quarantine) and keeps its annotations and snapshot', async () => {
    const name = freshName();
    const v3 = await openDB(name, 3, {
      upgrade(db) {
        const s = db.createObjectStore('annotations', { keyPath: 'id' });
        s.createIndex('bySlide', 'slideId');
        s.createIndex('bySlideSeq', ['slideId', 'seq']);
        db.createObjectStore('settings');
        db.createObjectStore('classes', { keyPath: 'id' });
        db.createObjectStore('snapshots', { keyPath: ['slideId', 'part'] });
      },
    });
    for (let i = 0; i < 3; i++) await v3.put('annotations', { ...mk(`v3-${i}`), seq: i + 1 });
    for (const p of encodeSnapshot('he', 3, [mk('v3-0'), mk('v3-1'), mk('v3-2')])) await v3.put('snapshots', p);
    v3.close();
    const db = await openLaminaDb({ name });
    expect(db.version).toBe(DB_VERSION);
    const r = await new AnnotationRepository(db).loadSlide('he');
    expect(r.annotations.map((a) => a.id).sort()).toEqual(['v3-0', 'v3-1', 'v3-2']);
    expect(await db.getAll('marks')).toEqual([]);
    db.close();
  });

  it('4 → 5: opens a database written by version 4 (no bulk store), keeps its records and marks, and takes packed imports', async () => {
    const name = freshName();
    const v4 = await openDB(name, 4, {
      upgrade(db) {
        const s = db.createObjectStore('annotations', { keyPath: 'id' });
        s.createIndex('bySlide', 'slideId');
        s.createIndex('bySlideSeq', ['slideId', 'seq']);
        db.createObjectStore('settings');
        db.createObjectStore('classes', { keyPath: 'id' });
        db.createObjectStore('snapshots', { keyPath: ['slideId', 'part'] });
        db.createObjectStore('marks', { keyPath: 'tab' });
        db.createObjectStore('quarantine', { keyPath: 'key' }).createIndex('bySlide', 'slideId');
      },
    });
    await v4.put('annotations', { ...mk('v4-a'), seq: 7 });
    await v4.put('marks', { tab: 'old-tab', seq: 3, at: 1 });
    v4.close();
    const db = await openLaminaDb({ name });
    expect(db.version).toBe(DB_VERSION);
    const repo = new AnnotationRepository(db);
    expect(await repo.markOf('old-tab')).toBe(3);
    await repo.saveBulk('he', encodeSnapshot('he', 0, [mk('v5-b')]));
    const r = await repo.loadSlide('he');
    expect(r.annotations.map((a) => a.id).sort()).toEqual(['v4-a', 'v5-b']);
    db.close();
  });

  it('6 → 7: opens a database written by version 6 (no own slides), keeps its annotations and sets, and remembers slide files', async () => {
    const name = freshName();
    // Version 6 as the code before wrote it: its own migrations, run by openDB.
    const v6 = await openDB<LaminaSchema>(name, 6, {
      async upgrade(db, oldVersion, _v, tx) {
        for (let v = oldVersion; v < 6; v++) await MIGRATIONS[v]!(db, tx);
      },
    });
    await v6.put('annotations', { ...mk('v6-a', { slideId: 'file-0123456789abcdef0123456789abcdef01234567' }), seq: 2 });
    await v6.put('sets', { id: 'set-1' } as never);
    v6.close();
    const db = await openLaminaDb({ name });
    expect(db.version).toBe(7);
    expect(await db.get('sets', 'set-1')).toEqual({ id: 'set-1' });
    const repo = new OwnSlidesRepository(db);
    const rec = { id: 'file-0123456789abcdef0123456789abcdef01234567', name: 'a.svs', format: 'Aperio SVS, JPEG tiles', files: [{ name: 'a.svs', size: 10 }], width: 10, height: 20, mpp: 0.5, mppFrom: 'file', added: 1, opened: 2 };
    await repo.put(rec);
    expect(await repo.list()).toEqual([rec]);
    await repo.update(rec.id, (r) => ({ ...r, mpp: 0.25, mppFrom: 'user' }));
    expect((await repo.get(rec.id))?.mpp).toBe(0.25);
    // Removing a slide leaves its annotations.
    await repo.delete(rec.id);
    expect(await repo.list()).toEqual([]);
    const { annotations } = await new AnnotationRepository(db).loadSlide(rec.id);
    expect(annotations.map((a) => a.id)).toEqual(['v6-a']);
    db.close();
  });

  it('an old tab closes its connection on versionchange and is told why', async () => {
    const name = freshName();
    let told = 0;
    const db = await openLaminaDb({ name, onVersionChange: () => told++ });
    // A newer version of the app opens the same database.
    const newer = await openDB(name, DB_VERSION + 1, { upgrade() {} });
    expect(told).toBe(1);
    newer.close();
    await expect(db.get('settings', 'x')).rejects.toThrow();
  });
});

describe('repository', () => {
  it('saves created, updated and deleted annotations, and refuses to overwrite a newer revision', async () => {
    const db = await openLaminaDb({ name: freshName() });
    const repo = new AnnotationRepository(db);
    const a = mk('a');
    await repo.save({ origin: 'user', created: [a], updated: [], deleted: [] });
    const a2 = { ...a, label: 'two', rev: 2 };
    await repo.save({ origin: 'user', created: [], updated: [{ before: a, after: a2 }], deleted: [] });
    // A tab that still thinks rev 1 is current tries to save over rev 2.
    const stale = { ...a, label: 'stale', rev: 2 };
    await expect(repo.save({ origin: 'user', created: [], updated: [{ before: a, after: stale }], deleted: [] })).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.get('he', 'a'))!.label).toBe('two');
    await repo.save({ origin: 'user', created: [], updated: [], deleted: [a2] });
    expect(await repo.get('he', 'a')).toBeUndefined();
    db.close();
  });

  it('a tab that opened the slide still refuses a stale revision, and writes nothing for it', async () => {
    const name = freshName();
    const [dbA, dbB] = [await openLaminaDb({ name }), await openLaminaDb({ name })];
    const [tabA, tabB] = [new AnnotationRepository(dbA), new AnnotationRepository(dbB)];
    const a = mk('a');
    await tabA.save({ origin: 'user', created: [a], updated: [], deleted: [] });
    await tabA.loadSlide('he');
    await tabB.loadSlide('he');
    const fromB = { ...a, label: 'B', rev: 2 };
    await tabB.save({ origin: 'user', created: [], updated: [{ before: a, after: fromB }], deleted: [] });
    // A's guess of the next sequence number is stale and its revision too: a conflict, not a write.
    await expect(tabA.save({ origin: 'user', created: [mk('c')], updated: [{ before: a, after: { ...a, label: 'A', rev: 2 } }], deleted: [] })).rejects.toBeInstanceOf(ConflictError);
    expect((await tabA.get('he', 'a'))!.label).toBe('B');
    expect(await tabA.get('he', 'c')).toBeUndefined();
    // And A's next, unconflicted edit lands after B's, with its own sequence number.
    await tabA.save({ origin: 'user', created: [mk('d')], updated: [], deleted: [] });
    const seqs = (await dbA.getAll('annotations')).map((r) => r.seq).sort((x, y) => x - y);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect((await new AnnotationRepository(dbB).loadSlide('he')).annotations.map((x) => x.id).sort()).toEqual(['a', 'd']);
    dbA.close();
    dbB.close();
  });

  it('skips corrupt records on load instead of failing the slide', async () => {
    const db = await openLaminaDb({ name: freshName() });
    await db.put('annotations', { ...mk('good'), seq: 1 });
    await db.put('annotations', { ...mk('bad'), geometry: { type: 'point', point: [Number.NaN, 0] }, seq: 2 });
    const repo = new AnnotationRepository(db);
    const r = await repo.loadSlide('he');
    expect(r.annotations.map((a) => a.id)).toEqual(['good']);
    expect(r.rejected).toBe(1);
    // Kept aside as it was found, and still there after a snapshot rebuild left it out.
    await repo.compact('he');
    const again = await repo.loadSlide('he');
    expect(again.rejected).toBe(1);
    const aside = await repo.quarantined('he');
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatchObject({ slideId: 'he', raw: { id: 'bad', seq: 2 } });
    expect(aside[0]!.reason).toMatch(/geometry.point.x: must be a finite number/);
    db.close();
  });

  it('refuses to store a record that loading would refuse (a 20,000-character note), and writes nothing of its change set', async () => {
    const db = await openLaminaDb({ name: freshName() });
    const repo = new AnnotationRepository(db);
    const cs = { origin: 'user' as const, created: [mk('fine'), mk('long', { note: 'x'.repeat(20_000) })], updated: [], deleted: [] };
    await expect(repo.save(cs)).rejects.toBeInstanceOf(InvalidRecordError);
    await expect(repo.save(cs)).rejects.toThrow(/annotation.note: must be text of at most 10000 characters \(it has 20000\)/);
    expect(await db.count('annotations')).toBe(0);
    db.close();
  });
});

describe('persistence', () => {
  it('says saving then saved, and the edit is in the database', async () => {
    const db = await openLaminaDb({ name: freshName() });
    const repo = new AnnotationRepository(db);
    const store = createStore();
    const p = new SlidePersistence(repo, store, 'he', undefined, 'tab-1');
    const states: string[] = [];
    p.onStatus((s) => states.push(s.state));
    store.apply({ created: [mk('x')], updated: [], deleted: [] }, 'user');
    await p.flushed();
    expect(states).toEqual(['saved', 'saving', 'saved']);
    expect(await repo.get('he', 'x')).toBeDefined();
    db.close();
  });

  it('quiet() waits for the write in flight, and gives up after its limit when the disk is slow', async () => {
    const db = await openLaminaDb({ name: freshName() });
    const real = new AnnotationRepository(db);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const repo = Object.create(real) as AnnotationRepository;
    repo.saveBatch = async (batch, mark) => {
      await gate;
      return real.saveBatch(batch, mark);
    };
    const store = createStore();
    const p = new SlidePersistence(repo, store, 'he', undefined, 'tab-1');
    await p.quiet(1); // nothing in flight: at once
    store.apply({ created: [mk('q')], updated: [], deleted: [] }, 'user');
    const t0 = Date.now();
    await p.quiet(30);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    expect(p.current.state).toBe('saving');
    let quiet = false;
    const waiting = p.quiet(60_000).then(() => (quiet = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(quiet).toBe(false);
    release();
    await waiting;
    expect(p.current.state).toBe('saved');
    expect(await real.get('he', 'q')).toBeDefined();
    db.close();
  });

  it('a full disk gives a clear error, keeps the edit on screen as unsaved, loses nothing saved, and retries', async () => {
    const db = await openLaminaDb({ name: freshName() });
    const real = new AnnotationRepository(db);
    let full = false;
    const repo = Object.create(real) as AnnotationRepository;
    repo.saveBatch = async (batch, mark) => {
      if (full) throw new DOMException('quota', 'QuotaExceededError');
      return real.saveBatch(batch, mark);
    };
    const store = createStore();
    const p = new SlidePersistence(repo, store, 'he', undefined, 'tab-1');
    store.apply({ created: [mk('kept')], updated: [], deleted: [] }, 'user');
    await p.flushed();
    full = true;
    store.apply({ created: [mk('pending')], updated: [], deleted: [] }, 'user');
    await p.flushed();
    expect(p.current.state).toBe('error');
    expect(p.current.message).toMatch(/full/);
    expect([...p.current.unsaved]).toEqual(['pending']);
    expect(store.get('pending')).toBeDefined();
    expect(await real.get('he', 'kept')).toBeDefined();
    expect(await real.get('he', 'pending')).toBeUndefined();
    full = false;
    p.retry();
    await new Promise((r) => setTimeout(r, 10));
    await p.flushed();
    expect(p.current.state).toBe('saved');
    expect(await real.get('he', 'pending')).toBeDefined();
    db.close();
  });

  it('two tabs: an edit in one appears in the other; concurrent edits to different annotations both survive', async () => {
    const name = freshName();
    const [chA, chB] = channelPair();
    const dbA = await openLaminaDb({ name });
    const dbB = await openLaminaDb({ name });
    const storeA = createStore();
    const storeB = createStore();
    const pa = new SlidePersistence(new AnnotationRepository(dbA), storeA, 'he', chA, 'A');
    const pb = new SlidePersistence(new AnnotationRepository(dbB), storeB, 'he', chB, 'B');
    storeA.apply({ created: [mk('from-a')], updated: [], deleted: [] }, 'user');
    storeB.apply({ created: [mk('from-b')], updated: [], deleted: [] }, 'user');
    await pa.flushed();
    await pb.flushed();
    await new Promise((r) => setTimeout(r, 30));
    expect(storeA.get('from-b')).toBeDefined();
    expect(storeB.get('from-a')).toBeDefined();
    // B edits A's annotation; A sees the new revision.
    const before = storeB.get('from-a')!;
    storeB.apply({ created: [], updated: [{ before, after: { ...before, note: 'edited in B', rev: 2 } }], deleted: [] }, 'user');
    await pb.flushed();
    await new Promise((r) => setTimeout(r, 30));
    expect(storeA.get('from-a')!.note).toBe('edited in B');
    dbA.close();
    dbB.close();
  });

  it('a conflicting edit is not saved over the other tab’s, and the user is told', async () => {
    const name = freshName();
    const dbA = await openLaminaDb({ name });
    const dbB = await openLaminaDb({ name });
    const a = mk('shared');
    await new AnnotationRepository(dbA).save({ origin: 'user', created: [a], updated: [], deleted: [] });
    const storeA = createStore([a]);
    const storeB = createStore([a]);
    const pa = new SlidePersistence(new AnnotationRepository(dbA), storeA, 'he', undefined, 'A');
    const pb = new SlidePersistence(new AnnotationRepository(dbB), storeB, 'he', undefined, 'B');
    storeA.apply({ created: [], updated: [{ before: a, after: { ...a, note: 'A wins', rev: 2 } }], deleted: [] }, 'user');
    await pa.flushed();
    storeB.apply({ created: [], updated: [{ before: a, after: { ...a, note: 'B loses', rev: 2 } }], deleted: [] }, 'user');
    await pb.flushed();
    expect(pb.current.state).toBe('error');
    expect(pb.current.message).toMatch(/another tab/i);
    expect(storeB.get('shared')!.note).toBe('A wins');
    expect((await new AnnotationRepository(dbB).get('he', 'shared'))!.note).toBe('A wins');
    dbA.close();
    dbB.close();
  });
});
