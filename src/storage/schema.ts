import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { Annotation } from '../model/annotation';
import type { AnnotationClass } from '../model/classes';
import { DEFAULT_CLASSES } from '../model/classes';

/**
 * Lamina's IndexedDB schema. Migrations are append-only: migration N upgrades a database at
 * version N to N + 1, and each has a test that opens a database written by the code before it.
 */

export interface LaminaSchema extends DBSchema {
  annotations: {
    key: string;
    value: Annotation;
    indexes: { bySlide: string };
  };
  settings: {
    key: string;
    value: unknown;
  };
  classes: {
    key: string;
    value: AnnotationClass;
  };
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
      const v = cursor.value as Annotation & { rev?: number };
      if (typeof v.rev !== 'number') await cursor.update({ ...v, rev: 1 });
      cursor = await cursor.continue();
    }
  },
];

export const DB_VERSION = MIGRATIONS.length;
