import type { Annotation } from '../model/annotation';
import type { ChangeSet } from '../model/store';

/**
 * A batch of change sets as the records to write and what each must find on disk first.
 *
 * Why: a burst of clicks at machine speed made one transaction per edit, queued one behind the
 * other; now whatever piled up while a write was in flight goes out in the next single
 * transaction. The batch's net effect per annotation is written (a shape created and moved three
 * times is one record), and its checks are those of the batch's first edit of that annotation,
 * so a conflict with another tab is caught exactly as it was edit by edit.
 */

/** What the disk must hold for a write to go ahead (else another tab changed it first). */
export type Expect =
  /** Nothing, or a tombstone: a new annotation. */
  | { readonly kind: 'absent' }
  /**
   * This revision, not deleted: an edit of what this tab last saw. No record at all also does:
   * the annotation then lives packed (an import, a snapshot), unedited since, as this tab saw it.
   */
  | { readonly kind: 'rev'; readonly rev: number }
  /** Nothing, a tombstone, or this revision: a delete. */
  | { readonly kind: 'gone-or-rev'; readonly rev: number };

export interface PlannedWrite {
  readonly id: string;
  readonly slideId: string;
  readonly expect: Expect;
  /** The annotation to store, or the revision of the tombstone a delete leaves. */
  readonly put: { readonly annotation: Annotation } | { readonly tombstone: number };
}

interface Draft {
  slideId: string;
  expect: Expect;
  /** undefined: created and deleted within the batch, nothing to write. */
  put: PlannedWrite['put'] | undefined;
}

export function planWrites(batch: readonly ChangeSet[]): PlannedWrite[] {
  const byId = new Map<string, Draft>();
  for (const cs of batch) {
    for (const a of cs.created) {
      const d = byId.get(a.id);
      if (d) d.put = { annotation: a };
      else byId.set(a.id, { slideId: a.slideId, expect: { kind: 'absent' }, put: { annotation: a } });
    }
    for (const { before, after } of cs.updated) {
      const d = byId.get(after.id);
      if (d) d.put = { annotation: after };
      else byId.set(after.id, { slideId: after.slideId, expect: { kind: 'rev', rev: before.rev }, put: { annotation: after } });
    }
    for (const a of cs.deleted) {
      const d = byId.get(a.id);
      // Created in this batch and gone again: the disk never needs to hear of it.
      if (d && d.expect.kind === 'absent') d.put = undefined;
      else if (d) d.put = { tombstone: a.rev + 1 };
      else byId.set(a.id, { slideId: a.slideId, expect: { kind: 'gone-or-rev', rev: a.rev }, put: { tombstone: a.rev + 1 } });
    }
  }
  const out: PlannedWrite[] = [];
  for (const [id, d] of byId) if (d.put) out.push({ id, slideId: d.slideId, expect: d.expect, put: d.put });
  return out;
}

/** Whether what is on disk (`stored`: undefined, a record, or a tombstone) allows the write. */
export function expectationHolds(e: Expect, stored: { readonly rev: number; readonly deleted?: boolean } | undefined): boolean {
  const gone = !stored || stored.deleted === true;
  switch (e.kind) {
    case 'absent':
      return gone;
    case 'rev':
      return !stored || (stored.deleted !== true && stored.rev === e.rev);
    case 'gone-or-rev':
      return gone || stored.rev === e.rev;
  }
}
