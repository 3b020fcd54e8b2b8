import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { Annotation } from '../model/annotation';
import type { AnnotationClass } from '../model/classes';
import { DEFAULT_CLASSES } from '../model/classes';
import type { SnapshotPart } from './snapshot';
import type { QuizAttempt, TeachingSet } from '../model/teaching/types';
import type { OwnSlideRecord } from './own-slide-record';

/**
 * Lamina's IndexedDB schema. Migrations are append-only: migration N upgrades a database at
 * version N to N + 1, and each has a test that opens a database written by the code before it.
 */

/** An annotation as stored: with the sequence number of the edit that wrote it. */
export type StoredAnnotation = Annotation & { readonly seq: number };

/** What a delete leaves, so a snapshot taken before it does not bring the annotation back. */
export interface Tombstone {
  readonly id: string;
  readonly slideId: string;
  readonly rev: number;
  readonly seq: number;
  readonly deleted: true;
}

export type StoredRecord = StoredAnnotation | Tombstone;

export function isTombstone(r: unknown): r is Tombstone {
  return typeof r === 'object' && r !== null && (r as { deleted?: unknown }).deleted === true;
}

export interface LaminaSchema extends DBSchema {
  /** Every annotation (or its tombstone), one record each: where edits are written. */
  annotations: {
    key: string;
    value: StoredRecord;
    indexes: { bySlide: string; bySlideSeq: [string, number] };
  };
  /** Since v3: per slide, all annotations up to a sequence number, packed (see snapshot.ts). */
  snapshots: {
    key: [string, number];
    value: SnapshotPart;
  };
  settings: {
    key: string;
    value: unknown;
  };
  classes: {
    key: string;
    value: AnnotationClass;
  };
  /**
   * Since v4: per tab, the highest journal entry its writes have put on disk (written in the
   * same transaction as the edits), so a journal left by a crash replays from the right place.
   */
  marks: {
    key: string;
    value: JournalMark;
  };
  /**
   * Since v4: records that could not be read (a damaged part, a record of a newer or broken
   * build), kept as they were instead of being dropped, counted and offered for export.
   */
  quarantine: {
    key: string;
    value: QuarantinedRecord;
    indexes: { bySlide: string };
  };
  /**
   * Since v5: large imports, packed like snapshot parts (`watermark` holds the import's sequence
   * number), instead of a record per annotation: 100k records cost ~10 s to write, these parts
   * a fraction of a second. An annotation found only here (or in a snapshot) has no record until
   * it is first edited. Folded into the snapshot, and deleted, by the next rebuild.
   */
  bulk: {
    key: [string, number, number];
    value: SnapshotPart;
  };
  /** Since v6: teaching sets, quiz keys included (a trainee's page asks for them only on submit). */
  sets: {
    key: string;
    value: TeachingSet;
  };
  /** Since v6: every try at a quiz item. */
  attempts: {
    key: string;
    value: QuizAttempt;
    indexes: { bySet: string };
  };
  /** Since v7: the user's own slide files (where to find them, their scale, a thumbnail); never the file itself. */
  ownSlides: {
    key: string;
    value: OwnSlideRecord;
  };
}

export interface JournalMark {
  readonly tab: string;
  readonly seq: number;
  readonly at: number;
}

export interface QuarantinedRecord {
  /** Where it came from and which: `annotation:<id>`, `snapshot:<slide>:<part>`, `journal:<tab>:<seq>`. */
  readonly key: string;
  readonly slideId: string;
  /** Why it could not be read, in words. */
  readonly reason: string;
  /** The record exactly as it was found. */
  readonly raw: unknown;
  readonly at: number;
}

export const DB_NAME = 'lamina';

type UpgradeTx = IDBPTransaction<LaminaSchema, StoreNames<LaminaSchema>[], 'versionchange'>;
type Migration = (db: IDBPDatabase<LaminaSchema>, tx: UpgradeTx) => Promise<void> | void;

export const MIGRATIONS: readonly Migration[] = [
  // 0 → 1: annotations by slide, and settings (the author's name).
  (db) => {
    const s = db.createObjectStore('annotations', { keyPath: 'id' });
    s.createIndex('bySlide', 'slideId');
    db.createObjectStore('settings');
  },
  // 1 → 2: user-editable classes, seeded with the defaults; every annotation gets a revision
  // number so two tabs can no longer overwrite each other's edits silently.
  async (db, tx) => {
    db.createObjectStore('classes', { keyPath: 'id' });
    const classes = tx.objectStore('classes');
    for (const c of DEFAULT_CLASSES) await classes.put(c);
    let cursor = await tx.objectStore('annotations').openCursor();
    while (cursor) {
      const v = cursor.value as Annotation & { rev?: number; seq: number };
      if (typeof v.rev !== 'number') await cursor.update({ ...v, rev: 1 });
      cursor = await cursor.continue();
    }
  },
  // 2 → 3: every record gets a sequence number (0 for all that exist), indexed
  // per slide, so opening a slide reads a packed snapshot plus only the edits made after it.
  async (db, tx) => {
    db.createObjectStore('snapshots', { keyPath: ['slideId', 'part'] });
    const annotations = tx.objectStore('annotations');
    let cursor = await annotations.openCursor();
    while (cursor) {
      const v = cursor.value as Partial<StoredAnnotation>;
      // A record without a slide id could never be indexed (or loaded): it stays as it is.
      if (typeof v.seq !== 'number' && typeof v.slideId === 'string') await cursor.update({ ...(v as StoredAnnotation), seq: 0 });
      cursor = await cursor.continue();
    }
    annotations.createIndex('bySlideSeq', ['slideId', 'seq']);
  },
  // 3 → 4: the journal's marks, and unreadable records kept aside.
  (db) => {
    db.createObjectStore('marks', { keyPath: 'tab' });
    db.createObjectStore('quarantine', { keyPath: 'key' }).createIndex('bySlide', 'slideId');
  },
  // 4 → 5: large imports, packed.
  (db) => {
    db.createObjectStore('bulk', { keyPath: ['slideId', 'watermark', 'part'] });
  },
  // 5 → 6: teaching sets and quiz attempts.
  (db) => {
    db.createObjectStore('sets', { keyPath: 'id' });
    db.createObjectStore('attempts', { keyPath: 'id' }).createIndex('bySet', 'setId');
  },
  // 6 → 7: the user's own slide files (annotations of them live with all the others, by slide id).
  (db) => {
    db.createObjectStore('ownSlides', { keyPath: 'id' });
  },
];

export const DB_VERSION = MIGRATIONS.length;
