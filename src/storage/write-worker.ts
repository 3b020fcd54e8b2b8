/// <reference lib="webworker" />
import { openDB } from 'idb';
import type { LaminaSchema } from './schema';
import { DB_VERSION } from './schema';
import { AnnotationRepository, NO_COMPACTION } from './annotation-repo';
import { WriteQueue } from './write-queue';
import type { FromWriter, QueuedWrite, ToWriter } from './write-protocol';
import { WRITER_UPGRADED } from './write-sink';

/**
 * The tab's storage writer (see write-protocol.ts for why): a WriteQueue on its own thread, over
 * its own connection to the database the page has opened. Writes wait for the connection in
 * the order they came.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const tell = (m: FromWriter): void => scope.postMessage(m);
let queue: WriteQueue | undefined;
const early: QueuedWrite[] = [];

scope.onmessage = (e: MessageEvent<ToWriter>): void => {
  const m = e.data;
  if ('open' in m) {
    void openDB<LaminaSchema>(m.open, DB_VERSION).then(
      (db) => {
        db.addEventListener('versionchange', () => {
          // Never hold up another tab's upgrade.
          db.close();
          tell({ closed: WRITER_UPGRADED });
        });
        // Snapshot rebuilds stay with the page's repository; this one only writes.
        queue = new WriteQueue(new AnnotationRepository(db, NO_COMPACTION), (outcome) => tell({ outcome }));
        for (const w of early.splice(0)) queue.push(w);
      },
      (err: unknown) => tell({ closed: `the storage writer could not open the database: ${err instanceof Error ? err.message : String(err)}` }),
    );
  } else if ('push' in m) {
    if (queue) queue.push(m.push);
    else early.push(m.push);
  } else queue?.retry();
};
