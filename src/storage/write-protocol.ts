import type { ChangeSet } from '../model/store';
import type { SnapshotPart } from './snapshot';

/**
 * The write queue's vocabulary, and the messages between a page and its storage writer worker.
 *
 * Why a worker: IndexedDB answers a page on its main thread, behind input events. During a burst
 * of 1,000 clicks the page's first transaction waited ~0.9 s for its callbacks, so nothing of the
 * burst reached the disk until the clicking stopped, and a browser killed then lost all of it.
 * The page hands each edit to the worker as it happens (postMessage does not wait for the main
 * thread), and the worker's thread writes them, batched, while the clicking goes on.
 */

export interface QueuedWrite {
  /** The write's number in this tab (outcomes name it). */
  readonly n: number;
  /** Edits, written record by record; or */
  readonly cs?: ChangeSet;
  /** a large import of one slide, packed (see schema `bulk`). */
  readonly bulk?: { readonly slideId: string; readonly parts: readonly SnapshotPart[] };
  /** Its journal entry, recorded as written in the same transaction. */
  readonly mark?: { readonly tab: string; readonly seq: number };
}

/** How a refusal or failure crosses a thread boundary (class identity does not survive cloning). */
export type WriteFailure =
  | { readonly kind: 'conflict'; readonly ids: readonly string[] }
  | { readonly kind: 'invalid'; readonly id: string; readonly reason: string }
  | { readonly kind: 'dom'; readonly name: string; readonly message: string };

export type WriteOutcome =
  /** On disk, in the order pushed. */
  | { readonly kind: 'written'; readonly ns: readonly number[] }
  /** Not written, and never will be: another tab changed it first, or it breaks the schema. */
  | { readonly kind: 'refused'; readonly n: number; readonly failure: WriteFailure }
  /** Writing stopped (a full disk, an abort); these wait, in order, for a retry. */
  | { readonly kind: 'failed'; readonly ns: readonly number[]; readonly failure: WriteFailure };

export type ToWriter = { readonly open: string } | { readonly push: QueuedWrite } | { readonly retry: true };

export type FromWriter = { readonly outcome: WriteOutcome } | { readonly closed: string };
