/**
 * Pyramid maths, in one place: how a slide's levels, tiles and tile keys are laid out, for the
 * virtual slides (power-of-two levels of 256 px tiles) and for slide files (whatever levels the
 * file holds, plus halvings below its coarsest one). The viewer, the worker pool, thumbnails and
 * the file readers all ask here, so a tile at (level, col, row) means the same pixels everywhere.
 *
 * Levels are numbered as OpenSeadragon numbers them: 0 is the coarsest, the last is full
 * resolution. Pure: no DOM.
 */

/** The virtual slides' tile size (the renderer's). */
export const VIRTUAL_TILE_SIZE = 256;

/** A level as the viewer sees it: its size in level pixels and its tile grid. */
export interface PyramidLevel {
  readonly width: number;
  readonly height: number;
  readonly tileWidth: number;
  readonly tileHeight: number;
}

/** The finest level number of a power-of-two pyramid down to 1 px (OpenSeadragon's rule). */
export function powerOfTwoMaxLevel(width: number, height: number): number {
  return Math.ceil(Math.log2(Math.max(width, height)));
}

/** Level size of a power-of-two pyramid: full size / 2^(maxLevel − level), rounded up. */
export function powerOfTwoLevel(width: number, height: number, level: number, tileSize = VIRTUAL_TILE_SIZE): PyramidLevel & { readonly scale: number } {
  const scale = 2 ** (powerOfTwoMaxLevel(width, height) - level);
  return { width: Math.max(1, Math.ceil(width / scale)), height: Math.max(1, Math.ceil(height / scale)), tileWidth: tileSize, tileHeight: tileSize, scale };
}

export function tileGrid(l: PyramidLevel): { cols: number; rows: number } {
  return { cols: Math.ceil(l.width / l.tileWidth), rows: Math.ceil(l.height / l.tileHeight) };
}

/** The pixels of one tile within its level (edge tiles are cut to the level). */
export function tileRect(l: PyramidLevel, col: number, row: number): { x: number; y: number; w: number; h: number } {
  const x = col * l.tileWidth;
  const y = row * l.tileHeight;
  return { x, y, w: Math.max(0, Math.min(l.tileWidth, l.width - x)), h: Math.max(0, Math.min(l.tileHeight, l.height - y)) };
}

/** Whether (col, row) is a tile of the level. */
export function hasTile(l: PyramidLevel, col: number, row: number): boolean {
  const { cols, rows } = tileGrid(l);
  return Number.isInteger(col) && Number.isInteger(row) && col >= 0 && row >= 0 && col < cols && row < rows;
}

/** Tiles of a level that overlap a rectangle in that level's pixels, row by row. */
export function tilesOverlapping(l: PyramidLevel, x: number, y: number, w: number, h: number): Array<{ col: number; row: number }> {
  const { cols, rows } = tileGrid(l);
  const out: Array<{ col: number; row: number }> = [];
  const c0 = Math.max(0, Math.floor(x / l.tileWidth));
  const r0 = Math.max(0, Math.floor(y / l.tileHeight));
  const c1 = Math.min(cols - 1, Math.ceil((x + w) / l.tileWidth) - 1);
  const r1 = Math.min(rows - 1, Math.ceil((y + h) / l.tileHeight) - 1);
  for (let row = r0; row <= r1; row++) for (let col = c0; col <= c1; col++) out.push({ col, row });
  return out;
}

/** One key per tile of one slide: the same text in the worker's cache and the viewer's. */
export function tileKey(slide: string, level: number, col: number, row: number): string {
  return `${slide}/${level}/${col}_${row}`;
}

/**
 * A level stored in a slide file: its size, and the blocks (tiles, or strips as full-width
 * tiles) it is stored in.
 */
export interface FileLevel {
  readonly width: number;
  readonly height: number;
  readonly blockWidth: number;
  readonly blockHeight: number;
}

/**
 * Where a viewer level's tiles come from: one stored block each (`direct`: the fast path, a
 * tile is one decode), stored blocks cut and pasted (`region`: strips, or tiles too large to
 * hand over as they are), or the next finer viewer level halved (`halve`: below the file's
 * coarsest level, so a whole-slide view never needs the full-resolution tiles).
 */
export type LevelSource =
  | { readonly kind: 'direct'; readonly fileLevel: number }
  | { readonly kind: 'region'; readonly fileLevel: number }
  | { readonly kind: 'halve'; readonly from: number };

export interface DisplayLevel extends PyramidLevel {
  readonly source: LevelSource;
  /** Full-resolution pixels per pixel of this level (1 at full resolution). */
  readonly downsample: number;
}

/** Tile size of the levels Lamina makes itself (halved, or cut from strips). */
export const MADE_TILE_SIZE = 512;
/** Stored tiles up to this size are handed to the viewer as they are. */
const MAX_DIRECT_TILE = 2048;
/** Narrower blocks (thin strips) are pasted into made tiles: hundreds of 16-row tiles would each cost a request. */
const MIN_DIRECT_TILE = 64;

/**
 * The viewer's levels for a file's levels (given finest first, as files list them): the file's
 * levels that are reductions of the full image (same shape within 2 %, each smaller than the
 * last), then halvings below the coarsest until the slide fits in one tile. Returned coarsest
 * first. Levels of another shape (a label, a macro photograph) are not levels: they are the
 * caller's associated images.
 */
export function displayLevels(fileLevels: readonly FileLevel[]): DisplayLevel[] {
  const base = fileLevels[0];
  if (!base) return [];
  const aspect = base.width / base.height;
  const fine: DisplayLevel[] = [];
  let lastWidth = Infinity;
  fileLevels.forEach((f, i) => {
    const sameShape = Math.abs(f.width / f.height / aspect - 1) < 0.02;
    if (!sameShape || f.width >= lastWidth) return;
    lastWidth = f.width;
    const direct = f.blockWidth >= MIN_DIRECT_TILE && f.blockHeight >= MIN_DIRECT_TILE && f.blockWidth <= MAX_DIRECT_TILE && f.blockHeight <= MAX_DIRECT_TILE && f.blockWidth < f.width * 2;
    fine.push({
      width: f.width,
      height: f.height,
      tileWidth: direct ? f.blockWidth : MADE_TILE_SIZE,
      tileHeight: direct ? f.blockHeight : MADE_TILE_SIZE,
      source: direct ? { kind: 'direct', fileLevel: i } : { kind: 'region', fileLevel: i },
      downsample: base.width / f.width,
    });
  });
  // Halvings: each from the level just finer, until one tile holds the whole slide.
  const out = [...fine];
  for (let last = out[out.length - 1]!; Math.max(last.width, last.height) > MADE_TILE_SIZE / 2; last = out[out.length - 1]!) {
    out.push({
      width: Math.max(1, Math.ceil(last.width / 2)),
      height: Math.max(1, Math.ceil(last.height / 2)),
      tileWidth: MADE_TILE_SIZE / 2,
      tileHeight: MADE_TILE_SIZE / 2,
      source: { kind: 'halve', from: out.length - 1 },
      downsample: last.downsample * 2,
    });
  }
  // `from` above counts finest first; the viewer counts coarsest first.
  const n = out.length;
  return out
    .map((l) => (l.source.kind === 'halve' ? { ...l, source: { kind: 'halve' as const, from: n - 1 - l.source.from } } : l))
    .reverse();
}

/**
 * The level a viewer showing the whole slide in a `viewport` (CSS px) draws: the finest whose
 * pixels cover at least `minPixelRatio` screen pixels (OpenSeadragon's rule). Its tiles can be
 * decoded before the viewer asks (see the slide file worker).
 */
export function wholeSlideLevel(levels: readonly DisplayLevel[], viewport: { w: number; h: number }, minPixelRatio: number): number {
  const full = levels[levels.length - 1];
  if (!full || !(viewport.w > 0) || !(viewport.h > 0)) return 0;
  const screenPerImagePx = Math.min(viewport.w / full.width, viewport.h / full.height);
  for (let i = levels.length - 1; i >= 0; i--) if (screenPerImagePx * levels[i]!.downsample >= minPixelRatio) return i;
  return 0;
}
