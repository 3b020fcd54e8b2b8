import type { AnnotationStore } from '../model/store';

/**
 * Whether the browser may evict Lamina's data, and how much it holds. Persistent storage is
 * asked for once, when the user first annotates: asking on page load would prompt (in some
 * browsers) before there is anything worth keeping, and Chromium grants it more readily to a
 * page the user has interacted with.
 */
export interface StorageState {
  /** undefined: not known yet (or no Storage API). */
  readonly persisted: boolean | undefined;
  readonly usage: number | undefined;
  readonly quota: number | undefined;
}

/** The part of StorageManager used (tests pass a fake). */
export interface StorageManagerLike {
  persisted?(): Promise<boolean>;
  persist?(): Promise<boolean>;
  estimate?(): Promise<{ usage?: number; quota?: number }>;
}

export class StorageGuard {
  private state: StorageState = { persisted: undefined, usage: undefined, quota: undefined };
  private asked = false;
  private readonly listeners = new Set<(s: StorageState) => void>();

  constructor(private readonly manager: StorageManagerLike | undefined) {}

  get current(): StorageState {
    return this.state;
  }

  onChange(l: (s: StorageState) => void): () => void {
    this.listeners.add(l);
    l(this.state);
    return () => this.listeners.delete(l);
  }

  /** Asks for persistence at the store's first new annotation; returns the unsubscribe. */
  watch(store: AnnotationStore): () => void {
    if (this.asked) return () => undefined;
    const off = store.subscribe((cs) => {
      if (this.asked || cs.created.length === 0 || (cs.origin !== 'user' && cs.origin !== 'import')) return;
      off();
      void this.askPersist();
    });
    return off;
  }

  /** Reads the browser's answer and the space used, without asking for anything. */
  async refresh(): Promise<StorageState> {
    const m = this.manager;
    if (!m) return this.state;
    try {
      const persisted = (await m.persisted?.()) ?? undefined;
      const est = await m.estimate?.();
      this.set({ persisted, usage: est?.usage, quota: est?.quota });
    } catch {
      // A browser without the API (or one that refuses in private mode): nothing to show.
    }
    return this.state;
  }

  async askPersist(): Promise<boolean> {
    this.asked = true;
    const m = this.manager;
    if (!m?.persist) return false;
    try {
      const granted = (await m.persisted?.()) || (await m.persist());
      this.set({ ...this.state, persisted: granted });
      await this.refresh();
      return granted;
    } catch {
      return false;
    }
  }

  private set(s: StorageState): void {
    this.state = s;
    for (const l of this.listeners) l(s);
  }
}
