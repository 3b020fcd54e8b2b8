import type { Annotation } from '../model/annotation';
import { parseAnnotation } from '../model/annotation';
import type { AnnotationClass } from '../model/classes';
import { checkClass, DEFAULT_CLASSES } from '../model/classes';
import type { ChangeSet } from '../model/store';
import type { LaminaDb } from './database';
import { isTombstone } from './schema';
import type { SnapshotPart } from './snapshot';
import { decodePart, encodeSnapshot, snapshotWatermark } from './snapshot';

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
  /** The last sequence number per slide, as far as this tab knows (a guess: saves check it). */
  private readonly lastSeq = new Map<string, number>();
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
    this.lastSeq.set(slideId, Number.isFinite(r.newest) ? r.newest : 0);
    if (r.journal >= COMPACT_AFTER) this.scheduleCompaction(slideId);
    return { annotations: r.annotations, rejected: r.rejected };
  }

  /**
   * Snapshot + later records, in one transaction so they are consistent with each other. The
   * parts are asked for one by one, all at once, and each is decoded as it arrives, so decoding
   * overlaps with reading the rest.
   */
  private async read(slideId: string): Promise<SlideRead> {
    const tx = this.db.transaction(['snapshots', 'annotations'], 'readonly');
    const snapshots = tx.objectStore('snapshots');
    const keys = await snapshots.getAllKeys(slideRange(slideId));
    const parts: SnapshotPart[] = [];
    const decoded: Annotation[][] = [];
    let partRejected = 0;
    const arriving = keys.map((k, i) =>
      snapshots.get(k).then((p) => {
        if (!p) return;
        parts[i] = p;
        decoded[i] = [];
        partRejected += decodePart(slideId, p, decoded[i]);
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
    if (typeof performance !== 'undefined') performance.mark('lamina:annotations-rows');
    const base = snapshot === undefined ? { annotations: [], rejected: 0 } : { annotations: decoded.flat(), rejected: partRejected };
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
    const slides = [...new Set([...cs.created, ...cs.updated.map((u) => u.after), ...cs.deleted].map((a) => a.slideId))];
    const guessed = slides.every((s) => this.lastSeq.has(s));
    // Usually this tab wrote the slide's last record, so its next number is known: the writes go
    // out with the checks, in one round trip, and a failed check aborts them. When another tab
    // wrote in between, the guess is wrong and the slower path reads first.
    if (!guessed || !(await this.write(cs, slides, true))) await this.write(cs, slides, false);
    for (const a of [...cs.created, ...cs.updated.map((u) => u.after), ...cs.deleted]) {
      const n = (this.pending.get(a.slideId) ?? 0) + 1;
      this.pending.set(a.slideId, n);
      if (n >= COMPACT_AFTER) this.scheduleCompaction(a.slideId);
    }
  }

  /** One transaction; false when `guess` was set and a sequence number turned out stale. */
  private async write(cs: ChangeSet, slides: readonly string[], guess: boolean): Promise<boolean> {
    const tx = this.db.transaction('annotations', 'readwrite', { durability: 'strict' });
    const store = tx.objectStore('annotations');
    const conflicts: string[] = [];
    let stale = false;
    const check = (ok: boolean, id: string): void => {
      if (!ok) conflicts.push(id);
    };
    try {
      // The checks: all in flight together, each settled by the time any write is answered.
      const reads = [
        ...cs.created.map((a) => store.get(a.id).then((r) => check(!r || isTombstone(r), a.id))),
        ...cs.updated.map((u) => store.get(u.after.id).then((r) => check(!r || (!isTombstone(r) && r.rev === u.before.rev), u.after.id))),
        ...cs.deleted.map((d) => store.get(d.id).then((r) => check(!r || isTombstone(r) || r.rev === d.rev, d.id))),
      ];
      const lasts = Promise.all(slides.map((s) => store.index('bySlideSeq').openCursor(slideRange(s), 'prev').then((c) => c?.value.seq ?? 0)));
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
      const writes: Array<Promise<unknown>> = [];
      for (const a of cs.created) writes.push(store.put({ ...a, seq: seqOf.get(a.slideId)! }));
      for (const u of cs.updated) writes.push(store.put({ ...u.after, seq: seqOf.get(u.after.slideId)! }));
      for (const d of cs.deleted) writes.push(store.put({ id: d.id, slideId: d.slideId, rev: d.rev + 1, seq: seqOf.get(d.slideId)!, deleted: true }));
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
