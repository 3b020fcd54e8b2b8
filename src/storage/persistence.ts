import type { Annotation } from '../model/annotation';
import type { AnnotationStore, ChangeSet } from '../model/store';
import type { AnnotationRepository } from './annotation-repo';
import { ConflictError, InvalidRecordError, describeStorageError } from './annotation-repo';
import type { EditJournal } from './journal';

/**
 * Keeps one slide's store and the database in step, and tells the truth about it:
 * - every user edit (and undo) is copied to the journal in the same task that shows it, so a
 *   reload, a closed tab or a crash loses nothing (see journal.ts);
 * - edits are written in order; whatever piled up during a write goes out in the next single
 *   strict transaction, so a burst costs a few transactions, not one each;
 * - while a write is pending the status is "saving", after it "saved";
 * - a failed write (full disk, abort) leaves the edit on screen, marked unsaved, with a retry;
 * - after a write, other tabs are told which annotations changed and reload them.
 */

export type SaveState = 'saved' | 'saving' | 'error' | 'closed';

export interface SaveStatus {
  readonly state: SaveState;
  readonly message: string;
  /** Ids whose latest edit is not on disk yet. */
  readonly unsaved: ReadonlySet<string>;
  /** Some edit not on disk is not in the journal either: closing the page now would lose it. */
  readonly atRisk: boolean;
}

export interface SyncMessage {
  readonly type: 'changed';
  readonly slideId: string;
  readonly ids: readonly string[];
  readonly tab: string;
}

/** The part of BroadcastChannel we use (tests pass a fake; browsers without it get none). */
export interface Channel {
  postMessage(m: SyncMessage): void;
  addEventListener(type: 'message', l: (e: MessageEvent<SyncMessage>) => void): void;
  removeEventListener(type: 'message', l: (e: MessageEvent<SyncMessage>) => void): void;
  close(): void;
}

const SAVED_BY_US = new Set(['user', 'undo', 'import']);

/** Change sets per transaction at most, so one write stays short even after a long stall. */
const MAX_BATCH = 2000;

interface Pending {
  readonly cs: ChangeSet;
  /** Its journal entry; undefined when it could not be journaled. */
  readonly seq: number | undefined;
}

export class SlidePersistence {
  private readonly queue: Pending[] = [];
  private running = false;
  /** After a batch was refused as a whole, this many edits are written one by one to find which. */
  private isolate = 0;
  private status: SaveStatus = { state: 'saved', message: '', unsaved: new Set(), atRisk: false };
  private readonly listeners = new Set<(s: SaveStatus) => void>();
  private readonly waiters = new Set<() => void>();
  private idleWaiters: Array<() => void> = [];
  private readonly unsubscribe: () => void;
  private readonly onMessage = (e: MessageEvent<SyncMessage>): void => void this.receive(e.data);

  constructor(
    private readonly repo: AnnotationRepository,
    private readonly store: AnnotationStore,
    readonly slideId: string,
    private readonly channel: Channel | undefined,
    private readonly tab: string,
    private readonly journal?: EditJournal,
  ) {
    this.unsubscribe = store.subscribe((cs) => {
      if (!SAVED_BY_US.has(cs.origin)) return;
      // Synchronously, before the browser can paint the edit: from here on a crash cannot lose it.
      this.queue.push({ cs, seq: this.journal?.append(cs) });
      void this.pump();
    });
    channel?.addEventListener('message', this.onMessage);
  }

  get current(): SaveStatus {
    return this.status;
  }

  onStatus(l: (s: SaveStatus) => void): () => void {
    this.listeners.add(l);
    l(this.status);
    return () => this.listeners.delete(l);
  }

  /** Resolves once everything queued so far is written (or has failed). */
  flushed(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Resolves once no write is in flight, or after `maxMs`. Views re-render after it, so an
   * edit's own frame (layout, paint) never delays the write it started; a fast save is then
   * drawn once, as saved, instead of "saving" and "saved" a frame apart.
   */
  quiet(maxMs = 50): Promise<void> {
    if (this.status.state !== 'saving') return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, maxMs);
      this.waiters.add(done);
    });
  }

  retry(): void {
    void this.pump();
  }

  /** The connection was closed under us (another tab upgraded the schema, or the browser closed it). */
  closed(message: string): void {
    this.set({ state: 'closed', message, unsaved: this.unsavedIds(), atRisk: this.atRisk() });
  }

  private set(s: SaveStatus): void {
    this.status = s;
    for (const l of this.listeners) l(s);
    if (s.state !== 'saving') for (const w of [...this.waiters]) w();
  }

  private unsavedIds(): Set<string> {
    const ids = new Set<string>();
    for (const p of this.queue) for (const a of touched(p.cs)) ids.add(a);
    return ids;
  }

  private atRisk(): boolean {
    return this.queue.some((p) => p.seq === undefined);
  }

  private async pump(): Promise<void> {
    if (this.running || this.status.state === 'closed') return;
    this.running = true;
    let refused: string | undefined;
    try {
      while (this.queue.length > 0) {
        this.set({ state: 'saving', message: '', unsaved: this.unsavedIds(), atRisk: this.atRisk() });
        const batch = this.queue.slice(0, this.isolate > 0 ? 1 : MAX_BATCH);
        const seqs = batch.map((p) => p.seq).filter((s): s is number => s !== undefined);
        const mark = this.journal && seqs.length > 0 ? { tab: this.journal.tab, seq: Math.max(...seqs) } : undefined;
        try {
          await this.repo.saveBatch(
            batch.map((p) => p.cs),
            mark,
          );
          this.done(batch.length, seqs);
          this.channel?.postMessage({ type: 'changed', slideId: this.slideId, ids: batch.flatMap((p) => touched(p.cs)), tab: this.tab });
        } catch (e) {
          const refusal = e instanceof ConflictError || e instanceof InvalidRecordError;
          if (refusal && batch.length > 1) {
            // Which edit? Write them one by one; those before it still go out.
            this.isolate = batch.length;
            continue;
          }
          if (refusal) {
            // Not ours to overwrite (or not storable): show what the disk holds, drop our edit, say so.
            this.done(1, seqs);
            await this.reload(touched(batch[0]!.cs));
            refused = describeStorageError(e);
            continue;
          }
          this.set({ state: 'error', message: describeStorageError(e), unsaved: this.unsavedIds(), atRisk: this.atRisk() });
          return; // wait for retry()
        }
      }
      // Everything is on disk; a refused edit is still worth saying.
      this.set(refused ? { state: 'error', message: refused, unsaved: new Set(), atRisk: false } : { state: 'saved', message: '', unsaved: new Set(), atRisk: false });
    } finally {
      this.running = false;
      const waiting = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiting) w();
    }
  }

  /** The first `n` queued edits are settled (written, or refused): out of the queue and the journal. */
  private done(n: number, seqs: readonly number[]): void {
    this.queue.splice(0, n);
    this.isolate = Math.max(0, this.isolate - n);
    this.journal?.release(seqs);
  }

  /** Makes the store match the database for these ids (written by another tab or a recovery). */
  refresh(ids: readonly string[]): Promise<void> {
    return this.reload(ids);
  }

  /** Makes the store match the database for these ids (origin "remote": not saved, not undoable). */
  private async reload(ids: readonly string[]): Promise<void> {
    const pending = this.unsavedIds();
    const created: Annotation[] = [];
    const updated: Array<{ before: Annotation; after: Annotation }> = [];
    const deleted: Annotation[] = [];
    for (const id of new Set(ids)) {
      if (pending.has(id)) continue; // our own newer edit is on its way; the save will arbitrate
      const stored = await this.repo.get(this.slideId, id);
      const mine = this.store.get(id);
      if (stored && stored.slideId !== this.slideId) continue;
      if (stored && !mine) created.push(stored);
      // Same revision number can still differ: two tabs each made "rev 2" and one lost.
      else if (stored && mine && (stored.rev !== mine.rev || JSON.stringify(stored) !== JSON.stringify(mine))) updated.push({ before: mine, after: stored });
      else if (!stored && mine) deleted.push(mine);
    }
    if (created.length + updated.length + deleted.length > 0) this.store.apply({ created, updated, deleted }, 'remote');
  }

  private async receive(m: SyncMessage): Promise<void> {
    if (!m || m.type !== 'changed' || m.slideId !== this.slideId || m.tab === this.tab || !Array.isArray(m.ids)) return;
    await this.reload(m.ids.filter((id) => typeof id === 'string'));
  }

  /** Stops listening; edits already queued are still written (and stay in the journal until they are). */
  destroy(): void {
    this.unsubscribe();
    this.channel?.removeEventListener('message', this.onMessage);
    this.listeners.clear();
  }
}

function touched(cs: ChangeSet): string[] {
  return [...cs.created.map((a) => a.id), ...cs.updated.map((u) => u.after.id), ...cs.deleted.map((a) => a.id)];
}
