import type { AnnotationRepository } from './annotation-repo';
import { ConflictError, InvalidRecordError, describeStorageError } from './annotation-repo';
import type { EditJournal, JournalEntry } from './journal';
import type { QuarantinedRecord } from './schema';

/**
 * Writes to IndexedDB what other tabs journaled but did not live to write (a reload, a closed
 * tab, a crashed renderer or browser). Which tabs are gone: each tab holds a Web Lock named
 * after it for as long as it lives, so a lock that can be taken belongs to a dead tab. A tab
 * still alive may yet write its own journal; this tab waits for its lock and replays whatever
 * is left when it goes (a crash of one tab is then repaired by another at once).
 *
 * Replay is exact: the repository's mark says up to which entry a tab's journal reached the
 * disk (it is written in the same transaction as the edits), so entries are neither lost nor
 * written twice. An entry refused on replay (another tab changed the annotation since, or the
 * record breaks the schema) is counted, and the user told.
 */

/** The part of the Web Locks API used here (tests pass a fake; navigator.locks in browsers). */
export interface Locks {
  request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<T> | T): Promise<T>;
}

export const tabLockName = (tab: string): string => `lamina-tab:${tab}`;
const RECOVERY_LOCK = 'lamina-recovery';

export interface RecoveryReport {
  /** Edits written from other tabs' journals. */
  readonly replayed: number;
  /** Edits refused on replay (a newer version won, or the record was not valid). */
  readonly refused: number;
  /** Entries that could not be read at all: kept aside in the database. */
  readonly unreadable: number;
  /** A write failed (full disk…): the journal was left as it is, to be tried again. */
  readonly error?: string;
}

export interface RecoveredEdits {
  readonly slideId: string;
  readonly ids: readonly string[];
}

export class JournalRecovery {
  private readonly waiting = new Set<string>();

  constructor(
    private readonly journal: EditJournal,
    private readonly repo: AnnotationRepository,
    private readonly locks: Locks | undefined,
    /** Told which annotations were written, so open slides (in every tab) reload them. */
    private readonly announce: (edits: readonly RecoveredEdits[]) => void,
    /** Without Web Locks: a journal this much older than its last entry belongs to a dead tab. */
    private readonly staleMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Replays the journals of tabs that are gone; resolves when those are on disk. */
  async run(): Promise<RecoveryReport> {
    const total = { replayed: 0, refused: 0, unreadable: 0, error: undefined as string | undefined };
    const add = (r: RecoveryReport): void => {
      total.replayed += r.replayed;
      total.refused += r.refused;
      total.unreadable += r.unreadable;
      total.error ??= r.error;
    };
    const owners = this.journal.owners();
    for (const owner of owners) {
      if (!this.locks) {
        if (this.journal.newestAt(owner) < this.now() - this.staleMs) add(await this.replay(owner));
        continue;
      }
      const report = await this.locks.request(tabLockName(owner), { ifAvailable: true }, (lock) => (lock ? this.exclusive(() => this.replay(owner)) : undefined));
      if (report) add(report);
      else this.whenGone(owner);
    }
    await this.forgetDeadMarks(new Set(owners));
    return total;
  }

  /** Replays a live tab's journal once it is gone (its lock is released when it closes or crashes). */
  private whenGone(owner: string): void {
    if (!this.locks || this.waiting.has(owner)) return;
    this.waiting.add(owner);
    void this.locks.request(tabLockName(owner), {}, () => this.exclusive(() => this.replay(owner))).finally(() => this.waiting.delete(owner));
  }

  /** One replay at a time across tabs: two tabs finding the same dead journal replay it once. */
  private exclusive<T>(f: () => Promise<T>): Promise<T> {
    return this.locks ? this.locks.request(RECOVERY_LOCK, {}, f) : f();
  }

  private async replay(owner: string): Promise<RecoveryReport> {
    const { entries, unreadable } = this.journal.entriesOf(owner);
    if (entries.length === 0 && unreadable.length === 0) return { replayed: 0, refused: 0, unreadable: 0 };
    const mark = await this.repo.markOf(owner);
    const todo = entries.filter((e) => e.seq > mark);
    let replayed = 0;
    let refused = 0;
    const written: JournalEntry[] = [];
    try {
      if (unreadable.length > 0) await this.repo.keepAside('', unreadable.map((u) => asideRecord(owner, u.seq, u.raw)));
      // All at once when nothing conflicts (the usual case); else one by one, to refuse only the culprit.
      try {
        if (todo.length > 0) await this.repo.saveBatch(todo.map((e) => e.cs), { tab: owner, seq: todo[todo.length - 1]!.seq });
        replayed = todo.length;
        written.push(...todo);
      } catch (e) {
        if (!(e instanceof ConflictError || e instanceof InvalidRecordError)) throw e;
        for (const entry of todo) {
          try {
            await this.repo.saveBatch([entry.cs], { tab: owner, seq: entry.seq });
            replayed++;
            written.push(entry);
          } catch (e2) {
            if (!(e2 instanceof ConflictError || e2 instanceof InvalidRecordError)) throw e2;
            refused++;
          }
        }
      }
    } catch (e) {
      // Nothing is dropped: the journal stays for the next try.
      this.announceWritten(written);
      return { replayed, refused, unreadable: 0, error: describeStorageError(e) };
    }
    this.journal.drop(owner, [...entries.map((e) => e.seq), ...unreadable.map((u) => u.seq)]);
    await this.repo.forgetMark(owner);
    this.announceWritten(written);
    return { replayed, refused, unreadable: unreadable.length };
  }

  private announceWritten(entries: readonly JournalEntry[]): void {
    const bySlide = new Map<string, Set<string>>();
    for (const { cs } of entries) {
      for (const a of [...cs.created, ...cs.updated.map((u) => u.after), ...cs.deleted]) {
        let ids = bySlide.get(a.slideId);
        if (!ids) bySlide.set(a.slideId, (ids = new Set()));
        ids.add(a.id);
      }
    }
    if (bySlide.size > 0) this.announce([...bySlide].map(([slideId, ids]) => ({ slideId, ids: [...ids] })));
  }

  /** Marks of tabs that are gone and left no journal: nothing will ever need them. */
  private async forgetDeadMarks(owners: ReadonlySet<string>): Promise<void> {
    if (!this.locks) return;
    for (const tab of await this.repo.markedTabs()) {
      if (tab === this.journal.tab || owners.has(tab)) continue;
      await this.locks.request(tabLockName(tab), { ifAvailable: true }, async (lock) => {
        if (lock) await this.repo.forgetMark(tab);
      });
    }
  }
}

function asideRecord(tab: string, seq: number, raw: string): QuarantinedRecord {
  return { key: `journal:${tab}:${seq}`, slideId: '', reason: 'a journal entry that could not be read', raw, at: Date.now() };
}
