/**
 * Decoded tiles kept for reuse (a halved level is made from the tiles below it; a tile panned
 * back to is not decoded again), least recently used first out, bounded by bytes: memory stays
 * the same whatever the file's size. One per worker.
 */
export class TileCache {
  private readonly map = new Map<string, ImageBitmap>();
  private used = 0;

  constructor(readonly budgetBytes = 96 * 1024 * 1024) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.map.size;
  }

  get(key: string): ImageBitmap | undefined {
    const b = this.map.get(key);
    if (b) {
      this.map.delete(key);
      this.map.set(key, b);
    }
    return b;
  }

  /** Keeps `bitmap` (the cache owns it now: it closes it when evicted). */
  put(key: string, bitmap: ImageBitmap): void {
    const old = this.map.get(key);
    if (old) this.drop(key, old);
    this.map.set(key, bitmap);
    this.used += bitmap.width * bitmap.height * 4;
    for (const [k, b] of this.map) {
      if (this.used <= this.budgetBytes || this.map.size <= 1) break;
      this.drop(k, b);
    }
  }

  /** Forgets every tile whose key starts with `prefix` (a slide closed). */
  clear(prefix = ''): void {
    for (const [k, b] of [...this.map]) if (k.startsWith(prefix)) this.drop(k, b);
  }

  private drop(key: string, b: ImageBitmap): void {
    this.map.delete(key);
    this.used -= b.width * b.height * 4;
    b.close();
  }
}
