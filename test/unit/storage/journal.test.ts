import { describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import type { Annotation } from '../../../src/model/annotation';
import { createStore } from '../../../src/model/store';
import type { AnnotationStore, ChangeSet } from '../../../src/model/store';
import { openLaminaDb } from '../../../src/storage/database';
import type { LaminaDb } from '../../../src/storage/database';
import { AnnotationRepository } from '../../../src/storage/annotation-repo';
import { EditJournal } from '../../../src/storage/journal';
import { SlidePersistence } from '../../../src/storage/persistence';
import { JournalRecovery, tabLockName } from '../../../src/storage/recovery';
import type { RecoveredEdits } from '../../../src/storage/recovery';
import { planWrites } from '../../../src/storage/write-plan';
import { WriteQueue } from '../../../src/storage/write-queue';
import type { WriteOutcome } from '../../../src/storage/write-protocol';
import { FakeLocks, MemoryStorage, holdLock } from './fakes';

let dbCounter = 0;
const freshDb = (): Promise<LaminaDb> => openLaminaDb({ name: `lamina-journal-${++dbCounter}` });

const mk = (id: string, extra: Partial<Annotation> = {}): Annotation => ({
  id, slideId: 'he', classId: 'typical-mitosis', geometry: { type: 'point', point: [10, 20] }, label: '', note: '', author: 'T', created: 1, updated: 1, rev: 1, ...extra,
});
const create = (store: AnnotationStore, a: Annotation): void => void store.apply({ created: [a], updated: [], deleted: [] }, 'user');
const edit = (store: AnnotationStore, id: string, note: string): void => {
  const before = store.get(id)!;
  store.apply({ created: [], updated: [{ before, after: { ...before, note, rev: before.rev + 1 } }], deleted: [] }, 'user');
};
const remove = (store: AnnotationStore, id: string): void => void store.apply({ created: [], updated: [], deleted: [store.get(id)!] }, 'user');
/** Canonical text of a set of annotations (key order and list order do not matter). */
const canon = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canon) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])])) : v;
const byId = (list: readonly Annotation[]): string => JSON.stringify(canon([...list].sort((a, b) => a.id.localeCompare(b.id))));
const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('write plan', () => {
  it('writes the net effect of a batch, checked against what the batch first expected', () => {
    const a1 = mk('a');
    const a2 = { ...a1, note: 'x', rev: 2 };
    const b1 = mk('b', { rev: 4 });
    const batch: ChangeSet[] = [
      { origin: 'user', created: [a1], updated: [], deleted: [] },
      { origin: 'user', created: [], updated: [{ before: a1, after: a2 }], deleted: [] },
      { origin: 'user', created: [], updated: [], deleted: [b1] },
      { origin: 'user', created: [mk('c')], updated: [], deleted: [] },
      { origin: 'user', created: [], updated: [], deleted: [mk('c')] },
    ];
    const plans = planWrites(batch);
    expect(plans).toEqual([
      { id: 'a', slideId: 'he', expect: { kind: 'absent' }, put: { annotation: a2 } },
      { id: 'b', slideId: 'he', expect: { kind: 'gone-or-rev', rev: 4 }, put: { tombstone: 5 } },
    ]);
  });
});

describe('write queue', () => {
  it('a batch refused as a whole is written one by one: only the conflicting edit is refused, the others land in order', async () => {
    const db = await freshDb();
    const repo = new AnnotationRepository(db);
    await repo.save({ origin: 'user', created: [mk('taken', { rev: 2 })], updated: [], deleted: [] });
    const outcomes: WriteOutcome[] = [];
    const q = new WriteQueue(repo, (o) => outcomes.push(o));
    const gate = repo.saveBatch.bind(repo);
    let first = true;
    // Hold the first write so the next three pile up into one batch.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    repo.saveBatch = async (b, m) => {
      if (first) {
        first = false;
        await held;
      }
      return gate(b, m);
    };
    q.push({ n: 1, cs: { origin: 'user', created: [mk('one')], updated: [], deleted: [] } });
    q.push({ n: 2, cs: { origin: 'user', created: [mk('two')], updated: [], deleted: [] } });
    q.push({ n: 3, cs: { origin: 'user', created: [], updated: [{ before: mk('taken'), after: mk('taken', { rev: 2, note: 'stale' }) }], deleted: [] } });
    q.push({ n: 4, cs: { origin: 'user', created: [mk('four')], updated: [], deleted: [] } });
    release();
    await tick(5);
    await q.idle();
    expect(outcomes.map((o) => (o.kind === 'written' ? `w${o.ns.join('+')}` : o.kind === 'refused' ? `r${o.n}` : 'f'))).toEqual(['w1', 'w2', 'r3', 'w4']);
    expect((await repo.loadSlide('he')).annotations.map((a) => a.id).sort()).toEqual(['four', 'one', 'taken', 'two']);
    db.close();
  });
});

describe('persistence with a journal', () => {
  it('a burst of 30 edits is written in a few transactions, and the journal empties once they are on disk', async () => {
    const db = await freshDb();
    const real = new AnnotationRepository(db);
    const repo = Object.create(real) as AnnotationRepository;
    let transactions = 0;
    repo.saveBatch = (batch, mark) => {
      transactions++;
      return real.saveBatch(batch, mark);
    };
    const backend = new MemoryStorage();
    const store = createStore();
    const p = new SlidePersistence(repo, store, 'he', undefined, 'tab-a', new EditJournal(backend, 'tab-a'));
    for (let i = 0; i < 30; i++) create(store, mk(`p${i}`));
    // Every edit is in the journal before anything was written.
    expect(backend.length).toBe(30);
    await p.flushed();
    expect(transactions).toBeLessThanOrEqual(3);
    expect(backend.length).toBe(0);
    expect((await real.loadSlide('he')).annotations).toHaveLength(30);
    expect(await real.markOf('tab-a')).toBe(30);
    db.close();
  });

  it('an edit the journal cannot hold (storage full) is at risk until it is on disk', async () => {
    const db = await freshDb();
    const repo = new AnnotationRepository(db);
    const backend = new MemoryStorage();
    backend.full = true;
    const store = createStore();
    const p = new SlidePersistence(repo, store, 'he', undefined, 'tab-a', new EditJournal(backend, 'tab-a'));
    create(store, mk('x'));
    expect(p.current).toMatchObject({ state: 'saving', atRisk: true });
    await p.flushed();
    expect(p.current).toMatchObject({ state: 'saved', atRisk: false });
    db.close();
  });
});

/** A tab whose writes can be cut off by a crash: before, during or after its transaction. */
function crashableTab(db: LaminaDb, backend: MemoryStorage, locks: FakeLocks, tab: string, initial: readonly Annotation[] = [], stuck = false) {
  const real = new AnnotationRepository(db, 0);
  const repo = Object.create(real) as AnnotationRepository;
  let dead = false;
  const gated: Array<() => Promise<void>> = [];
  repo.saveBatch = (batch, mark) => {
    if (dead) return new Promise(() => undefined);
    return new Promise((resolve, reject) => {
      const go = (): Promise<void> => real.saveBatch(batch, mark);
      gated.push(go);
      // Normally the write starts at the next task; a crash before then decides its fate.
      setTimeout(() => {
        const i = gated.indexOf(go);
        if (dead || i < 0 || stuck) return;
        gated.splice(i, 1);
        // A crash while it runs: the transaction commits, but the page never hears of it.
        go().then(
          () => void (dead || resolve()),
          (e: unknown) => void (dead || reject(e)),
        );
      }, 0);
    });
  };
  const store = createStore(initial);
  const life = holdLock(locks, tabLockName(tab));
  const persistence = new SlidePersistence(repo, store, 'he', undefined, tab, new EditJournal(backend, tab));
  return {
    store,
    persistence,
    life,
    /** The renderer dies: what was waiting to be written is either written (it was in flight) or not. */
    async crash(inflightCommits: boolean): Promise<void> {
      dead = true;
      persistence.destroy();
      const waiting = gated.splice(0);
      if (inflightCommits) for (const go of waiting) await go();
      life.release();
    },
  };
}

describe('journal recovery', () => {
  it('a crash after the write landed but before the journal was cleared replays nothing twice', async () => {
    const db = await freshDb();
    const backend = new MemoryStorage();
    const locks = new FakeLocks();
    const a = crashableTab(db, backend, locks, 'tab-a');
    await a.life.granted;
    create(a.store, mk('one'));
    await a.crash(true);
    expect(backend.length).toBe(1); // the journal still holds it, the disk too
    const repo = new AnnotationRepository(db);
    const report = await new JournalRecovery(new EditJournal(backend, 'tab-b'), repo, locks, () => undefined).run();
    expect(report).toMatchObject({ replayed: 0, refused: 0 });
    expect(backend.length).toBe(0);
    expect((await repo.loadSlide('he')).annotations.map((x) => x.id)).toEqual(['one']);
    db.close();
  });

  it('the journal of a tab still alive is replayed by another tab the moment it dies', async () => {
    const db = await freshDb();
    const backend = new MemoryStorage();
    const locks = new FakeLocks();
    const a = crashableTab(db, backend, locks, 'tab-a', [], true);
    await a.life.granted;
    create(a.store, mk('late'));
    // Tab B opens while A is alive but stuck (its write never started).
    const announced: RecoveredEdits[] = [];
    const repo = new AnnotationRepository(db);
    const report = await new JournalRecovery(new EditJournal(backend, 'tab-b'), repo, locks, (e) => announced.push(...e)).run();
    expect(report.replayed).toBe(0);
    expect(await repo.get('he', 'late')).toBeUndefined();
    await a.crash(false);
    await expect.poll(() => announced).toEqual([{ slideId: 'he', ids: ['late'] }]);
    expect(await repo.get('he', 'late')).toBeDefined();
    expect(backend.length).toBe(0);
    db.close();
  });

  it('a journal entry that cannot be read is kept aside, not dropped', async () => {
    const db = await freshDb();
    const backend = new MemoryStorage();
    backend.setItem('lamina-wal:tab-x:1', '{"t":1,"o":"user","c":[{"id":"cut sh');
    const repo = new AnnotationRepository(db);
    const report = await new JournalRecovery(new EditJournal(backend, 'tab-b'), repo, new FakeLocks(), () => undefined).run();
    expect(report.unreadable).toBe(1);
    expect(backend.length).toBe(0);
    const aside = await repo.quarantined();
    expect(aside).toHaveLength(1);
    expect(aside[0]!.raw).toBe('{"t":1,"o":"user","c":[{"id":"cut sh');
    db.close();
  });

  it('an edit another tab has since overwritten is refused on replay and counted', async () => {
    const db = await freshDb();
    const backend = new MemoryStorage();
    const locks = new FakeLocks();
    const repo = new AnnotationRepository(db);
    await repo.save({ origin: 'user', created: [mk('shared')], updated: [], deleted: [] });
    const a = crashableTab(db, backend, locks, 'tab-a', [mk('shared')]);
    await a.life.granted;
    edit(a.store, 'shared', 'from A');
    await a.crash(false);
    // Meanwhile tab C changed it (rev 1 → 2) and saved.
    await repo.save({ origin: 'user', created: [], updated: [{ before: mk('shared'), after: mk('shared', { note: 'from C', rev: 2 }) }], deleted: [] });
    const report = await new JournalRecovery(new EditJournal(backend, 'tab-b'), repo, locks, () => undefined).run();
    expect(report).toMatchObject({ replayed: 0, refused: 1 });
    expect((await repo.get('he', 'shared'))!.note).toBe('from C');
    db.close();
  });

  it('any interleaving of edits, writes and crashes loses nothing that was on screen (property)', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('create' as const) }),
      fc.record({ kind: fc.constant('edit' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(0, 1, 3) }),
      fc.record({ kind: fc.constant('flush' as const) }),
      fc.record({ kind: fc.constant('crash' as const), inflightCommits: fc.boolean(), recoverWhileAlive: fc.boolean() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const db = await freshDb();
        const backend = new MemoryStorage();
        const locks = new FakeLocks();
        let n = 0;
        let tabNo = 0;
        let tab = crashableTab(db, backend, locks, `tab-${tabNo}`);
        await tab.life.granted;
        const ids = (): string[] => tab.store.all().map((a) => a.id).sort();
        for (const o of ops) {
          if (o.kind === 'create') create(tab.store, mk(`a${n++}`, { created: n }));
          else if (o.kind === 'edit' && ids().length > 0) edit(tab.store, ids()[o.pick % ids().length]!, `note ${n++}`);
          else if (o.kind === 'delete' && ids().length > 0) remove(tab.store, ids()[o.pick % ids().length]!);
          else if (o.kind === 'wait') await tick(o.ms);
          else if (o.kind === 'flush') await tab.persistence.flushed();
          else if (o.kind === 'crash') {
            const onScreen = byId(tab.store.all());
            const next = `tab-${++tabNo}`;
            const repo = new AnnotationRepository(db, 0);
            const recovery = new JournalRecovery(new EditJournal(backend, next), repo, locks, () => undefined);
            let recovered: Promise<unknown>;
            if (o.recoverWhileAlive) {
              // The new tab starts before the old one's lock is gone: it replays when it goes.
              recovered = recovery.run();
              await recovered;
              await tab.crash(o.inflightCommits);
              await expect.poll(() => backend.map.size, { timeout: 2000 }).toBe(0);
            } else {
              await tab.crash(o.inflightCommits);
              await recovery.run();
            }
            const loaded = await repo.loadSlide('he');
            expect(byId(loaded.annotations)).toBe(onScreen);
            tab = crashableTab(db, backend, locks, next, loaded.annotations);
            await tab.life.granted;
          }
        }
        // The last tab writes everything once it is left alone.
        await tab.persistence.flushed();
        const onScreen = byId(tab.store.all());
        expect(byId((await new AnnotationRepository(db).loadSlide('he')).annotations)).toBe(onScreen);
        db.close();
      }),
      { numRuns: 60 },
    );
  });
});
