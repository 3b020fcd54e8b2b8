import type { CaseManifest, SlideInfo } from '../model/manifest';
import { figureView } from '../model/manifest';
import { TILE_SIZE } from '../specimen/render';
import { firstTiles } from './first-tiles';
import type { TileKey } from './tile-pool';

/**
 * The tiles every figure of the case opens on, rendered once at build time (the same pure
 * renderer, stored losslessly) so that a cold page draws its first view without waiting for a
 * render worker to start and warm up. Everything else, and any view a user pans to, is still
 * rendered on demand; a prerendered tile is pixel-identical to the worker's (a test holds them
 * to it).
 */

/** The screen the first views are prerendered for: a larger one renders its rim on demand. */
export const FIRST_VIEW_SCREEN = { w: 1920, h: 1200 };

/** Levels the navigator draws the whole slide from: every tile where the slide fits in ~2×2 tiles. */
function navigatorTiles(slide: SlideInfo): TileKey[] {
  if (slide.source.kind !== 'virtual') return [];
  const maxLevel = Math.ceil(Math.log2(Math.max(slide.width, slide.height)));
  const keys: TileKey[] = [];
  for (let level = 0; level <= maxLevel; level++) {
    const scale = 2 ** (maxLevel - level);
    const cols = Math.ceil(slide.width / scale / TILE_SIZE);
    const rows = Math.ceil(slide.height / scale / TILE_SIZE);
    if (cols * rows > 6) break;
    if (Math.max(slide.width, slide.height) / scale < TILE_SIZE / 2) continue;
    for (let row = 0; row < rows; row++) for (let col = 0; col < cols; col++) keys.push({ scene: slide.source.scene, section: slide.source.section, level, col, row });
  }
  return keys;
}

export function firstViewTiles(manifest: CaseManifest): TileKey[] {
  const out = new Map<string, TileKey>();
  for (const f of manifest.figures) {
    const slide = manifest.slides.find((s) => s.id === f.slide);
    if (!slide) continue;
    for (const k of [...firstTiles(slide, figureView(f, slide), FIRST_VIEW_SCREEN, Infinity), ...navigatorTiles(slide)]) out.set(tileAddress(k), k);
  }
  return [...out.values()];
}

/** Where a prerendered tile is served, relative to the app. */
export function tileAddress(k: TileKey): string {
  return `first-views/${k.scene}/${k.section}/${k.level}/${k.col}_${k.row}.webp`;
}
