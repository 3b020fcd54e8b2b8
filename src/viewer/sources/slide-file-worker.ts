/// <reference lib="webworker" />
import type { FileWorkerRequest, FileWorkerResponse } from './slide-file-protocol';
import type { SlideFileInfo } from './slide-file-types';
import { openFiles } from './open-file';
import type { SlideReader } from './slide-reader';
import { TileAssembler } from './tile-assembler';
import { TileCache } from './tile-cache';
import { Jpeg2000Decoder } from './jpeg2000';
import { tileGrid, wholeSlideLevel } from '../../model/pyramid';
import { MIN_PIXEL_RATIO } from '../first-tiles';

/**
 * The slide file worker: opens slide files (read by byte ranges, never whole), decodes their
 * tiles and keeps the decoded ones in a bounded cache. The page gets copies (ImageBitmaps,
 * transferred), so evicting here never pulls a tile from under the viewer.
 */
class SlideFileWorker {
  private readonly slides = new Map<string, { reader: SlideReader; tiles: TileAssembler }>();
  private readonly cache = new TileCache();
  private readonly cancelled = new Set<number>();
  /** OpenJPEG in WebAssembly, loaded on the first JPEG 2000 tile. */
  private readonly jpeg2000 = new Jpeg2000Decoder();

  constructor(private readonly scope: DedicatedWorkerGlobalScope) {
    scope.onmessage = (e: MessageEvent<FileWorkerRequest>) => void this.handle(e.data);
  }

  private reply(r: FileWorkerResponse, transfer: Transferable[] = []): void {
    this.scope.postMessage(r, transfer);
  }

  private async handle(m: FileWorkerRequest): Promise<void> {
    if (m.type === 'cancel') {
      this.cancelled.add(m.id);
      return;
    }
    if (m.type === 'close') {
      this.slides.get(m.slide)?.reader.close();
      this.slides.delete(m.slide);
      this.cache.clear(`${m.slide}/`);
      return;
    }
    const t0 = performance.now();
    try {
      if (m.type === 'open') {
        this.reply({ id: m.id, info: await this.open(m.files, m.viewport) });
        return;
      }
      const s = this.slides.get(m.slide);
      if (!s) throw new Error('the slide is not open');
      let bitmap: ImageBitmap;
      if (m.type === 'tile') {
        if (this.cancelled.delete(m.id)) throw new Error('cancelled');
        bitmap = await createImageBitmap(await s.tiles.tile(m.level, m.col, m.row));
      } else if (m.type === 'associated') bitmap = await s.reader.associatedImage(m.kind);
      else bitmap = await this.overview(s.tiles, m.size);
      this.reply({ id: m.id, bitmap, ms: performance.now() - t0 }, [bitmap]);
    } catch (e) {
      this.reply({ id: m.id, error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.cancelled.delete(m.id);
    }
  }

  private async open(files: readonly File[], viewport: { w: number; h: number } | undefined): Promise<SlideFileInfo> {
    const r = await openFiles(files, this.jpeg2000);
    if ('error' in r) throw new Error(r.error);
    const { id, reader, levels } = r.value;
    const tiles = new TileAssembler(id, reader, levels, this.cache);
    // A file that parses but whose pixels cannot be decoded fails now, not as a blank viewer.
    try {
      await tiles.tile(0, 0, 0);
    } catch (e) {
      reader.close();
      this.cache.clear(`${id}/`);
      throw new Error(`“${files[0]?.name}” could not be opened: ${e instanceof Error ? e.message : String(e)}.`, { cause: e });
    }
    this.slides.get(id)?.reader.close();
    this.slides.set(id, { reader, tiles });
    if (viewport) this.prefetch(tiles, viewport);
    const full = levels[levels.length - 1]!;
    return {
      id,
      format: reader.format,
      width: full.width,
      height: full.height,
      levels,
      mpp: reader.mpp,
      mppFrom: reader.mppFrom,
      associated: reader.associated.map(({ kind, width, height }) => ({ kind, width, height })),
      files: files.map((f) => ({ name: f.name, size: f.size })),
    };
  }

  /**
   * Decodes the tiles of the whole-slide view while the page sets the viewer up (~0.1 s here):
   * they are in the cache when the viewer asks. A wrong guess costs a few tiles' work.
   */
  private prefetch(tiles: TileAssembler, viewport: { w: number; h: number }): void {
    const level = wholeSlideLevel(tiles.levels, viewport, MIN_PIXEL_RATIO);
    const l = tiles.levels[level]!;
    const { cols, rows } = tileGrid(l);
    if (cols * rows > 64) return;
    for (let row = 0; row < rows; row++) for (let col = 0; col < cols; col++) tiles.tile(level, col, row).catch(() => undefined);
  }

  /** The whole slide at most `size` px across, from the coarsest level that has that many. */
  private async overview(tiles: TileAssembler, size: number): Promise<ImageBitmap> {
    const levels = tiles.levels;
    let level = levels.findIndex((l) => Math.max(l.width, l.height) >= size);
    if (level < 0) level = levels.length - 1;
    const l = levels[level]!;
    const k = Math.min(1, size / Math.max(l.width, l.height));
    const canvas = new OffscreenCanvas(Math.max(1, Math.round(l.width * k)), Math.max(1, Math.round(l.height * k)));
    const g = canvas.getContext('2d')!;
    g.imageSmoothingQuality = 'high';
    for (let row = 0; row * l.tileHeight < l.height; row++)
      for (let col = 0; col * l.tileWidth < l.width; col++) {
        const b = await tiles.tile(level, col, row);
        g.drawImage(b, col * l.tileWidth * k, row * l.tileHeight * k, b.width * k, b.height * k);
      }
    return createImageBitmap(canvas);
  }
}

new SlideFileWorker(self as unknown as DedicatedWorkerGlobalScope);
