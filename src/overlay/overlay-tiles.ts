import type { Bounds } from '../model/geometry';
import type { Affine, MarkPainter, MarkStyle } from './mark-painter';
import { FILL_UNDER, MARK_REACH_PX } from './mark-painter';

/**
 * The overlay's marks rasterised once per tile and zoom step, then composited: panning over
 * 20,000 marks costs a few dozen image draws a frame instead of 20,000 paths. This is how
 * QuPath keeps its overlay fluid (a cache of painted overlay tiles per downsample).
 *
 * Zoom is quantised to quarter octaves: a tile is painted at the next step above the view's
 * scale and shown at 84–100% of its size. Tiles missing at the current step are painted in
 * order of distance from the centre until the frame's budget is spent; meanwhile the tiles of
 * the last step completed fill their place, clipped to it (scaled, so after a long zoom their
 * marks are larger or smaller for a few frames; never doubled). A tile an edit touched stays
 * on screen until its repaint is done.
 * Edits drop only the tiles their bounds touch.
 */

/** Tile side in device pixels, and the 1 px gutter painted round it so neighbours meet without seams. */
const TILE = 256;
const GUTTER = 1;
const SIDE = TILE + 2 * GUTTER;
/** Zoom steps per doubling: a mark is shown at ≥ 84% of the size it was painted at. */
const STEPS = 4;
/** Painted tiles kept (device pixels × 4 bytes), unless one view needs more (draw keeps what it shows). */
const CACHE_BYTES = 64 * 1024 * 1024;
/** Blank canvases kept for reuse. */
const MAX_SPARE = 16;

interface Tile {
  readonly key: string;
  readonly step: number;
  readonly dpr: number;
  /** Device pixels per image pixel. */
  readonly s: number;
  readonly x0: number;
  readonly y0: number;
  /** Undefined when nothing fell in the tile (nothing to draw, nothing held). */
  canvas: OffscreenCanvas | HTMLCanvasElement | undefined;
  /** An edit touched it: still shown, so the marks round an edit never blink out, until its repaint is done. */
  stale?: boolean;
}

export interface TileView {
  /** Image → CSS pixels of the overlay. */
  readonly t: Affine;
  /** Overlay size in CSS pixels. */
  readonly w: number;
  readonly h: number;
  readonly dpr: number;
  /** The image-space box the view shows. */
  readonly bounds: Bounds;
}

export interface TileStats {
  /** Tiles the view needs at its step. */
  needed: number;
  /** Of those, painted during this frame. */
  painted: number;
  /** Still missing (shown from another step meanwhile). */
  missing: number;
  /** Milliseconds spent painting tiles this frame. */
  paintMs: number;
  /** The zoom step drawn (device pixels per image pixel = 2^(step/4)). */
  step: number;
}

/** Marks painted between two looks at the clock (a tile of thousands is painted over several frames): as many as the budget left allows at the cost per mark measured, within these bounds. */
const MIN_CHUNK = 4;
const MAX_CHUNK = 512;
/** Tiles whose painting may be in progress at once (the view's nearest missing ones). */
const MAX_JOBS = 8;

/** A tile being painted a chunk of marks at a time; shown once complete. */
interface Job {
  readonly tile: Tile;
  readonly ids: string[];
  next: number;
  painted: number;
}

export class OverlayTiles {
  private readonly jobs = new Map<string, Job>();
  /** Milliseconds per mark painted and rasterised, a running average. */
  private msPerMark = 0.05;
  private readonly cache = new Map<string, Tile>();
  private readonly spare: Array<OffscreenCanvas | HTMLCanvasElement> = [];
  private readonly need: Array<{ i: number; j: number; d: number }> = [];
  private readonly maxTiles = Math.max(64, Math.floor(CACHE_BYTES / (SIDE * SIDE * 4)));
  /** The step drawn by the last frame: what fills the holes while a new step is painted. */
  private lastStep: number | undefined;
  readonly stats: TileStats = { needed: 0, painted: 0, missing: 0, paintMs: 0, step: 0 };

  constructor(
    private readonly painter: MarkPainter,
    private readonly search: (b: Bounds, out: string[]) => string[],
  ) {}

  /**
   * Composites the view's tiles onto `ctx` (whose transform it sets), painting missing ones
   * for up to `budgetMs` (at least one chunk of marks). Returns whether every tile was there.
   */
  draw(ctx: CanvasRenderingContext2D, view: TileView, style: MarkStyle, skip: (id: string) => boolean, budgetMs: number): boolean {
    const { t, dpr, bounds: vb } = view;
    const [a, b] = t;
    const sDev = Math.hypot(a, b) * dpr;
    const step = Math.ceil(STEPS * Math.log2(sDev) - 1e-9);
    const s = 2 ** (step / STEPS);
    const span = TILE / s;
    const i0 = Math.floor(vb.minX / span);
    const j0 = Math.floor(vb.minY / span);
    const i1 = Math.floor(vb.maxX / span);
    const j1 = Math.floor(vb.maxY / span);
    const need = this.need;
    need.length = 0;
    const ci = (vb.minX + vb.maxX) / 2 / span;
    const cj = (vb.minY + vb.maxY) / 2 / span;
    for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) need.push({ i, j, d: (i + 0.5 - ci) ** 2 + (j + 0.5 - cj) ** 2 });
    need.sort((p, q) => p.d - q.d);
    const t0 = performance.now();
    let painted = 0;
    let missing = 0;
    const present: Tile[] = [];
    const holes: Array<{ i: number; j: number }> = [];
    for (const { i, j } of need) {
      const key = `${dpr}/${step}/${i}/${j}`;
      let tile = this.cache.get(key);
      if (tile) {
        // Most recently used last: eviction takes from the front.
        this.cache.delete(key);
        this.cache.set(key, tile);
      }
      if ((!tile || tile.stale) && performance.now() - t0 < budgetMs) {
        const fresh = this.paint(key, step, dpr, s, i * span, j * span, style, skip, t0 + budgetMs);
        if (fresh) {
          tile = fresh;
          painted++;
        }
      }
      if (tile) present.push(tile);
      else holes.push({ i, j });
      if (!tile || tile.stale) missing++;
    }
    const paintMs = performance.now() - t0;
    ctx.imageSmoothingEnabled = true;
    if (holes.length > 0 && this.lastStep !== undefined && this.lastStep !== step) {
      // The previous step's tiles, only where this step's are missing. Without rotation the
      // holes are clipped on whole device pixels: an antialiased clip makes every later
      // drawImage build a coverage mask, which cost more than the tiles themselves.
      ctx.save();
      const [ta, tb, tc, td, te, tf] = t;
      ctx.beginPath();
      if (tb === 0 && tc === 0) {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        for (const { i, j } of holes) {
          const x0 = Math.round(dpr * (ta * i * span + te));
          const y0 = Math.round(dpr * (td * j * span + tf));
          const x1 = Math.round(dpr * (ta * (i + 1) * span + te));
          const y1 = Math.round(dpr * (td * (j + 1) * span + tf));
          ctx.rect(x0, y0, x1 - x0, y1 - y0);
        }
      } else {
        ctx.setTransform(dpr * ta, dpr * tb, dpr * tc, dpr * td, dpr * te, dpr * tf);
        for (const { i, j } of holes) ctx.rect(i * span, j * span, span, span);
      }
      ctx.clip();
      const ls = this.lastStep;
      const lspan = TILE / 2 ** (ls / STEPS);
      // The cache holds a few hundred tiles; the last step's grid over the view can hold many
      // thousands of places after a zoom out.
      for (const old of this.cache.values()) {
        if (old.step !== ls || old.dpr !== dpr || !old.canvas) continue;
        const ox0 = old.x0;
        const oy0 = old.y0;
        if (ox0 > vb.maxX || oy0 > vb.maxY || ox0 + lspan < vb.minX || oy0 + lspan < vb.minY) continue;
        // Only tiles over a hole: the others would be drawn only to be clipped away.
        if (holes.some((hl) => hl.i * span < ox0 + lspan && (hl.i + 1) * span > ox0 && hl.j * span < oy0 + lspan && (hl.j + 1) * span > oy0)) this.blit(ctx, old, view);
      }
      ctx.restore();
    } else if (holes.length === 0 || this.lastStep === undefined) this.lastStep = step;
    for (const tile of present) this.blit(ctx, tile, view);
    this.evict(need.length + 16);
    Object.assign(this.stats, { needed: need.length, painted, missing, paintMs, step });
    return missing === 0;
  }

  /** Marks the tiles whose marks could touch `b` (image pixels) for repainting. */
  invalidate(b: Bounds): void {
    const touches = (t: Tile): boolean => {
      const pad = (MARK_REACH_PX * t.dpr + GUTTER) / t.s;
      const span = TILE / t.s;
      return !(b.maxX < t.x0 - pad || b.minX > t.x0 + span + pad || b.maxY < t.y0 - pad || b.minY > t.y0 + span + pad);
    };
    // A tile half painted from before the change would finish with stale marks.
    for (const [key, job] of [...this.jobs]) if (touches(job.tile)) this.dropJob(key);
    for (const tile of this.cache.values()) if (touches(tile)) tile.stale = true;
  }

  /** Drops every tile (colours, hidden classes or the fading changed; a large import). */
  clear(): void {
    for (const key of [...this.jobs.keys()]) this.dropJob(key);
    for (const [key, tile] of this.cache) this.drop(key, tile);
    this.lastStep = undefined;
  }

  get size(): number {
    return this.cache.size;
  }

  /** Bytes of pixels the painted and spare tile canvases hold (outside the JS heap). */
  get bytes(): number {
    let canvases = this.spare.length;
    for (const t of this.cache.values()) if (t.canvas) canvases++;
    // A tile being painted holds a canvas before it joins the cache.
    for (const j of this.jobs.values()) if (j.tile.canvas && this.cache.get(j.tile.key) !== j.tile) canvases++;
    return canvases * SIDE * SIDE * 4;
  }

  /**
   * Paints a tile's marks, a chunk at a time until `deadline` (at least one chunk); returns the
   * tile once every mark is on it, undefined while it is still in progress.
   */
  private paint(key: string, step: number, dpr: number, s: number, x0: number, y0: number, style: MarkStyle, skip: (id: string) => boolean, deadline: number): Tile | undefined {
    let job = this.jobs.get(key);
    if (!job) {
      const span = TILE / s;
      const pad = (MARK_REACH_PX * dpr + GUTTER) / s;
      const ids = this.search({ minX: x0 - pad, minY: y0 - pad, maxX: x0 + span + pad, maxY: y0 + span + pad }, []);
      job = { tile: { key, step, dpr, s, x0, y0, canvas: undefined }, ids, next: 0, painted: 0 };
      if (ids.length > 0) {
        const canvas = this.spare.pop() ?? makeCanvas();
        const ctx = context(canvas);
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, SIDE, SIDE);
        job.tile.canvas = canvas;
      }
      // The nearest tiles are worked on; one that has fallen far behind is given up.
      if (this.jobs.size >= MAX_JOBS) this.dropJob(this.jobs.keys().next().value!);
      this.jobs.set(key, job);
    }
    const { tile, ids } = job;
    // Outlines only past FILL_UNDER shapes in the tile, decided once for all its chunks.
    const fill = ids.length < FILL_UNDER;
    if (tile.canvas) {
      const ctx = context(tile.canvas);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      // The painter works in CSS pixels; one tile pixel is 1/dpr of one.
      const k = s / dpr;
      const affine = [k, 0, 0, k, (GUTTER - x0 * s) / dpr, (GUTTER - y0 * s) / dpr] as const;
      do {
        // As many marks as the time left allows at the cost per mark seen so far.
        const left = deadline - performance.now();
        const chunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.floor(left / this.msPerMark)));
        const end = Math.min(ids.length, job.next + chunk);
        const c0 = performance.now();
        job.painted += this.painter.paint(ctx, ids.slice(job.next, end), affine, SIDE / dpr, SIDE / dpr, style, skip, fill);
        // Canvas calls are recorded and rasterised later, when the tile is first drawn on
        // screen: a one-pixel read rasterises the chunk now, inside this frame's budget.
        ctx.getImageData(0, 0, 1, 1);
        const per = (performance.now() - c0) / (end - job.next);
        this.msPerMark = 0.7 * this.msPerMark + 0.3 * Math.max(per, 1e-4);
        job.next = end;
      } while (job.next < ids.length && performance.now() < deadline);
      if (job.next < ids.length) return undefined;
      if (job.painted === 0) {
        // An empty tile needs no pixels: its canvas is reused (a few kept, as elsewhere).
        if (this.spare.length < MAX_SPARE) this.spare.push(tile.canvas);
        tile.canvas = undefined;
      }
    }
    this.jobs.delete(key);
    // The stale tile it replaces gives its canvas back.
    const old = this.cache.get(key);
    if (old && old !== tile) this.drop(key, old);
    this.cache.set(key, tile);
    return tile;
  }

  private dropJob(key: string): void {
    const job = this.jobs.get(key);
    if (!job) return;
    this.jobs.delete(key);
    if (job.tile.canvas && this.spare.length < MAX_SPARE) this.spare.push(job.tile.canvas);
    job.tile.canvas = undefined;
  }

  /** Draws a tile where its image box falls on screen (any rotation or scale). */
  private blit(ctx: CanvasRenderingContext2D, tile: Tile, view: TileView): void {
    if (!tile.canvas) return;
    const [a, b, c, d, e, f] = view.t;
    const r = view.dpr / tile.s;
    ctx.setTransform(r * a, r * b, r * c, r * d, view.dpr * (a * tile.x0 + c * tile.y0 + e), view.dpr * (b * tile.x0 + d * tile.y0 + f));
    ctx.drawImage(tile.canvas, GUTTER, GUTTER, TILE, TILE, 0, 0, TILE, TILE);
  }

  /** Drops the least recently used tiles past the budget, never fewer than `keep` (what the view shows). */
  private evict(keep: number): void {
    const limit = Math.max(this.maxTiles, keep);
    for (const [key, tile] of this.cache) {
      if (this.cache.size <= limit) break;
      this.drop(key, tile);
    }
  }

  private drop(key: string, tile: Tile): void {
    this.cache.delete(key);
    if (tile.canvas && this.spare.length < MAX_SPARE) this.spare.push(tile.canvas);
    tile.canvas = undefined;
  }
}

/** A tile's 2D context, kept in memory (it is read back a pixel per chunk, and drawn many times). */
function context(c: OffscreenCanvas | HTMLCanvasElement): CanvasRenderingContext2D {
  return c.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
}

function makeCanvas(): OffscreenCanvas | HTMLCanvasElement {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(SIDE, SIDE);
  const c = document.createElement('canvas');
  c.width = SIDE;
  c.height = SIDE;
  return c;
}
