import type { Annotation, Geometry } from '../model/annotation';
import { geometryBounds } from '../model/annotation';
import type { AnnotationClass } from '../model/classes';
import type { AnnotationStore } from '../model/store';

/** Image → target pixels: x' = a·x + c·y + e, y' = b·x + d·y + f (CSS pixels of the target). */
export type Affine = readonly [number, number, number, number, number, number];

export interface MarkStyle {
  readonly classes: ReadonlyMap<string, AnnotationClass>;
  readonly hidden: ReadonlySet<string>;
  /** Opacity of everything (a tour step fades what it does not point at). */
  readonly alpha: number;
}

/** Shapes smaller than this on screen are drawn as a dot: an outline a few pixels wide says nothing more. */
export const DOT_PX = 4;
/** Radius (CSS px) of a point annotation's mark. */
export const POINT_RADIUS = 6;
/** How far (CSS px) a mark's drawing reaches beyond its geometry: point radius plus stroke. */
export const MARK_REACH_PX = POINT_RADIUS + 3;
/** Half the side of a point's sprite (CSS px): its radius, half its stroke and a pixel of antialiasing. */
const SPRITE_HALF = POINT_RADIUS + 2;
/** Past this many shapes of a class in one paint, outlines only: translucent fills over thousands of them are the costliest thing a software rasteriser does, and add nothing readable. */
export const FILL_UNDER = 400;

interface Bucket {
  points: Annotation[];
  shapes: Annotation[];
  dots: Annotation[];
}

/**
 * Draws the bulk of a slide's annotations — every one a mark: a point as a ringed disc, a shape
 * as its outline (filled while few), a shape smaller than DOT_PX as a dot — onto any 2D context
 * under an image→pixel transform. The overlay's tiles call it with each tile's transform; its
 * buckets are reused from call to call, so a paint allocates nothing per annotation.
 */
export class MarkPainter {
  private readonly buckets = new Map<string, Bucket>();
  /** A point's ringed disc per colour, opacity and device scale, drawn once and stamped: one image draw per point instead of a path arc. */
  private readonly sprites = new Map<string, OffscreenCanvas | HTMLCanvasElement>();

  constructor(private readonly store: AnnotationStore) {}

  /**
   * Paints `ids` (skipping hidden classes and those `skip` keeps for the live layer) into the
   * w × h CSS-pixel area of `ctx` under `t`; shapes are filled when `fill` says so (by default
   * while a class has fewer than FILL_UNDER in the call). Returns how many were painted.
   */
  paint(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, ids: readonly string[], t: Affine, w: number, h: number, style: MarkStyle, skip: (id: string) => boolean, fill?: boolean): number {
    const [a, b, c, d, e, f] = t;
    const scale = Math.hypot(a, b);
    for (const bk of this.buckets.values()) {
      bk.points.length = 0;
      bk.shapes.length = 0;
      bk.dots.length = 0;
    }
    let painted = 0;
    for (const id of ids) {
      if (skip(id)) continue;
      const an = this.store.get(id);
      if (!an || style.hidden.has(an.classId)) continue;
      const g = an.geometry;
      const bk = this.bucket(an.classId);
      if (g.type === 'point') bk.points.push(an);
      else if (approxSize(g) * scale < DOT_PX) bk.dots.push(an);
      else bk.shapes.push(an);
      painted++;
    }
    const base = style.alpha;
    ctx.lineJoin = 'round';
    ctx.globalAlpha = base;
    for (const [classId, bk] of this.buckets) {
      const colour = style.classes.get(classId)?.colour ?? '#888';
      if (bk.dots.length) {
        ctx.fillStyle = colour;
        ctx.beginPath();
        for (const an of bk.dots) {
          const o = anchor(an.geometry);
          const x = a * o[0] + c * o[1] + e;
          const y = b * o[0] + d * o[1] + f;
          if (x < -3 || y < -3 || x > w + 3 || y > h + 3) continue;
          ctx.rect(x - 1.5, y - 1.5, 3, 3);
        }
        ctx.fill();
      }
      if (bk.points.length) {
        const r = POINT_RADIUS;
        const R = SPRITE_HALF;
        const sprite = this.sprite(colour, base, ctx.getTransform().a);
        ctx.globalAlpha = 1;
        for (const an of bk.points) {
          const g = an.geometry as Geometry & { type: 'point' };
          const x = a * g.point[0] + c * g.point[1] + e;
          const y = b * g.point[0] + d * g.point[1] + f;
          if (x < -r - 2 || y < -r - 2 || x > w + r + 2 || y > h + r + 2) continue;
          ctx.drawImage(sprite, x - R, y - R, 2 * R, 2 * R);
        }
        ctx.globalAlpha = base;
      }
      if (bk.shapes.length) {
        ctx.beginPath();
        for (const an of bk.shapes) tracePath(ctx, an.geometry, t);
        if (fill ?? bk.shapes.length < FILL_UNDER) {
          ctx.fillStyle = colour;
          ctx.globalAlpha = 0.12 * base;
          ctx.fill('evenodd');
          ctx.globalAlpha = base;
        }
        ctx.strokeStyle = colour;
        ctx.lineWidth = 2;
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
    return painted;
  }

  /** The ringed disc of a point in `colour` at `alpha`, rendered at `k` device pixels per CSS pixel. */
  private sprite(colour: string, alpha: number, k: number): OffscreenCanvas | HTMLCanvasElement {
    const key = `${colour}|${alpha}|${k}`;
    let c = this.sprites.get(key);
    if (c) return c;
    const side = Math.ceil(2 * SPRITE_HALF * k);
    c = makeCanvas(side);
    const g = c.getContext('2d') as CanvasRenderingContext2D;
    g.scale(side / (2 * SPRITE_HALF), side / (2 * SPRITE_HALF));
    g.beginPath();
    g.arc(SPRITE_HALF, SPRITE_HALF, POINT_RADIUS, 0, Math.PI * 2);
    g.fillStyle = colour;
    g.globalAlpha = 0.35 * alpha;
    g.fill();
    g.globalAlpha = alpha;
    g.strokeStyle = colour;
    g.lineWidth = 2;
    g.stroke();
    if (this.sprites.size > 64) this.sprites.clear();
    this.sprites.set(key, c);
    return c;
  }

  private bucket(classId: string): Bucket {
    let b = this.buckets.get(classId);
    if (!b) this.buckets.set(classId, (b = { points: [], shapes: [], dots: [] }));
    return b;
  }
}

/** Adds a shape's outline to the current path, in target pixels, without allocating. */
export function tracePath(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, g: Geometry, t: Affine): void {
  const [a, b, c, d, e, f] = t;
  switch (g.type) {
    case 'polygon':
    case 'freehand':
    case 'line': {
      const pts = g.points;
      let lx = 0;
      let ly = 0;
      for (let i = 0; i < pts.length; i++) {
        const p = pts[i]!;
        const x = a * p[0] + c * p[1] + e;
        const y = b * p[0] + d * p[1] + f;
        if (i === 0) ctx.moveTo(x, y);
        else if (i === pts.length - 1 || Math.abs(x - lx) + Math.abs(y - ly) >= 1.5) ctx.lineTo(x, y);
        else continue; // sub-pixel steps add cost, not shape
        lx = x;
        ly = y;
      }
      if (g.type !== 'line') ctx.closePath();
      return;
    }
    case 'rectangle': {
      const { min, max } = g;
      ctx.moveTo(a * min[0] + c * min[1] + e, b * min[0] + d * min[1] + f);
      ctx.lineTo(a * max[0] + c * min[1] + e, b * max[0] + d * min[1] + f);
      ctx.lineTo(a * max[0] + c * max[1] + e, b * max[0] + d * max[1] + f);
      ctx.lineTo(a * min[0] + c * max[1] + e, b * min[0] + d * max[1] + f);
      ctx.closePath();
      return;
    }
    case 'ellipse': {
      const x = a * g.center[0] + c * g.center[1] + e;
      const y = b * g.center[0] + d * g.center[1] + f;
      const s = Math.hypot(a, b);
      const rot = Math.atan2(b, a);
      ctx.moveTo(x + g.rx * s * Math.cos(rot), y + g.rx * s * Math.sin(rot));
      ctx.ellipse(x, y, g.rx * s, g.ry * s, rot, 0, Math.PI * 2);
      return;
    }
    case 'region': {
      // Every ring as its own subpath: the even-odd fill leaves the holes empty.
      for (const poly of g.polygons) {
        for (const ring of poly) {
          for (let i = 0; i < ring.length; i++) {
            const p = ring[i]!;
            const x = a * p[0] + c * p[1] + e;
            const y = b * p[0] + d * p[1] + f;
            if (i === 0) ctx.moveTo(x, y);
            else ctx.lineTo(x, y);
          }
          ctx.closePath();
        }
      }
      return;
    }
    case 'point':
      return;
  }
}

/** The larger side of a shape's bounding box, in image pixels. */
function approxSize(g: Geometry): number {
  switch (g.type) {
    case 'point':
      return 0;
    case 'ellipse':
      return 2 * Math.max(g.rx, g.ry);
    case 'rectangle':
      return Math.max(g.max[0] - g.min[0], g.max[1] - g.min[1]);
    case 'region': {
      const b = geometryBounds(g);
      return Math.max(b.maxX - b.minX, b.maxY - b.minY);
    }
    default: {
      let minX = Infinity;
      let maxX = -Infinity;
      let minY = Infinity;
      let maxY = -Infinity;
      for (const p of g.points) {
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      }
      return Math.max(maxX - minX, maxY - minY);
    }
  }
}

/** Where a shape's dot and label go: the point itself, or the first vertex / corner. */
export function anchor(g: Geometry): readonly [number, number] {
  switch (g.type) {
    case 'point':
      return g.point;
    case 'rectangle':
      return [g.max[0], g.min[1]];
    case 'ellipse':
      return [g.center[0] + g.rx, g.center[1] - g.ry];
    case 'region':
      return g.polygons[0]![0]![0]!;
    default:
      return g.points[0]!;
  }
}

function makeCanvas(side: number): OffscreenCanvas | HTMLCanvasElement {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(side, side);
  const c = document.createElement('canvas');
  c.width = side;
  c.height = side;
  return c;
}
