import type { Annotation } from './annotation';
import type { AnnotationStore, ChangeSet } from './store';

/**
 * Undo and redo of the user's own edits, an import among them (undone in one step). Changes
 * from other tabs are not undoable here; an undo whose target was changed meanwhile by another
 * tab is skipped rather than clobbering.
 */

export interface UndoStack {
  undo(): boolean;
  redo(): boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  clear(): void;
  destroy(): void;
}

interface Entry {
  readonly created: readonly Annotation[];
  readonly updated: ReadonlyArray<{ before: Annotation; after: Annotation }>;
  readonly deleted: readonly Annotation[];
}

function invert(e: Entry): Entry {
  return {
    created: e.deleted,
    deleted: e.created,
    updated: e.updated.map((u) => ({ before: u.after, after: u.before })),
  };
}

export function createUndoStack(store: AnnotationStore, limit = 500): UndoStack {
  const done: Entry[] = [];
  const undone: Entry[] = [];
  const unsubscribe = store.subscribe((cs: ChangeSet) => {
    if (cs.origin !== 'user' && cs.origin !== 'import') return;
    done.push({ created: cs.created, updated: cs.updated, deleted: cs.deleted });
    if (done.length > limit) done.shift();
    undone.length = 0;
  });

  /** Applies an entry if the store still holds what the entry expects; otherwise skips it. */
  function replay(e: Entry): boolean {
    const current = (a: Annotation): Annotation | undefined => store.get(a.id);
    const fits =
      e.created.every((a) => !current(a)) &&
      e.deleted.every((a) => current(a) !== undefined) &&
      e.updated.every((u) => current(u.before) !== undefined);
    if (!fits) return false;
    // Updates carry the latest stored revision forward so persistence never goes backwards.
    const updated = e.updated.map((u) => {
      const now = current(u.before)!;
      return { before: now, after: { ...u.after, rev: now.rev + 1, updated: Date.now() } };
    });
    const deleted = e.deleted.map((a) => current(a)!);
    store.apply({ created: e.created, updated, deleted }, 'undo');
    return true;
  }

  return {
    undo() {
      const e = done.pop();
      if (!e) return false;
      if (!replay(invert(e))) return false;
      undone.push(e);
      return true;
    },
    redo() {
      const e = undone.pop();
      if (!e) return false;
      if (!replay(e)) return false;
      done.push(e);
      return true;
    },
    get canUndo() {
      return done.length > 0;
    },
    get canRedo() {
      return undone.length > 0;
    },
    clear() {
      done.length = 0;
      undone.length = 0;
    },
    destroy: unsubscribe,
  };
}
