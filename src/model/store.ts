import type { Annotation } from './annotation';

/**
 * The in-memory annotation store of one slide. Every change is published as one change set
 * tagged with its origin, so the undo stack records only the user's edits and persistence does
 * not write back what it just read (or what another tab just wrote).
 */

export type Origin = 'user' | 'undo' | 'remote' | 'import' | 'storage';

export interface Update {
  readonly before: Annotation;
  readonly after: Annotation;
}

export interface ChangeSet {
  readonly origin: Origin;
  readonly created: readonly Annotation[];
  readonly updated: readonly Update[];
  readonly deleted: readonly Annotation[];
}

export interface AnnotationStore {
  get(id: string): Annotation | undefined;
  all(): Annotation[];
  readonly size: number;
  /** Applies a change set atomically: all of it or, if any part does not fit, none of it. */
  apply(cs: Omit<ChangeSet, 'origin'>, origin: Origin): ChangeSet;
  subscribe(listener: (cs: ChangeSet) => void): () => void;
}

export class StoreConflictError extends Error {}

export function createStore(initial: readonly Annotation[] = []): AnnotationStore {
  const byId = new Map<string, Annotation>(initial.map((a) => [a.id, a]));
  const listeners = new Set<(cs: ChangeSet) => void>();
  return {
    get: (id) => byId.get(id),
    all: () => [...byId.values()],
    get size() {
      return byId.size;
    },
    apply(change, origin) {
      for (const a of change.created) if (byId.has(a.id)) throw new StoreConflictError(`annotation ${a.id} already exists`);
      for (const u of change.updated) if (!byId.has(u.after.id)) throw new StoreConflictError(`annotation ${u.after.id} does not exist`);
      for (const a of change.deleted) if (!byId.has(a.id)) throw new StoreConflictError(`annotation ${a.id} does not exist`);
      for (const a of change.created) byId.set(a.id, a);
      for (const u of change.updated) byId.set(u.after.id, u.after);
      for (const a of change.deleted) byId.delete(a.id);
      const cs: ChangeSet = { origin, created: change.created, updated: change.updated, deleted: change.deleted };
      for (const l of listeners) l(cs);
      return cs;
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

export function isEmpty(cs: Omit<ChangeSet, 'origin'>): boolean {
  return cs.created.length === 0 && cs.updated.length === 0 && cs.deleted.length === 0;
}
