import type { Annotation } from '../model/annotation';
import type { AnnotationStore, ChangeSet } from '../model/store';
import type { AnnotationRepository } from './annotation-repo';
import { ConflictError, describeStorageError } from './annotation-repo';

/**
 * Keeps one slide's store and the database in step, and tells the truth about it:
 * - every user edit (and undo) is written in its own strict transaction, in order;
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

export class SlidePersistence {
  private readonly queue: ChangeSet[] = [];
  private running = false;
  private status: SaveStatus = { state: 'saved', message: '', unsaved: new Set() };
  private readonly listeners = new Set<(s: SaveStatus) => void>();
  private readonly waiters = new Set<() => void>();
  private readonly unsubscribe: () => void;
  private readonly onMessage = (e: MessageEvent<SyncMessage>): void => void this.receive(e.data);

  constructor(
    private readonly repo: AnnotationRepository,
    private readonly store: AnnotationStore,
    readonly slideId: string,
    private readonly channel: Channel | undefined,
    private readonly tab: string,
  ) {
    this.unsubscribe = store.subscribe((cs) => {
      if (!SAVED_BY_US.has(cs.origin)) return;
      this.queue.push(cs);
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
  async flushed(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 5));
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

  /** The connection was closed under us (another tab upgraded the schema). */
  closed(message: string): void {
    this.set({ state: 'closed', message, unsaved: this.unsavedIds() });
  }

  private set(s: SaveStatus): void {
    this.status = s;
    for (const l of this.listeners) l(s);
    if (s.state !== 'saving') for (const w of [...this.waiters]) w();
  }

  private unsavedIds(): Set<string> {
    const ids = new Set<string>();
    for (const cs of this.queue) for (const a of touched(cs)) ids.add(a);
    return ids;
  }

  private async pump(): Promise<void> {
    if (this.running || this.status.state === 'closed') return;
    this.running = true;
    let conflict: string | undefined;
    try {
      while (this.queue.length > 0) {
        this.set({ state: 'saving', message: '', unsaved: this.unsavedIds() });
        const cs = this.queue[0]!;
        try {
          await this.repo.save(cs);
          this.queue.shift();
          this.channel?.postMessage({ type: 'changed', slideId: this.slideId, ids: touched(cs), tab: this.tab });
        } catch (e) {
          if (e instanceof ConflictError) {
            // Not ours to overwrite: show what the other tab saved, drop our edit, say so.
            this.queue.shift();
            await this.reload(touched(cs));
          }
          if (e instanceof ConflictError) {
            conflict = describeStorageError(e);
            continue;
          }
          this.set({ state: 'error', message: describeStorageError(e), unsaved: this.unsavedIds() });
          return; // wait for retry()
        }
      }
      // Everything is on disk; a refused (conflicting) edit is still worth saying.
      this.set(conflict ? { state: 'error', message: conflict, unsaved: new Set() } : { state: 'saved', message: '', unsaved: new Set() });
    } finally {
      this.running = false;
    }
  }

  /** Makes the store match the database for these ids (origin "remote": not saved, not undoable). */
  private async reload(ids: readonly string[]): Promise<void> {
    const pending = this.unsavedIds();
    const created: Annotation[] = [];
    const updated: Array<{ before: Annotation; after: Annotation }> = [];
    const deleted: Annotation[] = [];
    for (const id of ids) {
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

  destroy(): void {
    this.unsubscribe();
    this.channel?.removeEventListener('message', this.onMessage);
    this.listeners.clear();
  }
}

function touched(cs: ChangeSet): string[] {
  return [...cs.created.map((a) => a.id), ...cs.updated.map((u) => u.after.id), ...cs.deleted.map((a) => a.id)];
}
