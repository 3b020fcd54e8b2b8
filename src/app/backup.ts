import type { Annotation } from '../model/annotation';
import type { ParseResult } from '../model/annotation-schema';
import { parseBackup, serializeBackup } from '../model/formats/backup';
import type { ChangeSet } from '../model/store';
import type { AnnotationRepository } from '../storage/annotation-repo';
import { describeStorageError } from '../storage/annotation-repo';
import type { RecoveredEdits } from '../storage/recovery';

/** "Export everything" and its restore: the safety net against a browser evicting our storage. */

export async function exportEverything(repo: AnnotationRepository, now = new Date()): Promise<ParseResult<string>> {
  const slides = [];
  for (const slideId of await repo.slideIds()) {
    const { annotations } = await repo.loadSlide(slideId);
    if (annotations.length > 0) slides.push({ slideId, annotations });
  }
  const author = await repo.getSetting<string>('author');
  const unreadable = (await repo.quarantined()).map(({ key, slideId, reason, raw }) => ({ key, slideId, reason, raw }));
  return serializeBackup({ exported: now.toISOString(), author: typeof author === 'string' ? author : '', classes: await repo.classes(), slides, unreadable });
}

export interface RestoreReport {
  readonly added: number;
  readonly updated: number;
  /** Already there, at the same or a newer revision. */
  readonly unchanged: number;
  readonly classesAdded: number;
  readonly slides: number;
}

/**
 * Writes a backup back: annotations missing here are added, older revisions brought up to date,
 * newer ones left alone, all in one transaction or none; then classes missing here are added
 * (a shortcut key another class holds already is left off).
 */
export async function restoreBackup(repo: AnnotationRepository, text: string, announce: (edits: readonly RecoveredEdits[]) => void): Promise<ParseResult<RestoreReport>> {
  const parsed = parseBackup(text);
  if (parsed.error !== undefined) return { error: parsed.error };
  const b = parsed.value;
  const batch: ChangeSet[] = [];
  const edits: RecoveredEdits[] = [];
  let added = 0;
  let updated = 0;
  let unchanged = 0;
  for (const { slideId, annotations } of b.slides) {
    const here = new Map((await repo.loadSlide(slideId)).annotations.map((a) => [a.id, a]));
    const created: Annotation[] = [];
    const changed: Array<{ before: Annotation; after: Annotation }> = [];
    for (const a of annotations) {
      const mine = here.get(a.id);
      // Annotations belong to the slide named in the file, whatever their own field says.
      const theirs = a.slideId === slideId ? a : { ...a, slideId };
      if (!mine) created.push(theirs);
      else if (mine.rev < theirs.rev) changed.push({ before: mine, after: theirs });
      else unchanged++;
    }
    added += created.length;
    updated += changed.length;
    if (created.length + changed.length > 0) {
      batch.push({ origin: 'import', created, updated: changed, deleted: [] });
      edits.push({ slideId, ids: [...created, ...changed.map((u) => u.after)].map((a) => a.id) });
    }
  }
  const mine = await repo.classes();
  const existing = new Set(mine.map((c) => c.id));
  const keys = new Set(mine.map((c) => c.key).filter((k) => k > 0));
  const newClasses = b.classes.filter((c) => !existing.has(c.id)).map((c) => (keys.has(c.key) ? { ...c, key: 0 } : (keys.add(c.key), c)));
  try {
    if (batch.length > 0) await repo.saveBatch(batch);
    for (const c of newClasses) await repo.putClass(c);
  } catch (e) {
    return { error: `Nothing was restored: ${describeStorageError(e)}` };
  }
  if (edits.length > 0) announce(edits);
  return { value: { added, updated, unchanged, classesAdded: newClasses.length, slides: b.slides.length } };
}
