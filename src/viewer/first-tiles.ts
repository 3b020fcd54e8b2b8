import type { SlideInfo } from '../model/manifest';
import type { ViewState } from '../model/route';
import { umPerScreenPxAt } from '../model/optics';
import { TILE_SIZE } from '../specimen/render';
import type { TileKey } from './tile-pool';

/**
 * The tiles a viewer opening at `view` will ask for first, nearest the centre first.
 *
 * Why: a cold page spends ~0.7 s booting (scripts, OpenSeadragon, the database) before the
 * viewer asks for a tile, while the render workers sit idle with cold code. Starting the
 * tiles the URL already names in that time halves the wait; a wrong guess costs only a few
 * tiles' work.
 */

/** Must match the viewer's setting: the coarsest level drawn is the one at or above this. */
export const MIN_PIXEL_RATIO = 0.6;

export function firstTiles(slide: SlideInfo, view: ViewState, viewportPx: { w: number; h: number }, limit = 24): TileKey[] {
  if (slide.source.kind !== 'virtual' || !(view.z > 0)) return [];
  const maxLevel = Math.ceil(Math.log2(Math.max(slide.width, slide.height)));
  const imagePxPerScreenPx = umPerScreenPxAt(view.z) / slide.mpp;
  // Level L has 2^(maxLevel − L) image px per level px; OpenSeadragon draws the finest level
  // whose pixels cover at least MIN_PIXEL_RATIO screen px.
  let level = maxLevel;
  while (level > 0 && 2 ** (maxLevel - level) / imagePxPerScreenPx < MIN_PIXEL_RATIO) level--;
  const scale = 2 ** (maxLevel - level); // image px per level px
  const cols = Math.ceil(slide.width / scale / TILE_SIZE);
  const rows = Math.ceil(slide.height / scale / TILE_SIZE);
  // A rotated view covers the circle round the screen rectangle.
  const half = view.r === 0 ? { w: viewportPx.w / 2, h: viewportPx.h / 2 } : { w: Math.hypot(viewportPx.w, viewportPx.h) / 2, h: Math.hypot(viewportPx.w, viewportPx.h) / 2 };
  const cx = view.x / scale / TILE_SIZE;
  const cy = view.y / scale / TILE_SIZE;
  const hw = (half.w * imagePxPerScreenPx) / scale / TILE_SIZE;
  const hh = (half.h * imagePxPerScreenPx) / scale / TILE_SIZE;
  const keys: Array<TileKey & { d: number }> = [];
  for (let row = Math.max(0, Math.floor(cy - hh)); row <= Math.min(rows - 1, Math.floor(cy + hh)); row++)
    for (let col = Math.max(0, Math.floor(cx - hw)); col <= Math.min(cols - 1, Math.floor(cx + hw)); col++)
      keys.push({ scene: slide.source.scene, section: slide.source.section, level, col, row, d: Math.hypot(col + 0.5 - cx, row + 0.5 - cy) });
  keys.sort((a, b) => a.d - b.d);
  return keys.slice(0, limit).map(({ d: _d, ...k }) => k);
}
