import type { JournalBackend } from '../../../src/storage/journal';
import type { Locks } from '../../../src/storage/recovery';

/** localStorage as a Map, with a switch that makes it full. */
export class MemoryStorage implements JournalBackend {
  readonly map = new Map<string, string>();
  full = false;
  get length(): number {
    return this.map.size;
  }
  key(i: number): string | null {
    return [...this.map.keys()][i] ?? null;
  }
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    if (this.full) throw new DOMException('quota', 'QuotaExceededError');
    this.map.set(k, v);
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
}

/** The Web Locks API in one process: exclusive locks, granted in request order. */
export class FakeLocks implements Locks {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly holders = new Map<string, number>();

  isHeld(name: string): boolean {
    return (this.holders.get(name) ?? 0) > 0;
  }

  request<T>(name: string, options: { ifAvailable?: boolean }, callback: (lock: unknown) => Promise<T> | T): Promise<T> {
    if (options.ifAvailable && (this.isHeld(name) || this.tails.has(name))) return Promise.resolve(callback(null));
    const before = this.tails.get(name) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((r) => (release = r));
    const tail = before.then(() => mine);
    this.tails.set(name, tail);
    return before.then(async () => {
      this.holders.set(name, (this.holders.get(name) ?? 0) + 1);
      try {
        return await callback({ name });
      } finally {
        this.holders.set(name, (this.holders.get(name) ?? 1) - 1);
        if (this.tails.get(name) === tail) this.tails.delete(name);
        release();
      }
    });
  }
}

/** A lock holder that can be told to let go (a tab's life: it ends when the tab dies). */
export function holdLock(locks: Locks, name: string): { granted: Promise<void>; release: () => void } {
  let release: () => void = () => undefined;
  let granted: () => void = () => undefined;
  const g = new Promise<void>((r) => (granted = r));
  void locks.request(name, {}, () => {
    granted();
    return new Promise<void>((r) => (release = r));
  });
  return { granted: g, release: () => release() };
}
