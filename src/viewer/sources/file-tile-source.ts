import OpenSeadragon from 'openseadragon';
import type { FileSlides } from './file-slides';
import type { SlideFileInfo } from './slide-file-types';
import { hasTile, tileGrid } from '../../model/pyramid';
import type { BitmapTiles } from '../region-reader';

/**
 * An OpenSeadragon tile source over a slide file's levels (see DisplayLevel in pyramid.ts).
 * A file's levels are not powers of two (SVS: 1, 4, 16…) and their tiles differ in size, so
 * the level scale, tile size and tile count come from the levels, not from OpenSeadragon's
 * power-of-two rule. Tiles come from the slide file worker as ImageBitmaps, to the viewer and,
 * through `tileBitmap`, to pixel analysis (the Ki67 assist reads regions that way).
 */
export function fileTileSource(info: SlideFileInfo, files: FileSlides, onTileError: (message: string) => void): OpenSeadragon.TileSource {
  const levels = info.levels;
  const maxLevel = levels.length - 1;
  const full = levels[maxLevel]!;
  const ts = new OpenSeadragon.TileSource({ width: full.width, height: full.height, tileSize: full.tileWidth, tileOverlap: 0, minLevel: 0, maxLevel });
  const src = ts as unknown as {
    getLevelScale: (level: number) => number;
    getTileWidth: (level: number) => number;
    getTileHeight: (level: number) => number;
    getNumTiles: (level: number) => OpenSeadragon.Point;
  };
  src.getLevelScale = (level) => (levels[level] ? levels[level]!.width / full.width : NaN);
  src.getTileWidth = (level) => levels[level]?.tileWidth ?? full.tileWidth;
  src.getTileHeight = (level) => levels[level]?.tileHeight ?? full.tileHeight;
  src.getNumTiles = (level) => {
    const l = levels[level];
    if (!l) return new OpenSeadragon.Point(0, 0);
    const g = tileGrid(l);
    return new OpenSeadragon.Point(g.cols, g.rows);
  };
  const pending = new WeakMap<OpenSeadragon.ImageJob, { cancel: () => void }>();
  ts.getTileUrl = (level: number, x: number, y: number) => `slide-file:${info.id}/${level}/${x}_${y}`;
  ts.downloadTileStart = (job: OpenSeadragon.ImageJob) => {
    const m = /\/(\d+)\/(\d+)_(\d+)$/.exec(job.src);
    const [level, col, row] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [-1, -1, -1];
    const l = levels[level];
    if (!l || !hasTile(l, col, row)) {
      job.fail(`no tile at ${job.src}`, null);
      return;
    }
    const r = files.tile(info.id, level, col, row);
    pending.set(job, r);
    r.promise.then(
      (bitmap) => job.finish(bitmap, null, 'imageBitmap'),
      (e: Error) => {
        if (e.message !== 'cancelled') onTileError(e.message);
        job.fail(e.message, null);
      },
    );
  };
  ts.downloadTileAbort = (job: OpenSeadragon.ImageJob) => pending.get(job)?.cancel();
  (ts as OpenSeadragon.TileSource & BitmapTiles).tileBitmap = (level, col, row) => {
    const l = levels[level];
    if (!l || !hasTile(l, col, row)) return Promise.reject(new Error(`no tile ${col},${row} at level ${level}`));
    return files.tile(info.id, level, col, row).promise;
  };
  return ts;
}
