import type { Annotation } from '../model/annotation';
import { parseAnnotation } from '../model/annotation-schema';
import type { AnnotationClass } from '../model/classes';
import { checkClass, DEFAULT_CLASSES } from '../model/classes';
import type { ChangeSet } from '../model/store';
import type { LaminaDb } from './database';
import { isTombstone } from './schema';
import type { LaminaSchema, QuarantinedRecord, StoredRecord } from './schema';
import type { IDBPTransaction } from 'idb';
import type { PlannedWrite } from './write-plan';
import { expectationHolds, planWrites } from './write-plan';
import type { SnapshotPart } from './snapshot';
import { decodePart, encodeSnapshot, snapshotWatermark } from './snapshot';

/** Another tab saved a newer revision of this annotation first. */
export class ConflictError extends Error {
  constructor(readonly ids: readonly string[]) {
    super(`changed in another tab: ${ids.join(', ')}`);
  }
}

/** An edit that breaks the annotation schema: refused before anything is written. */
export class InvalidRecordError extends Error {
  constructor(
    readonly id: string,
    readonly reason: string,
  ) {
    super(`annotation ${id} cannot be saved: ${reason}`);
  }
}

/** What a failed write means for a person. */
export function describeStorageError(e: unknown): string {
  const name = e instanceof DOMException || e instanceof Error ? e.name : '';
  if (name === 'QuotaExceededError') return 'The disk (or the browser’s storage quota) is full: this edit is not saved. Free some space, then retry.';
  if (e instanceof ConflictError) return 'Another tab changed this annotation first; its version is shown and your edit was not applied.';
  if (e instanceof InvalidRecordError) return `This edit was refused and not saved: ${e.reason}.`;
  if (name === 'AbortError') return 'The browser aborted the save (storage full or shutting down): this edit is not saved. Retry.';
  if (name === 'InvalidStateError') return 'The database was closed (Lamina was upgraded in another tab): reload this tab.';
  return `Saving failed: ${e instanceof Error ? e.message : String(e)}`;
}

export interface LoadResult {
  readonly annotations: Annotation[];
  /** Records of this slide that could not be read: kept aside (see keepAside), counted, exportable. */
  readonly rejected: number;
}

interface SlideRead extends LoadResult {
  /** What could not be read, as it was found. */
  readonly unreadable: QuarantinedRecord[];
  /** The snapshot's watermark (undefined: none) and the newest sequence number read. */
  readonly snapshot: number | undefined;
  readonly newest: number;
  /** Records read one by one, after the snapshot. */
  readonly journal: number;
}

/** Rebuild a slide's snapshot once this many records have been written after it. */
export const COMPACT_AFTER = 500;
/** A repository that never rebuilds snapshots (the storage writer's: the page's does). */
export const NO_COMPACTION = -1;


const FIRST = -Infinity;
const slideRange = (slideId: string): IDBKeyRange => IDBKeyRange.bound([slideId, FIRST], [slideId, Infinity]);
const slideBulkRange = (slideId: string): IDBKeyRange => IDBKeyRange.bound([slideId, FIRST, FIRST], [slideId, Infinity, Infinity]);

type WriteTx = IDBPTransaction<LaminaSchema, Array<'annotations' | 'marks' | 'bulk' | 'snapshots'>, 'readwrite'>;

/**
 * The slide's highest sequence number on disk: of its records, its imports and its snapshot.
 * All three, so a number is never given twice (a rebuild deletes the imports it folds in).
 */
async function lastSeqIn(tx: WriteTx, slideId: string): Promise<number> {
  const [record, bulk, snap] = await Promise.all([
    tx.objectStore('annotations').index('bySlideSeq').openCursor(slideRange(slideId), 'prev').then((c) => c?.value.seq ?? 0),
    tx.objectStore('bulk').openCursor(slideBulkRange(slideId), 'prev').then((c) => c?.value.watermark ?? 0),
    tx.objectStore('snapshots').get([slideId, 0]).then((p) => (p && Number.isFinite(p.watermark) ? p.watermark : 0)),
  ]);
  return Math.max(record, bulk, snap);
}

/**
 * Annotations on disk. Every edit writes small per-annotation records (fast, and each its own
 * strict transaction); opening a slide reads its packed snapshot plus the records written
 * after it (fast at 100k). A snapshot is rebuilt in the background once enough edits pile up.
 */
export class AnnotationRepository {
  /** Records written per slide since its snapshot, as far as this tab knows. */
  private readonly pending = new Map<string, number>();
  /** The last sequence number per slide, as far as this tab knows (a guess: saves check it). */
  private readonly lastSeq = new Map<string, number>();
  private compaction: Promise<void> = Promise.resolve();
  /** Slides with a rebuild waiting for its delay, and the promise of that wait. */
  private readonly scheduled = new Map<string, Promise<void>>();

  constructor(
    private readonly db: LaminaDb,
    /** How long a rebuild waits, so it never competes with opening the slide. */
    private readonly compactDelayMs = 1500,
  ) {}

  async loadSlide(slideId: string): Promise<LoadResult> {
    const r = await this.read(slideId);
    this.pending.set(slideId, r.journal);
    this.lastSeq.set(slideId, Number.isFinite(r.newest) ? r.newest : 0);
    // Before a rebuild can leave them out of the next snapshot, unreadable records are kept aside.
    const rejected = r.unreadable.length > 0 ? await this.keepAside(slideId, r.unreadable) : r.rejected;
    if (r.journal >= COMPACT_AFTER) this.scheduleCompaction(slideId);
    return { annotations: r.annotations, rejected };
  }

  /** Stores records that could not be read, as they were; returns how many this slide has aside. */
  async keepAside(slideId: string, records: readonly QuarantinedRecord[]): Promise<number> {
    const tx = this.db.transaction('quarantine', 'readwrite', { durability: 'strict' });
    for (const q of records) void tx.store.put(q);
    const n = tx.store.index('bySlide').count(slideId);
    await tx.done;
    return n;
  }

  /** Everything kept aside (for the backup), optionally of one slide. */
  async quarantined(slideId?: string): Promise<QuarantinedRecord[]> {
    return slideId === undefined ? this.db.getAll('quarantine') : this.db.getAllFromIndex('quarantine', 'bySlide', slideId);
  }

  /**
   * Snapshot + later records, in one transaction so they are consistent with each other. The
   * parts are asked for one by one, all at once, and each is decoded as it arrives, so decoding
   * overlaps with reading the rest.
   */
  private async read(slideId: string): Promise<SlideRead> {
    const tx = this.db.transaction(['snapshots', 'annotations', 'bulk'], 'readonly');
    const snapshots = tx.objectStore('snapshots');
    // Large imports, packed (all of them: the snapshot's watermark decides which still count).
    const bulkRead = tx.objectStore('bulk').getAll(slideBulkRange(slideId));
    const keys = await snapshots.getAllKeys(slideRange(slideId));
    const parts: SnapshotPart[] = [];
    const decoded: Annotation[][] = [];
    let partRejected = 0;
    const damagedParts: QuarantinedRecord[] = [];
    const arriving = keys.map((k, i) =>
      snapshots.get(k).then((p) => {
        if (!p) return;
        parts[i] = p;
        decoded[i] = [];
        const bad = decodePart(slideId, p, decoded[i]);
        partRejected += bad;
        if (bad > 0) damagedParts.push({ key: `snapshot:${slideId}:${p.watermark}:${p.part}`, slideId, reason: `${bad} entr${bad === 1 ? 'y' : 'ies'} of a snapshot part failed validation`, raw: p, at: Date.now() });
      }),
    );
    // Part 0 names the watermark; the journal after it is read behind the parts.
    if (arriving.length > 0) await arriving[0];
    const guess = parts[0]?.watermark;
    const after = (w: number | undefined): IDBKeyRange => (w === undefined || !Number.isFinite(w) ? slideRange(slideId) : IDBKeyRange.bound([slideId, w], [slideId, Infinity], true));
    const journal = tx.objectStore('annotations').index('bySlideSeq');
    let rowsRead = journal.getAll(after(guess));
    await Promise.all(arriving);
    if (typeof performance !== 'undefined') performance.mark('lamina:annotations-snapshot');
    const complete = parts.length === keys.length && !parts.includes(undefined as never);
    const snapshot = complete ? snapshotWatermark(parts) : undefined;
    // A torn snapshot (or none): every record instead.
    if (snapshot !== guess) {
      rowsRead.catch(() => undefined);
      rowsRead = journal.getAll(slideRange(slideId));
    }
    const rows = await rowsRead;
    const bulkParts = (await bulkRead).filter((p) => snapshot === undefined || p.watermark > snapshot);
    if (typeof performance !== 'undefined') performance.mark('lamina:annotations-rows');
    const base = snapshot === undefined ? { annotations: [], rejected: 0 } : { annotations: decoded.flat(), rejected: partRejected };
    let rejected = base.rejected + (snapshot === undefined ? 0 : parts[0]!.rejected);
    const unreadable: QuarantinedRecord[] = snapshot === undefined ? [] : damagedParts;
    let newest = snapshot ?? FIRST;
    // Imports come before records: a record of an imported annotation is always a later edit.
    const imported: Annotation[] = [];
    for (const p of bulkParts) {
      newest = Math.max(newest, p.watermark);
      const bad = decodePart(slideId, p, imported);
      if (bad > 0) {
        rejected += bad;
        unreadable.push({ key: `bulk:${slideId}:${p.watermark}:${p.part}`, slideId, reason: `${bad} entr${bad === 1 ? 'y' : 'ies'} of an imported part failed validation`, raw: p, at: Date.now() });
      }
    }
    const groups = new Set(bulkParts.map((p) => p.watermark)).size;
    if (rows.length === 0 && imported.length === 0) return { annotations: base.annotations, rejected, unreadable, snapshot, newest, journal: groups };
    const byId = new Map(base.annotations.map((a) => [a.id, a]));
    for (const a of imported) byId.set(a.id, a);
    for (const r of rows) {
      newest = Math.max(newest, r.seq);
      if (isTombstone(r)) {
        byId.delete(r.id);
        continue;
      }
      const { seq: _seq, ...rest } = r;
      const p = parseAnnotation(rest);
      if (p.value) byId.set(p.value.id, p.value);
      else {
        byId.delete(r.id);
        rejected++;
        unreadable.push({ key: `annotation:${String(r.id)}:${r.seq}`, slideId, reason: p.error, raw: r, at: Date.now() });
      }
    }
    return { annotations: [...byId.values()], rejected, unreadable, snapshot, newest, journal: rows.length + groups };
  }

  async get(slideId: string, id: string): Promise<Annotation | undefined> {
    return (await this.getMany(slideId, [id])).get(id);
  }

  /**
   * The current version of each of these annotations on disk (absent: deleted, or never there).
   * An annotation with no record of its own lives packed (a large import, or a snapshot): then
   * the slide is read whole, once, to find it.
   */
  async getMany(slideId: string, ids: readonly string[]): Promise<Map<string, Annotation>> {
    const out = new Map<string, Annotation>();
    const tx = this.db.transaction('annotations', 'readonly');
    const records = await Promise.all(ids.map((id) => tx.store.get(id)));
    const unrecorded: string[] = [];
    records.forEach((r, i) => {
      if (r === undefined) unrecorded.push(ids[i]!);
      else if (!isTombstone(r) && r.slideId === slideId) {
        const { seq: _seq, ...rest } = r;
        const p = parseAnnotation(rest);
        if (p.value) out.set(p.value.id, p.value);
      }
    });
    if (unrecorded.length > 0) {
      const all = new Map((await this.read(slideId)).annotations.map((a) => [a.id, a]));
      for (const id of unrecorded) {
        const a = all.get(id);
        if (a) out.set(id, a);
      }
    }
    return out;
  }

  /** Writes one change set (see saveBatch). */
  save(cs: ChangeSet): Promise<void> {
    return this.saveBatch([cs]);
  }

  /**
   * Writes change sets, in order, as one transaction (durability "strict": on disk before it
   * resolves): all of them or, if any record changed under us (ConflictError) or breaks the
   * schema (InvalidRecordError, checked before anything is written), none. With `mark`, the
   * same transaction records that the tab's journal is on disk up to that entry.
   */
  async saveBatch(batch: readonly ChangeSet[], mark?: { readonly tab: string; readonly seq: number }): Promise<void> {
    const plans = planWrites(batch);
    // The schema that loading applies, applied before writing: what is saved can be read back.
    const records: Array<StoredRecord | Omit<StoredRecord, 'seq'>> = plans.map((p) => {
      if ('tombstone' in p.put) return { id: p.id, slideId: p.slideId, rev: p.put.tombstone, deleted: true } as const;
      const parsed = parseAnnotation(p.put.annotation);
      if (parsed.error !== undefined) throw new InvalidRecordError(p.id, parsed.error);
      return parsed.value;
    });
    if (plans.length === 0 && !mark) return;
    const slides = [...new Set(plans.map((p) => p.slideId))];
    const guessed = slides.every((s) => this.lastSeq.has(s));
    // Usually this tab wrote the slide's last record, so its next number is known: the writes go
    // out with the checks, in one round trip, and a failed check aborts them. When another tab
    // wrote in between, the guess is wrong and the slower path reads first.
    if (!guessed || !(await this.write(plans, records, slides, true, mark))) await this.write(plans, records, slides, false, mark);
    for (const p of plans) {
      const n = (this.pending.get(p.slideId) ?? 0) + 1;
      this.pending.set(p.slideId, n);
      if (n >= COMPACT_AFTER) this.scheduleCompaction(p.slideId);
    }
  }

  /** One transaction; false when `guess` was set and a sequence number turned out stale. */
  private async write(
    plans: readonly PlannedWrite[],
    records: ReadonlyArray<StoredRecord | Omit<StoredRecord, 'seq'>>,
    slides: readonly string[],
    guess: boolean,
    mark: { readonly tab: string; readonly seq: number } | undefined,
  ): Promise<boolean> {
    const tx = this.db.transaction(['annotations', 'marks', 'bulk', 'snapshots'], 'readwrite', { durability: 'strict' });
    const store = tx.objectStore('annotations');
    const conflicts: string[] = [];
    let stale = false;
    try {
      // The checks: all in flight together, each settled by the time any write is answered.
      const reads = plans.map((p) => store.get(p.id).then((r) => void (expectationHolds(p.expect, r) || conflicts.push(p.id))));
      const lasts = Promise.all(slides.map((s) => lastSeqIn(tx, s)));
      let seqOf: Map<string, number>;
      if (guess) {
        seqOf = new Map(slides.map((s) => [s, this.lastSeq.get(s)! + 1]));
        void lasts.then((l) => {
          stale = l.some((n, i) => n + 1 !== seqOf.get(slides[i]!));
          if (stale || conflicts.length > 0) tx.abort();
        });
      } else {
        const l = await lasts;
        await Promise.all(reads);
        if (conflicts.length > 0) {
          tx.abort();
          throw new ConflictError(conflicts);
        }
        seqOf = new Map(slides.map((s, i) => [s, l[i]! + 1]));
      }
      const writes: Array<Promise<unknown>> = records.map((r) => store.put({ ...r, seq: seqOf.get(r.slideId)! } as StoredRecord));
      if (mark) writes.push(tx.objectStore('marks').put({ tab: mark.tab, seq: mark.seq, at: Date.now() }));
      await Promise.all([...reads, ...writes, tx.done]);
      for (const [s, n] of seqOf) this.lastSeq.set(s, n);
      return true;
    } catch (e) {
      // Swallow the abort's own rejection; report the cause.
      tx.done.catch(() => undefined);
      if (conflicts.length > 0) throw new ConflictError(conflicts);
      if (stale) return false;
      throw e;
    }
  }

  /** Every annotation id on disk, of any slide, deleted ones too (ids are unique across slides). */
  async annotationIds(): Promise<string[]> {
    const tx = this.db.transaction(['annotations', 'snapshots', 'bulk'], 'readonly');
    const ids = new Set<string>(await tx.objectStore('annotations').getAllKeys());
    // Packed annotations have no record until first edited.
    for (const store of ['snapshots', 'bulk'] as const) {
      for (const p of await tx.objectStore(store).getAll()) {
        try {
          for (const id of (JSON.parse(p.meta) as { ids: string[] }).ids) ids.add(id);
        } catch {
          // a damaged part: its ids are unknown, and it is reported where it is read
        }
      }
    }
    return [...ids];
  }

  /** Every slide with annotations (or tombstones) on disk. */
  async slideIds(): Promise<string[]> {
    const ids = new Set<string>();
    const tx = this.db.transaction(['annotations', 'snapshots', 'bulk'], 'readonly');
    let c = await tx.objectStore('annotations').index('bySlide').openKeyCursor(null, 'nextunique');
    while (c) {
      ids.add(c.key);
      c = await c.continue();
    }
    for (const [slideId] of await tx.objectStore('snapshots').getAllKeys()) ids.add(slideId);
    for (const [slideId] of await tx.objectStore('bulk').getAllKeys()) ids.add(slideId);
    return [...ids].sort();
  }

  /**
   * Writes a large import of one slide as packed parts (see schema `bulk`), in one strict
   * transaction with the journal mark if given. The parts are checked as loading checks them:
   * one entry that fails refuses the whole write.
   */
  async saveBulk(slideId: string, parts: readonly SnapshotPart[], mark?: { readonly tab: string; readonly seq: number }): Promise<void> {
    let count = 0;
    for (const p of parts) {
      const decoded: Annotation[] = [];
      const bad = decodePart(slideId, p, decoded);
      if (bad > 0) throw new InvalidRecordError(`part ${p.part + 1}`, `${bad} imported annotation(s) failed validation`);
      count += decoded.length;
    }
    const tx = this.db.transaction(['annotations', 'marks', 'bulk', 'snapshots'], 'readwrite', { durability: 'strict' });
    try {
      const seq = (await lastSeqIn(tx, slideId)) + 1;
      const writes: Array<Promise<unknown>> = parts.map((p, i) => tx.objectStore('bulk').put({ ...p, slideId, watermark: seq, part: i, parts: parts.length }));
      if (mark) writes.push(tx.objectStore('marks').put({ tab: mark.tab, seq: mark.seq, at: Date.now() }));
      await Promise.all([...writes, tx.done]);
      this.lastSeq.set(slideId, seq);
    } catch (e) {
      tx.done.catch(() => undefined);
      throw e;
    }
    const n = (this.pending.get(slideId) ?? 0) + Math.ceil(count / 100);
    this.pending.set(slideId, n);
    if (n >= COMPACT_AFTER) this.scheduleCompaction(slideId);
  }

  /** The tab's journal mark: its entries up to this number are on disk (0: none). */
  async markOf(tab: string): Promise<number> {
    return (await this.db.get('marks', tab))?.seq ?? 0;
  }

  /** The tabs with a mark (their journals may be gone: see recovery.ts). */
  async markedTabs(): Promise<string[]> {
    return this.db.getAllKeys('marks');
  }

  async forgetMark(tab: string): Promise<void> {
    await this.db.delete('marks', tab);
  }

  /** Resolves when no snapshot rebuild is pending or running (tests, benchmarks, shutdown). */
  async settled(): Promise<void> {
    do {
      await Promise.all(this.scheduled.values());
      await this.compaction;
    } while (this.scheduled.size > 0);
  }

  private scheduleCompaction(slideId: string): void {
    if (this.scheduled.has(slideId) || this.compactDelayMs === NO_COMPACTION) return;
    const waited = new Promise<void>((resolve) =>
      setTimeout(() => {
        this.compaction = this.compaction
          .then(() => this.compact(slideId))
          // A failed rebuild loses nothing (the records are all still there); try again later.
          .catch(() => undefined)
          .finally(() => this.scheduled.delete(slideId));
        resolve();
      }, this.compactDelayMs),
    );
    this.scheduled.set(slideId, waited);
  }

  /** Rebuilds the slide's snapshot from what is on disk now, unless another tab just did. */
  async compact(slideId: string): Promise<void> {
    const r = await this.read(slideId);
    if (r.journal === 0) return;
    const parts = encodeSnapshot(slideId, r.newest, r.annotations, r.rejected);
    const tx = this.db.transaction(['snapshots', 'quarantine', 'bulk'], 'readwrite');
    const store = tx.objectStore('snapshots');
    // The new snapshot leaves out what could not be read: it is kept aside first, in the same transaction.
    for (const q of r.unreadable) void tx.objectStore('quarantine').put(q);
    // Part 0 is enough to see whether another tab got here first (it is rewritten every time).
    const current = await store.get([slideId, 0]);
    if (current && current.watermark >= r.newest) {
      await tx.done;
      return;
    }
    await store.delete(slideRange(slideId));
    await Promise.all(parts.map((p) => store.put(p)));
    // Imports up to the watermark are in the new snapshot now.
    await tx.objectStore('bulk').delete(IDBKeyRange.bound([slideId, -Infinity, -Infinity], [slideId, r.newest, Infinity]));
    await tx.done;
    this.pending.set(slideId, 0);
  }

  async classes(): Promise<AnnotationClass[]> {
    const rows = await this.db.getAll('classes');
    const ok = rows.filter((r) => checkClass(r) === undefined);
    // Keys 1–9 in order, then the unkeyed ones.
    ok.sort((a, b) => (a.key || 10) - (b.key || 10) || a.name.localeCompare(b.name));
    return ok.length > 0 ? ok : DEFAULT_CLASSES.slice();
  }

  async putClass(c: AnnotationClass): Promise<void> {
    const err = checkClass(c);
    if (err) throw new Error(err);
    const tx = this.db.transaction('classes', 'readwrite', { durability: 'strict' });
    await tx.store.put(c);
    await tx.done;
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return (await this.db.get('settings', key)) as T | undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    const tx = this.db.transaction('settings', 'readwrite', { durability: 'strict' });
    await tx.store.put(value, key);
    await tx.done;
  }
}
