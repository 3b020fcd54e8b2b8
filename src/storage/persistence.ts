import type { Annotation } from '../model/annotation';
import type { AnnotationStore, ChangeSet } from '../model/store';
import type { AnnotationRepository } from './annotation-repo';
import { describeStorageError } from './annotation-repo';
import type { EditJournal } from './journal';
import type { WriteOutcome } from './write-protocol';
import { fromFailure } from './write-queue';
import type { WriteSink } from './write-sink';
import { packedParts } from './packed';
import { LocalSink } from './write-sink';

/**
 * Keeps one slide's store and the database in step, and tells the truth about it:
 * - every user edit (and undo) is copied to the journal in the same task that shows it, so a
 *   reload, a closed tab or a crash loses nothing (see journal.ts);
 * - edits go in order to the tab's writer (write-sink.ts), which batches whatever piled up during
 *   a write into the next single strict transaction, so a burst costs a few transactions;
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

/** Change sets touching more records than this skip the journal (~0.5 MB of localStorage at most). */
const JOURNAL_MAX_RECORDS = 1000;

interface Pending {
  readonly cs: ChangeSet;
  /** Its journal entry; undefined when it could not be journaled. */
  readonly seq: number | undefined;
}

export class SlidePersistence {
  /** Writes pushed and not settled yet, by write number, in order. */
  private readonly pending = new Map<number, Pending>();
  private status: SaveStatus = { state: 'saved', message: '', unsaved: new Set(), atRisk: false };
  /** A refusal to tell once everything pending is settled. */
  private refused: string | undefined;
  /** Refused edits whose annotations are being read back from the disk. */
  private reloading = 0;
  private readonly listeners = new Set<(s: SaveStatus) => void>();
  private readonly waiters = new Set<() => void>();
  private idleWaiters: Array<() => void> = [];
  private readonly unsubscribe: () => void;
  private readonly unlisten: () => void;
  private readonly sink: WriteSink;
  private readonly onMessage = (e: MessageEvent<SyncMessage>): void => void this.receive(e.data);

  constructor(
    private readonly repo: AnnotationRepository,
    private readonly store: AnnotationStore,
    readonly slideId: string,
    private readonly channel: Channel | undefined,
    private readonly tab: string,
    private readonly journal?: EditJournal,
    /** Where writes go (the tab's storage writer); by default a queue of this page's own. */
    sink?: WriteSink,
  ) {
    this.sink = sink ?? new LocalSink(repo);
    this.unlisten = this.sink.listen((o) => this.settled(o));
    this.unsubscribe = store.subscribe((cs) => {
      if (!SAVED_BY_US.has(cs.origin)) return;
      // Synchronously, before the browser can paint the edit: from here on a crash cannot lose it.
      // A large import is not copied (it would not fit, and the page warns before closing instead).
      const seq = cs.created.length + cs.updated.length + cs.deleted.length > JOURNAL_MAX_RECORDS ? undefined : this.journal?.append(cs);
      const n = this.sink.next();
      this.pending.set(n, { cs, seq });
      if (this.status.state !== 'closed') this.set({ state: 'saving', message: '', unsaved: this.unsavedIds(), atRisk: this.atRisk() });
      const mark = seq !== undefined && this.journal ? { mark: { tab: this.journal.tab, seq } } : {};
      // An import that arrives packed is written packed: the annotations themselves stay here.
      const parts = cs.updated.length + cs.deleted.length === 0 ? packedParts(cs.created) : undefined;
      this.sink.push(parts ? { n, bulk: { slideId: this.slideId, parts }, ...mark } : { n, cs, ...mark });
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

  /** Resolves once everything pushed so far is written, refused, or has failed. */
  flushed(): Promise<void> {
    if (this.pending.size === 0 || this.status.state === 'error' || this.status.state === 'closed') return Promise.resolve();
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
    if (this.status.state !== 'error' || this.pending.size === 0) return;
    this.set({ state: 'saving', message: '', unsaved: this.unsavedIds(), atRisk: this.atRisk() });
    this.sink.retry();
  }

  /** The connection was closed under us (another tab upgraded the schema, or the browser closed it). */
  closed(message: string): void {
    this.set({ state: 'closed', message, unsaved: this.unsavedIds(), atRisk: this.atRisk() });
  }

  private set(s: SaveStatus): void {
    this.status = s;
    for (const l of this.listeners) l(s);
    if (s.state !== 'saving') for (const w of [...this.waiters]) w();
    if (s.state !== 'saving') {
      const waiting = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiting) w();
    }
  }

  private unsavedIds(): Set<string> {
    const ids = new Set<string>();
    for (const p of this.pending.values()) for (const a of touched(p.cs)) ids.add(a);
    return ids;
  }

  private atRisk(): boolean {
    for (const p of this.pending.values()) if (p.seq === undefined) return true;
    return false;
  }

  /** What the writer says of writes; those of other sessions in this tab are not ours. */
  private settled(o: WriteOutcome): void {
    if (o.kind === 'failed') {
      if (!o.ns.some((n) => this.pending.has(n))) return;
      if (this.status.state !== 'closed') this.set({ state: 'error', message: describeStorageError(fromFailure(o.failure)), unsaved: this.unsavedIds(), atRisk: this.atRisk() });
      return;
    }
    const ns = o.kind === 'written' ? o.ns : [o.n];
    const mine = ns.map((n) => [n, this.pending.get(n)] as const).filter((e): e is readonly [number, Pending] => e[1] !== undefined);
    if (mine.length === 0) return;
    for (const [n] of mine) this.pending.delete(n);
    this.journal?.release(mine.map(([, p]) => p.seq).filter((s): s is number => s !== undefined));
    const ids = mine.flatMap(([, p]) => touched(p.cs));
    if (o.kind === 'written') this.channel?.postMessage({ type: 'changed', slideId: this.slideId, ids, tab: this.tab });
    else {
      // Not ours to overwrite (or not storable): show what the disk holds, and say so.
      this.refused = describeStorageError(fromFailure(o.failure));
      this.reloading++;
      void this.reload(ids).finally(() => {
        this.reloading--;
        this.report();
      });
    }
    this.report();
  }

  /** The status once outcomes have come in. */
  private report(): void {
    if (this.status.state === 'closed') return;
    if (this.pending.size > 0 || this.reloading > 0) this.set({ state: 'saving', message: '', unsaved: this.unsavedIds(), atRisk: this.atRisk() });
    else {
      const refused = this.refused;
      this.refused = undefined;
      this.set(refused ? { state: 'error', message: refused, unsaved: new Set(), atRisk: false } : { state: 'saved', message: '', unsaved: new Set(), atRisk: false });
    }
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
    const wanted = [...new Set(ids)].filter((id) => !pending.has(id)); // our own newer edit is on its way; the save will arbitrate
    const onDisk = await this.repo.getMany(this.slideId, wanted);
    for (const id of wanted) {
      const stored = onDisk.get(id);
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

  /** Stops listening to the store and other tabs; writes already pushed are still written. */
  destroy(): void {
    this.unsubscribe();
    // Outcomes still arriving release the journal entries of this session's writes.
    void this.flushed().then(() => this.unlisten());
    this.channel?.removeEventListener('message', this.onMessage);
    this.listeners.clear();
  }
}

function touched(cs: ChangeSet): string[] {
  return [...cs.created.map((a) => a.id), ...cs.updated.map((u) => u.after.id), ...cs.deleted.map((a) => a.id)];
}
