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

export async function readRegion(source: OpenSeadragon.TileSource & BitmapTiles, box: Box, scale: number): Promise<RegionPixels> {
  const maxLevel = source.maxLevel;
  // The pyramid level whose pixels are `scale` full-resolution pixels (a power of two), or finer.
  const level = Math.max(source.minLevel, maxLevel - Math.max(0, Math.floor(Math.log2(scale))));
  const s = 2 ** (maxLevel - level);
  const x0 = Math.floor(box.x / s);
  const y0 = Math.floor(box.y / s);
  const w = Math.max(1, Math.ceil(box.width / s));
  const h = Math.max(1, Math.ceil(box.height / s));
  if (w * h > MAX_REGION_PIXELS) throw new Error(`the region is too large to analyse at once (${((w * h) / 1e6).toFixed(0)} megapixels; at most ${MAX_REGION_PIXELS / 1e6})`);
  const tw = source.getTileWidth(level);
  const th = source.getTileHeight(level);
  const overlap = (source as unknown as { tileOverlap?: number }).tileOverlap ?? 0;
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const jobs: Array<Promise<void>> = [];
  for (let row = Math.floor(y0 / th); row <= Math.floor((y0 + h - 1) / th); row++) {
    for (let col = Math.floor(x0 / tw); col <= Math.floor((x0 + w - 1) / tw); col++) {
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
  return { rgba: ctx.getImageData(0, 0, w, h).data, width: w, height: h, scale: s };
}

async function tile(source: OpenSeadragon.TileSource & BitmapTiles, level: number, col: number, row: number): Promise<ImageBitmap> {
  if (source.tileBitmap) return source.tileBitmap(level, col, row);
  const url = source.getTileUrl(level, col, row);
  const res = await fetch(String(url));
  if (!res.ok) throw new Error(`a tile could not be read (HTTP ${res.status})`);
  return createImageBitmap(await res.blob());
}
