import type { TileRenderer } from './render';
import { tileExtent } from './render';

/**
 * Renders an arbitrary rectangle of a slide at one pyramid level by stitching tiles.
 * For previews, reports and exports (Node); the app lets OpenSeadragon do this.
 */
export function renderRegion(r: TileRenderer, level: number, xUm: number, yUm: number, widthPx: number, heightPx: number): Uint8ClampedArray {
  const g = r.geometry;
  const { upp } = tileExtent(g, level, 0, 0);
  const ts = g.tileSize;
  const x0 = Math.round(xUm / upp);
  const y0 = Math.round(yUm / upp);
  const out = new Uint8ClampedArray(widthPx * heightPx * 4);
  const c0 = Math.max(0, Math.floor(x0 / ts));
  const r0 = Math.max(0, Math.floor(y0 / ts));
  const c1 = Math.floor((x0 + widthPx - 1) / ts);
  const r1 = Math.floor((y0 + heightPx - 1) / ts);
  const tmp = new Uint8ClampedArray(ts * ts * 4);
  for (let row = r0; row <= r1; row++) {
    for (let col = c0; col <= c1; col++) {
      const t = r.render(level, col, row, tmp);
      for (let y = 0; y < t.height; y++) {
        const oy = row * ts + y - y0;
        if (oy < 0 || oy >= heightPx) continue;
        const sx0 = Math.max(0, x0 - col * ts);
        const sx1 = Math.min(t.width, x0 + widthPx - col * ts);
        if (sx1 <= sx0) continue;
        const ox = col * ts + sx0 - x0;
        out.set(t.data.subarray((y * t.width + sx0) * 4, (y * t.width + sx1) * 4), (oy * widthPx + ox) * 4);
      }
    }
  }
  // Outside the slide: glass.
  for (let i = 3; i < out.length; i += 4) {
    if (out[i] === 0) {
      out[i - 3] = r.stains.white[0];
      out[i - 2] = r.stains.white[1];
      out[i - 1] = r.stains.white[2];
      out[i] = 255;
    }
  }
  return out;
}

/** The pyramid level whose pixels are `umPerPx` (rounded to the nearest power of two). */
export function levelFor(r: TileRenderer, umPerPx: number): number {
  const g = r.geometry;
  return Math.max(0, Math.min(g.maxLevel, g.maxLevel - Math.round(Math.log2(umPerPx / g.mpp))));
}
