import type { Annotation } from '../model/annotation';
import { parseAnnotation } from '../model/annotation';
import type { AnnotationClass } from '../model/classes';
import { checkClass, DEFAULT_CLASSES } from '../model/classes';
import type { ChangeSet } from '../model/store';
import type { LaminaDb } from './database';
import { isTombstone } from './schema';
import { decodeSnapshot, encodeSnapshot, snapshotWatermark } from './snapshot';

/** Another tab saved a newer revision of this annotation first. */
export class ConflictError extends Error {
  constructor(readonly ids: readonly string[]) {
    super(`changed in another tab: ${ids.join(', ')}`);
  }
}

/** What a failed write means for a person. */
export function describeStorageError(e: unknown): string {
  const name = e instanceof DOMException || e instanceof Error ? e.name : '';
  if (name === 'QuotaExceededError') return 'The disk (or the browser’s storage quota) is full: this edit is not saved. Free some space, then retry.';
  if (e instanceof ConflictError) return 'Another tab changed this annotation first; its version is shown and your edit was not applied.';
  if (name === 'AbortError') return 'The browser aborted the save (storage full or shutting down): this edit is not saved. Retry.';
  if (name === 'InvalidStateError') return 'The database was closed (Lamina was upgraded in another tab): reload this tab.';
  return `Saving failed: ${e instanceof Error ? e.message : String(e)}`;
}

export interface LoadResult {
  readonly annotations: Annotation[];
  /** Records that failed validation; shown to the user, left untouched in the database. */
  readonly rejected: number;
}

interface SlideRead extends LoadResult {
  /** The snapshot's watermark (undefined: none) and the newest sequence number read. */
  readonly snapshot: number | undefined;
  readonly newest: number;
  /** Records read one by one, after the snapshot. */
  readonly journal: number;
}

/** Rebuild a slide's snapshot once this many records have been written after it. */
export const COMPACT_AFTER = 500;

const FIRST = -Infinity;
const slideRange = (slideId: string): IDBKeyRange => IDBKeyRange.bound([slideId, FIRST], [slideId, Infinity]);

/**
 * Annotations on disk. Every edit writes small per-annotation records (fast, and each its own
 * strict transaction); opening a slide reads its packed snapshot plus the records written
 * after it (fast at 100k). A snapshot is rebuilt in the background once enough edits pile up.
 */
export class AnnotationRepository {
  /** Records written per slide since its snapshot, as far as this tab knows. */
  private readonly pending = new Map<string, number>();
  private compaction: Promise<void> = Promise.resolve();
  private readonly scheduled = new Set<string>();

  constructor(
    private readonly db: LaminaDb,
    /** How long a rebuild waits, so it never competes with opening the slide. */
    private readonly compactDelayMs = 1500,
  ) {}

  async loadSlide(slideId: string): Promise<LoadResult> {
    const r = await this.read(slideId);
    this.pending.set(slideId, r.journal);
    if (r.journal >= COMPACT_AFTER) this.scheduleCompaction(slideId);
    return { annotations: r.annotations, rejected: r.rejected };
  }

  /** Snapshot + later records, in one transaction so they are consistent with each other. */
  private async read(slideId: string): Promise<SlideRead> {
    const tx = this.db.transaction(['snapshots', 'annotations'], 'readonly');
    const parts = await tx.objectStore('snapshots').getAll(slideRange(slideId));
    if (typeof performance !== 'undefined') performance.mark('lamina:annotations-snapshot');
    const snapshot = snapshotWatermark(parts);
    const range = snapshot === undefined ? slideRange(slideId) : IDBKeyRange.bound([slideId, snapshot], [slideId, Infinity], true);
    const rows = await tx.objectStore('annotations').index('bySlideSeq').getAll(range);
    if (typeof performance !== 'undefined') performance.mark('lamina:annotations-rows');
    const base = snapshot === undefined ? { annotations: [], rejected: 0 } : decodeSnapshot(slideId, parts);
    let rejected = base.rejected + (snapshot === undefined ? 0 : parts[0]!.rejected);
    let newest = snapshot ?? FIRST;
    if (rows.length === 0) return { annotations: base.annotations, rejected, snapshot, newest, journal: 0 };
    const byId = new Map(base.annotations.map((a) => [a.id, a]));
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
      }
    }
    return { annotations: [...byId.values()], rejected, snapshot, newest, journal: rows.length };
  }

  async get(slideId: string, id: string): Promise<Annotation | undefined> {
    const r = await this.db.get('annotations', id);
    if (r === undefined || isTombstone(r) || r.slideId !== slideId) return undefined;
    const { seq: _seq, ...rest } = r;
    return parseAnnotation(rest).value;
  }

  /**
   * Writes one change set in one transaction (durability "strict": on disk before it resolves).
   * Refuses (ConflictError) and writes nothing if any record changed under us.
   */
  async save(cs: ChangeSet): Promise<void> {
    const tx = this.db.transaction('annotations', 'readwrite', { durability: 'strict' });
    const store = tx.objectStore('annotations');
    const conflicts: string[] = [];
    try {
      const slides = new Set([...cs.created, ...cs.updated.map((u) => u.after), ...cs.deleted].map((a) => a.slideId));
      // Reads first, all in flight together: the conflict checks and each slide's next number.
      const [created, updated, deleted, lasts] = await Promise.all([
        Promise.all(cs.created.map((a) => store.get(a.id))),
        Promise.all(cs.updated.map((u) => store.get(u.after.id))),
        Promise.all(cs.deleted.map((d) => store.get(d.id))),
        Promise.all([...slides].map((s) => store.index('bySlideSeq').openCursor(slideRange(s), 'prev'))),
      ]);
      // Re-creating a deleted id (undo of a delete) is fine; re-creating a live one is not.
      created.forEach((r, i) => r && !isTombstone(r) && conflicts.push(cs.created[i]!.id));
      updated.forEach((r, i) => r && (isTombstone(r) || r.rev !== cs.updated[i]!.before.rev) && conflicts.push(cs.updated[i]!.after.id));
      deleted.forEach((r, i) => r && !isTombstone(r) && r.rev !== cs.deleted[i]!.rev && conflicts.push(cs.deleted[i]!.id));
      if (conflicts.length > 0) {
        tx.abort();
        throw new ConflictError(conflicts);
      }
      const seqOf = new Map([...slides].map((s, i) => [s, (lasts[i]?.value.seq ?? 0) + 1]));
      const writes: Array<Promise<unknown>> = [];
      for (const a of cs.created) writes.push(store.put({ ...a, seq: seqOf.get(a.slideId)! }));
      for (const u of cs.updated) writes.push(store.put({ ...u.after, seq: seqOf.get(u.after.slideId)! }));
      for (const d of cs.deleted) writes.push(store.put({ id: d.id, slideId: d.slideId, rev: d.rev + 1, seq: seqOf.get(d.slideId)!, deleted: true }));
      await Promise.all(writes);
      await tx.done;
    } catch (e) {
      // Swallow the abort's own rejection; report the cause.
      tx.done.catch(() => undefined);
      throw e;
    }
    for (const a of [...cs.created, ...cs.updated.map((u) => u.after), ...cs.deleted]) {
      const n = (this.pending.get(a.slideId) ?? 0) + 1;
      this.pending.set(a.slideId, n);
      if (n >= COMPACT_AFTER) this.scheduleCompaction(a.slideId);
    }
  }

  /** Resolves when no snapshot rebuild is pending or running (tests, benchmarks, shutdown). */
  async settled(): Promise<void> {
    while (this.scheduled.size > 0) await new Promise((r) => setTimeout(r, 20));
    await this.compaction;
  }

  private scheduleCompaction(slideId: string): void {
    if (this.scheduled.has(slideId)) return;
    this.scheduled.add(slideId);
    setTimeout(() => {
      this.compaction = this.compaction
        .then(() => this.compact(slideId))
        // A failed rebuild loses nothing (the records are all still there); try again later.
        .catch(() => undefined)
        .finally(() => this.scheduled.delete(slideId));
    }, this.compactDelayMs);
  }

  /** Rebuilds the slide's snapshot from what is on disk now, unless another tab just did. */
  async compact(slideId: string): Promise<void> {
    const r = await this.read(slideId);
    if (r.journal === 0) return;
    const parts = encodeSnapshot(slideId, r.newest, r.annotations, r.rejected);
    const tx = this.db.transaction('snapshots', 'readwrite');
    const store = tx.objectStore('snapshots');
    // Part 0 is enough to see whether another tab got here first (it is rewritten every time).
    const current = await store.get([slideId, 0]);
    if (current && current.watermark >= r.newest) {
      await tx.done;
      return;
    }
    await store.delete(slideRange(slideId));
    await Promise.all(parts.map((p) => store.put(p)));
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
