import type { Annotation } from '../model/annotation';
import type { ChangeSet, Origin } from '../model/store';

/**
 * The write-ahead journal: every edit is copied here synchronously, in the same task that puts
 * it on screen, and removed once IndexedDB holds it. IndexedDB is asynchronous: a burst of
 * clicks followed at once by a reload, a closed tab or a crashed renderer used to lose the edits
 * still waiting for their transaction (24 of 30 in one test). What the journal holds is written
 * to IndexedDB by the next tab that opens Lamina (see recovery.ts).
 *
 * Where: `localStorage`, the one synchronous storage a page has. Its writes go to the browser
 * process at once, so they outlive the page's renderer; one key per edit keeps each write small
 * (rewriting one growing key would cost O(n²) over a burst).
 *
 * Each edit gets a sequence number per tab. The IndexedDB transaction that writes an edit also
 * records the tab's highest written number (the "mark", see annotation-repo.ts), so a journal
 * found after a crash is replayed exactly from the first edit that did not reach the disk.
 */

/** The part of the Storage interface the journal uses (tests pass a Map-backed one). */
export interface JournalBackend {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface JournalEntry {
  readonly tab: string;
  readonly seq: number;
  readonly cs: ChangeSet;
}

const PREFIX = 'lamina-wal:';
/** One edit larger than this (an import) is not journaled: the page warns before closing instead. */
export const MAX_ENTRY_CHARS = 512 * 1024;

const keyOf = (tab: string, seq: number): string => `${PREFIX}${tab}:${seq}`;

function parseKey(k: string): { tab: string; seq: number } | undefined {
  if (!k.startsWith(PREFIX)) return undefined;
  const rest = k.slice(PREFIX.length);
  const i = rest.lastIndexOf(':');
  const seq = Number(rest.slice(i + 1));
  if (i <= 0 || !Number.isSafeInteger(seq) || seq < 1) return undefined;
  return { tab: rest.slice(0, i), seq };
}

export class EditJournal {
  private next = 1;

  constructor(
    private readonly backend: JournalBackend | undefined,
    /** This tab's id: its entries are its own; other tabs' are only ever replayed, never written. */
    readonly tab: string,
  ) {}

  /**
   * Copies a change set into the journal; returns its sequence number, or undefined when it
   * could not be kept (no storage, quota exceeded, too large) — then only IndexedDB holds it,
   * once written, and the page warns before it is closed.
   */
  append(cs: ChangeSet): number | undefined {
    if (!this.backend) return undefined;
    const seq = this.next++;
    const text = JSON.stringify({ t: Date.now(), o: cs.origin, c: cs.created, u: cs.updated, d: cs.deleted });
    if (text.length > MAX_ENTRY_CHARS) return undefined;
    try {
      this.backend.setItem(keyOf(this.tab, seq), text);
      return seq;
    } catch {
      return undefined; // a full quota: the edit still goes to IndexedDB
    }
  }

  /** Forgets these entries of this tab's (they are on disk, or were refused). */
  release(seqs: readonly number[]): void {
    if (!this.backend) return;
    for (const s of seqs) this.backend.removeItem(keyOf(this.tab, s));
  }

  /** The tabs with entries in the journal, this one excepted. */
  owners(): string[] {
    const out = new Set<string>();
    for (const k of this.keys()) {
      const p = parseKey(k);
      if (p && p.tab !== this.tab) out.add(p.tab);
    }
    return [...out];
  }

  /**
   * Another tab's entries, oldest first. An entry that cannot be read (cut short, edited by
   * hand) is returned as `unreadable` with its raw text, never dropped silently.
   */
  entriesOf(tab: string): { entries: JournalEntry[]; unreadable: Array<{ seq: number; raw: string }> } {
    const entries: JournalEntry[] = [];
    const unreadable: Array<{ seq: number; raw: string }> = [];
    const seqs: number[] = [];
    for (const k of this.keys()) {
      const p = parseKey(k);
      if (p && p.tab === tab) seqs.push(p.seq);
    }
    seqs.sort((a, b) => a - b);
    for (const seq of seqs) {
      const raw = this.backend?.getItem(keyOf(tab, seq));
      if (raw == null) continue;
      const cs = decodeEntry(raw);
      if (cs) entries.push({ tab, seq, cs });
      else unreadable.push({ seq, raw });
    }
    return { entries, unreadable };
  }

  /** When another tab last journaled an edit (ms since the epoch; 0 if unknown). */
  newestAt(tab: string): number {
    let newest = 0;
    for (const k of this.keys()) {
      const p = parseKey(k);
      if (!p || p.tab !== tab) continue;
      const t = /^\{"t":(\d+)/.exec(this.backend?.getItem(k) ?? '')?.[1];
      newest = Math.max(newest, Number(t ?? 0));
    }
    return newest;
  }

  /** Removes another tab's entries (after they were replayed or kept aside). */
  drop(tab: string, seqs: readonly number[]): void {
    if (!this.backend) return;
    for (const s of seqs) this.backend.removeItem(keyOf(tab, s));
  }

  private keys(): string[] {
    const b = this.backend;
    if (!b) return [];
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) {
      const k = b.key(i);
      if (k?.startsWith(PREFIX)) out.push(k);
    }
    return out;
  }
}

const ORIGINS: ReadonlySet<string> = new Set<Origin>(['user', 'undo', 'remote', 'import', 'storage']);

/**
 * The change set of a journal entry, shaped but not validated: the records are validated by the
 * repository on their way to the disk, as every write is.
 */
function decodeEntry(raw: string): ChangeSet | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  const list = (x: unknown): x is unknown[] => Array.isArray(x);
  if (typeof o['o'] !== 'string' || !ORIGINS.has(o['o']) || !list(o['c']) || !list(o['u']) || !list(o['d'])) return undefined;
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
  if (![...o['c'], ...o['d']].every(isObj)) return undefined;
  if (!o['u'].every((u) => isObj(u) && isObj(u['before']) && isObj(u['after']))) return undefined;
  return {
    origin: o['o'] as Origin,
    created: o['c'] as Annotation[],
    updated: o['u'] as Array<{ before: Annotation; after: Annotation }>,
    deleted: o['d'] as Annotation[],
  };
}
