/// <reference lib="webworker" />
import type { DisplayLevel } from '../../model/pyramid';
import { tileKey, tileRect, tilesOverlapping } from '../../model/pyramid';
import type { SlideReader } from './slide-reader';
import type { TileCache } from './tile-cache';

/**
 * Makes the viewer's tiles from a slide's stored blocks (see DisplayLevel in pyramid.ts): one
 * block as it is, blocks pasted together, or the finer level's tiles halved. Tiles are shared
 * with the worker's cache, which owns them; a caller that hands one on must copy it.
 */
export class TileAssembler {
  private readonly inFlight = new Map<string, Promise<ImageBitmap>>();

  constructor(
    private readonly slide: string,
    private readonly reader: SlideReader,
    readonly levels: readonly DisplayLevel[],
    private readonly cache: TileCache,
  ) {}

  /** A display tile; the bitmap belongs to the cache (copy it to keep or transfer it). */
  tile(level: number, col: number, row: number): Promise<ImageBitmap> {
    return this.cached(tileKey(this.slide, level, col, row), () => this.make(level, col, row));
  }

  private cached(key: string, make: () => Promise<ImageBitmap>): Promise<ImageBitmap> {
    const hit = this.cache.get(key);
    // A closed bitmap has no size: it was evicted while someone held it.
    if (hit && hit.width > 0) return Promise.resolve(hit);
    let p = this.inFlight.get(key);
    if (!p) {
      // A piece evicted mid-way (rare: the cache holds ~100 tiles) means one more try.
      p = make().catch((e: unknown) => (e instanceof Error && e.message.includes('evicted') ? make() : Promise.reject(e))).then(
        (b) => {
          this.inFlight.delete(key);
          this.cache.put(key, b);
          return b;
        },
        (e: unknown) => {
          this.inFlight.delete(key);
          throw e;
        },
      );
      this.inFlight.set(key, p);
    }
    return p;
  }

  private async make(level: number, col: number, row: number): Promise<ImageBitmap> {
    const l = this.levels[level];
    if (!l) throw new Error(`no level ${level}`);
    const src = l.source;
    if (src.kind === 'direct') return this.reader.block(src.fileLevel, col, row);
    const r = tileRect(l, col, row);
    if (r.w <= 0 || r.h <= 0) throw new Error(`no tile ${col},${row} at level ${level}`);
    const canvas = new OffscreenCanvas(r.w, r.h);
    const g = canvas.getContext('2d')!;
    g.fillStyle = '#fff';
    g.fillRect(0, 0, r.w, r.h);
    // Every piece is asked for at once (reads and decodes overlap), then drawn in order.
    if (src.kind === 'region') {
      const f = this.reader.levels[src.fileLevel]!;
      const grid = { width: f.width, height: f.height, tileWidth: f.blockWidth, tileHeight: f.blockHeight };
      const blocks = tilesOverlapping(grid, r.x, r.y, r.w, r.h);
      const bitmaps = await Promise.all(blocks.map((b) => this.cached(`${this.slide}/block${src.fileLevel}/${b.col}_${b.row}`, () => this.reader.block(src.fileLevel, b.col, b.row))));
      blocks.forEach((b, i) => g.drawImage(live(bitmaps[i]!), b.col * f.blockWidth - r.x, b.row * f.blockHeight - r.y));
    } else {
      const finer = this.levels[src.from]!;
      g.imageSmoothingQuality = 'high';
      const tiles = tilesOverlapping(finer, r.x * 2, r.y * 2, r.w * 2, r.h * 2);
      const bitmaps = await Promise.all(tiles.map((t) => this.tile(src.from, t.col, t.row)));
      tiles.forEach((t, i) => {
        const tr = tileRect(finer, t.col, t.row);
        g.drawImage(live(bitmaps[i]!), tr.x / 2 - r.x, tr.y / 2 - r.y, tr.w / 2, tr.h / 2);
      });
    }
    return createImageBitmap(canvas);
  }
}

/** A bitmap evicted (closed) while its tile was being made cannot be drawn: make that tile again. */
function live(b: ImageBitmap): ImageBitmap {
  if (b.width === 0) throw new Error('a piece of the tile was evicted; asked again');
  return b;
}
