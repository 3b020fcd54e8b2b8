import { openDB } from 'idb';
import type { IDBPDatabase } from 'idb';
import type { LaminaSchema } from './schema';
import { DB_NAME, DB_VERSION, MIGRATIONS } from './schema';

export type LaminaDb = IDBPDatabase<LaminaSchema>;

export interface OpenOptions {
  readonly name?: string;
  /** Another tab wants a newer schema: this connection has been closed; ask the user to reload. */
  readonly onVersionChange?: () => void;
  /** This tab wants a newer schema but an older tab keeps the database open. */
  readonly onBlocked?: () => void;
  /** The browser closed the connection abnormally (storage cleared, a disk failure). */
  readonly onTerminated?: () => void;
}

/** Opens (and if needed upgrades) the database. Rejects if an upgrade step fails. */
export async function openLaminaDb(opts: OpenOptions = {}): Promise<LaminaDb> {
  const db = await openDB<LaminaSchema>(opts.name ?? DB_NAME, DB_VERSION, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      for (let v = oldVersion; v < DB_VERSION; v++) await MIGRATIONS[v]!(db, tx);
    },
    blocked() {
      opts.onBlocked?.();
    },
    terminated() {
      opts.onTerminated?.();
    },
  });
  db.addEventListener('versionchange', () => {
    // Never hold up another tab's upgrade: close, and let this tab tell its user to reload.
    db.close();
    opts.onVersionChange?.();
  });
  return db;
}
