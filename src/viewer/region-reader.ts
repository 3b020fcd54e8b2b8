import type OpenSeadragon from 'openseadragon';

/**
 * The pixels of a rectangle of a slide, read from its pyramid at a chosen resolution, for
 * pixel analysis (the Ki67 assist). Works on any tile source the viewer opens: a source may
 * give its tiles as bitmaps itself (`tileBitmap`: the virtual slides' worker pool, own files'
 * decoders); otherwise its tile URLs are fetched (Deep Zoom).
 */

export interface RegionPixels {
  readonly rgba: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  /** Full-resolution image pixels per pixel of `rgba`. */
  readonly scale: number;
  /** Where `rgba`'s top-left corner is, in full-resolution image pixels. */
  readonly x: number;
  readonly y: number;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What a tile source may offer besides URLs (see virtualTileSource). */
export interface BitmapTiles {
  tileBitmap?(level: number, col: number, row: number): Promise<ImageBitmap>;
}

/** Largest region read at once, in pixels of the chosen level (a 4 mm² field at 0.5 µm). */
export const MAX_REGION_PIXELS = 16_000_000;

/**
 * Which level to read for `scale` full-resolution pixels per pixel: the coarsest whose pixels are
 * no larger than that (within 2 %), given each level's downsample (full-resolution pixels per
 * level pixel; index = OpenSeadragon's level number, coarsest first). A virtual slide's levels
 * are powers of two; a slide file's are whatever it stores (an SVS: 1, 4, 16…), so the level
 * cannot be worked out from a power of two. Pure.
 */
export function regionLevel(downsamples: readonly number[], scale: number): number {
  let best = downsamples.length - 1;
  for (let level = downsamples.length - 1; level >= 0; level--) {
    const d = downsamples[level]!;
    if (Number.isFinite(d) && d <= scale * 1.02 && d >= downsamples[best]!) best = level;
  }
  return best;
}

export async function readRegion(source: OpenSeadragon.TileSource & BitmapTiles, box: Box, scale: number): Promise<RegionPixels> {
  const downsamples: number[] = [];
  for (let l = 0; l <= source.maxLevel; l++) downsamples.push(l < source.minLevel ? NaN : 1 / source.getLevelScale(l));
  const level = regionLevel(downsamples, scale);
  const d = downsamples[level]!;
  // Read at the level's own pixels (d full-resolution pixels each)…
  const x0 = Math.floor(box.x / d);
  const y0 = Math.floor(box.y / d);
  const w = Math.max(1, Math.ceil(box.width / d));
  const h = Math.max(1, Math.ceil(box.height / d));
  if (w * h > MAX_REGION_PIXELS) throw new Error(`the region is too large to analyse at once (${((w * h) / 1e6).toFixed(0)} megapixels; at most ${MAX_REGION_PIXELS / 1e6})`);
  const tw = source.getTileWidth(level);
  const th = source.getTileHeight(level);
  const overlap = (source as unknown as { tileOverlap?: number }).tileOverlap ?? 0;
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const jobs: Array<Promise<void>> = [];
  // A region drawn past the slide's edge: the part outside stays white (there are no tiles there).
  const grid = source.getNumTiles(level);
  for (let row = Math.max(0, Math.floor(y0 / th)); row <= Math.min(grid.y - 1, Math.floor((y0 + h - 1) / th)); row++) {
    for (let col = Math.max(0, Math.floor(x0 / tw)); col <= Math.min(grid.x - 1, Math.floor((x0 + w - 1) / tw)); col++) {
      jobs.push(
        tile(source, level, col, row).then((bmp) => {
          // A Deep Zoom tile carries `overlap` pixels of its neighbours on its inner edges.
          const ox = col > 0 ? overlap : 0;
          const oy = row > 0 ? overlap : 0;
          ctx.drawImage(bmp, col * tw - ox - x0, row * th - oy - y0);
          bmp.close();
        }),
      );
    }
  }
  await Promise.all(jobs);
  if (d >= scale / 1.02) return { rgba: ctx.getImageData(0, 0, w, h).data, width: w, height: h, scale: d, x: x0 * d, y: y0 * d };
  // …then, when the level is finer than asked (a file whose levels step by 4), brought to `scale`.
  const k = d / scale;
  const sw = Math.max(1, Math.round(w * k));
  const sh = Math.max(1, Math.round(h * k));
  const out = new OffscreenCanvas(sw, sh);
  const g = out.getContext('2d', { willReadFrequently: true })!;
  g.imageSmoothingQuality = 'high';
  g.drawImage(canvas, 0, 0, sw, sh);
  return { rgba: g.getImageData(0, 0, sw, sh).data, width: sw, height: sh, scale: (w * d) / sw, x: x0 * d, y: y0 * d };
}

async function tile(source: OpenSeadragon.TileSource & BitmapTiles, level: number, col: number, row: number): Promise<ImageBitmap> {
  if (source.tileBitmap) return source.tileBitmap(level, col, row);
  const url = source.getTileUrl(level, col, row);
  const res = await fetch(String(url));
  if (!res.ok) throw new Error(`a tile could not be read (HTTP ${res.status})`);
  return createImageBitmap(await res.blob());
}
