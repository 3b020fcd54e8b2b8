import type { Annotation } from '../model/annotation';
import { parseAnnotation } from '../model/annotation';
import type { AnnotationClass } from '../model/classes';
import { checkClass, DEFAULT_CLASSES } from '../model/classes';
import type { ChangeSet } from '../model/store';
import type { LaminaDb } from './database';

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

export class AnnotationRepository {
  constructor(private readonly db: LaminaDb) {}

  async loadSlide(slideId: string): Promise<LoadResult> {
    const rows = await this.db.getAllFromIndex('annotations', 'bySlide', slideId);
    if (typeof performance !== 'undefined') performance.mark('lamina:annotations-rows');
    const annotations: Annotation[] = [];
    let rejected = 0;
    for (const r of rows) {
      const p = parseAnnotation(r);
      if (p.value) annotations.push(p.value);
      else rejected++;
    }
    return { annotations, rejected };
  }

  async get(id: string): Promise<Annotation | undefined> {
    const r = await this.db.get('annotations', id);
    const p = r === undefined ? undefined : parseAnnotation(r);
    return p?.value;
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
      for (const u of cs.updated) {
        const stored = await store.get(u.after.id);
        if (stored && stored.rev !== u.before.rev) conflicts.push(u.after.id);
      }
      for (const d of cs.deleted) {
        const stored = await store.get(d.id);
        if (stored && stored.rev !== d.rev) conflicts.push(d.id);
      }
      if (conflicts.length > 0) {
        tx.abort();
        throw new ConflictError(conflicts);
      }
      for (const a of cs.created) await store.add(a);
      for (const u of cs.updated) await store.put(u.after);
      for (const d of cs.deleted) await store.delete(d.id);
      await tx.done;
    } catch (e) {
      // Swallow the abort's own rejection; report the cause.
      tx.done.catch(() => undefined);
      throw e;
    }
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
