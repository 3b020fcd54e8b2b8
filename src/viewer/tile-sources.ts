import OpenSeadragon from 'openseadragon';
import type { TilePool } from './tile-pool';
import type { SlideInfo } from '../model/manifest';
import { TILE_SIZE } from '../specimen/render';
import type { BitmapTiles } from './region-reader';

/**
 * Tile sources the viewer can open: the case's virtual slides (rendered on demand by the
 * worker pool; no tiles on disk) and plain Deep Zoom (DZI) pyramids.
 */

interface PendingJob {
  cancel: () => void;
}

export function virtualTileSource(slide: SlideInfo, pool: TilePool): OpenSeadragon.TileSource {
  if (slide.source.kind !== 'virtual') throw new Error(`slide ${slide.id} is not virtual`);
  const { scene, section } = slide.source;
  const maxLevel = Math.ceil(Math.log2(Math.max(slide.width, slide.height)));
  const ts = new OpenSeadragon.TileSource({
    width: slide.width,
    height: slide.height,
    tileSize: TILE_SIZE,
    tileOverlap: 0,
    minLevel: 0,
    maxLevel,
  });
  const pending = new WeakMap<OpenSeadragon.ImageJob, PendingJob>();
  ts.getTileUrl = (level: number, x: number, y: number) => `virtual:${scene}/${section}/${level}/${x}_${y}`;
  ts.downloadTileStart = (job: OpenSeadragon.ImageJob) => {
    const m = /\/(\d+)\/(\d+)_(\d+)$/.exec(job.src);
    if (!m) {
      job.fail(`bad virtual tile address ${job.src}`, null);
      return;
    }
    const r = pool.render({ scene, section, level: Number(m[1]), col: Number(m[2]), row: Number(m[3]) });
    pending.set(job, r);
    r.promise.then(
      (bitmap) => job.finish(bitmap, null, 'imageBitmap'),
      (e: Error) => job.fail(e.message, null),
    );
  };
  ts.downloadTileAbort = (job: OpenSeadragon.ImageJob) => pending.get(job)?.cancel();
  // For pixel analysis (region-reader.ts): the same tiles, straight from the pool.
  (ts as OpenSeadragon.TileSource & BitmapTiles).tileBitmap = (level, col, row) => pool.render({ scene, section, level, col, row }).promise;
  return ts;
}

/** A DZI pyramid by URL; OpenSeadragon reads the descriptor itself. */
export function dziTileSource(url: string): string {
  if (!/\.(dzi|xml)(\?.*)?$/i.test(url)) throw new Error(`The address ${url} does not end in .dzi or .xml, so it is not a Deep Zoom descriptor.`);
  return url;
}
