import type { Annotation, Geometry } from '../model/annotation';
import { geometryBounds, lengthUm, outline, rings } from '../model/annotation';
import type { AnnotationClass } from '../model/classes';
import type { AnnotationStore } from '../model/store';
import { formatLength } from '../model/optics';
import type { Draft } from '../tools/types';
import type { AnnotationIndex } from './spatial-index';
import type { DensityGrid } from './density-grid';

/** What the overlay needs from a viewer (the OpenSeadragon adapter implements it). */
export interface OverlayHost {
  readonly element: HTMLElement;
  imageToViewerElementTransform(): [number, number, number, number, number, number];
  visibleImageBounds(): { minX: number; minY: number; maxX: number; maxY: number };
  /** µm per full-resolution image pixel, for ruler labels. */
  readonly mpp: number;
}

export interface OverlayState {
  readonly classes: ReadonlyMap<string, AnnotationClass>;
  readonly hidden: ReadonlySet<string>;
  readonly selected: string | undefined;
  readonly draft: Draft | undefined;
  readonly unsaved: ReadonlySet<string>;
  /** A tour step's annotations: drawn to stand out, the others faded. */
  readonly highlighted?: ReadonlySet<string>;
}

/** Above this many marks in view, draw density cells instead of marks. */
const AGGREGATE_OVER = 5000;

/** Shapes smaller than this on screen are drawn as a dot: 100k outlines at overview zoom are noise. */
const DOT_PX = 4;

/**
 * A Canvas 2D layer over the viewer. Draws only what the R-tree says is in view, transforms
 * vertices to screen pixels by hand (no per-frame allocation beyond the reused id list), and
 * redraws at most once per animation frame.
 */
export class CanvasOverlay {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private frame = 0;
  private readonly ids: string[] = [];
  private state: OverlayState;
  /** Time (ms) the last frame took to draw; read by the benchmark. */
  lastDrawMs = 0;

  constructor(
    private readonly host: OverlayHost,
    private readonly store: AnnotationStore,
    private readonly index: AnnotationIndex,
    initial: OverlayState,
    private readonly density?: DensityGrid,
  ) {
    this.state = initial;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'lamina-annotation-layer';
    Object.assign(this.canvas.style, { position: 'absolute', inset: '0', width: '100%', height: '100%', pointerEvents: 'none', zIndex: '2' });
    host.element.appendChild(this.canvas);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
  }

  update(state: Partial<OverlayState>): void {
    this.state = { ...this.state, ...state };
    this.requestDraw();
  }

  requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Per-class buckets, reused frame to frame (no per-frame allocation on the hot path). */
  private readonly buckets = new Map<string, { points: Annotation[]; shapes: Annotation[]; dots: Annotation[] }>();
  private readonly labelled: Annotation[] = [];
  private readonly special: Annotation[] = [];
  private gridCells = new Uint8Array(0);

  private bucket(classId: string): { points: Annotation[]; shapes: Annotation[]; dots: Annotation[] } {
    let b = this.buckets.get(classId);
    if (!b) this.buckets.set(classId, (b = { points: [], shapes: [], dots: [] }));
    return b;
  }

  draw(): void {
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const w = this.host.element.clientWidth;
    const h = this.host.element.clientHeight;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const [a, b, c, d, e, f] = this.host.imageToViewerElementTransform();
    const scale = Math.hypot(a, b); // screen px per image px
    const vb = this.host.visibleImageBounds();
    const pad = 20 / scale;
    const { hidden: hiddenNow } = this.state;
    if (this.density && this.density.estimate(vb.minX, vb.minY, vb.maxX, vb.maxY, hiddenNow) > AGGREGATE_OVER) {
      this.drawDensity(this.density, w, h, a, b, c, d, e, f, scale);
      this.lastDrawMs = performance.now() - t0;
      this.drawn++;
      return;
    }
    this.index.search({ minX: vb.minX - pad, minY: vb.minY - pad, maxX: vb.maxX + pad, maxY: vb.maxY + pad }, this.ids);
    const { classes, hidden, selected, unsaved } = this.state;
    const highlighted = this.state.highlighted ?? NO_IDS;
    // With a tour step's annotations standing out, everything else is drawn faint.
    const base = highlighted.size > 0 ? 0.3 : 1;
    for (const bk of this.buckets.values()) {
      bk.points.length = 0;
      bk.shapes.length = 0;
      bk.dots.length = 0;
    }
    this.labelled.length = 0;
    this.special.length = 0;
    // Many points in view: draw them as a density of dots, one per occupied 3 px cell and class.
    const crowded = this.ids.length > 4000;
    // Crowded views draw small shapes as dots up to a larger size: outlines of 10k shapes a few
    // pixels wide are unreadable anyway, and they cost most of a frame.
    const dotPx = this.ids.length > 1500 ? DOT_PX * 3 : DOT_PX;
    for (const id of this.ids) {
      const an = this.store.get(id);
      if (!an || hidden.has(an.classId)) continue;
      if (an.label) this.labelled.push(an);
      if (id === selected || unsaved.has(id) || highlighted.has(id)) {
        this.special.push(an);
        continue;
      }
      const g = an.geometry;
      const bk = this.bucket(an.classId);
      if (g.type === 'point') (crowded ? bk.dots : bk.points).push(an);
      else if (approxScreenSize(g) * scale < dotPx) bk.dots.push(an);
      else bk.shapes.push(an);
    }
    const cellPx = 3;
    const gw = Math.ceil(w / cellPx) + 1;
    const gh = Math.ceil(h / cellPx) + 1;
    if (this.gridCells.length < gw * gh) this.gridCells = new Uint8Array(gw * gh);
    ctx.lineJoin = 'round';
    ctx.globalAlpha = base;
    for (const [classId, bk] of this.buckets) {
      const colour = classes.get(classId)?.colour ?? '#888';
      if (bk.dots.length) {
        // One rect per occupied cell: 100k dots cost as much as the screen has cells.
        const cells = this.gridCells;
        cells.fill(0, 0, gw * gh);
        ctx.fillStyle = colour;
        ctx.beginPath();
        for (const an of bk.dots) {
          const o = anchor(an.geometry);
          const x = a * o[0] + c * o[1] + e;
          const y = b * o[0] + d * o[1] + f;
          if (x < -2 || y < -2 || x > w + 2 || y > h + 2) continue;
          const k = ((y / cellPx) | 0) * gw + ((x / cellPx) | 0);
          if (cells[k]) continue;
          cells[k] = 1;
          ctx.rect(x - 1.5, y - 1.5, 3, 3);
        }
        ctx.fill();
      }
      if (bk.points.length) {
        ctx.beginPath();
        for (const an of bk.points) {
          const g = an.geometry as Geometry & { type: 'point' };
          const x = a * g.point[0] + c * g.point[1] + e;
          const y = b * g.point[0] + d * g.point[1] + f;
          ctx.moveTo(x + 6, y);
          ctx.arc(x, y, 6, 0, Math.PI * 2);
        }
        ctx.fillStyle = colour;
        ctx.globalAlpha = 0.35 * base;
        ctx.fill();
        ctx.globalAlpha = base;
        ctx.strokeStyle = colour;
        ctx.lineWidth = 2;
        ctx.stroke();
      }
      if (bk.shapes.length) {
        ctx.beginPath();
        for (const an of bk.shapes) this.tracePath(an.geometry, a, b, c, d, e, f);
        // A translucent fill over thousands of overlapping outlines is the costliest thing on a
        // software rasteriser; past a few hundred shapes the outlines say enough.
        if (bk.shapes.length < 400) {
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
    const tx = (x: number, y: number): number => a * x + c * y + e;
    const ty = (x: number, y: number): number => b * x + d * y + f;
    for (const an of this.special) {
      if (highlighted.has(an.id)) this.halo(an.geometry, tx, ty);
      this.drawShape(an.geometry, classes.get(an.classId)?.colour ?? '#888', an.id === selected || highlighted.has(an.id), tx, ty, unsaved.has(an.id));
    }
    if (this.labelled.length < 500) {
      for (const an of this.labelled) {
        const o = anchor(an.geometry);
        this.label(an.label, tx(o[0], o[1]) + 8, ty(o[0], o[1]) - 8);
      }
    }
    for (const bk of this.buckets.values()) {
      if (bk.shapes.length > 200) continue;
      for (const an of bk.shapes) if (an.geometry.type === 'line') this.rulerLabel(an.geometry, tx, ty);
    }
    const draft = this.state.draft;
    if (draft) {
      const colour = '#00b4ff';
      ctx.setLineDash([6, 4]);
      if (draft.type === 'path') {
        ctx.strokeStyle = colour;
        ctx.lineWidth = 2;
        ctx.beginPath();
        draft.points.forEach((p, i) => (i ? ctx.lineTo(tx(p[0], p[1]), ty(p[0], p[1])) : ctx.moveTo(tx(p[0], p[1]), ty(p[0], p[1]))));
        ctx.stroke();
        for (const p of draft.points) ctx.strokeRect(tx(p[0], p[1]) - 3, ty(p[0], p[1]) - 3, 6, 6);
      } else {
        this.drawShape(draft, colour, false, tx, ty, false);
        if (draft.type === 'line') this.rulerLabel(draft, tx, ty);
      }
      ctx.setLineDash([]);
    }
    this.lastDrawMs = performance.now() - t0;
    this.drawn++;
  }

  /**
   * Thousands of marks in view: one dot per occupied grid cell and class, sized by how many it
   * holds. Cost depends on the screen, not on the number of annotations.
   */
  private drawDensity(grid: DensityGrid, w: number, h: number, a: number, b: number, c: number, d: number, e: number, f: number, scale: number): void {
    const ctx = this.ctx;
    const lv = grid.levelFor(scale, 3);
    const vb = this.host.visibleImageBounds();
    const i0 = Math.max(0, Math.floor(vb.minX / lv.cell));
    const j0 = Math.max(0, Math.floor(vb.minY / lv.cell));
    const i1 = Math.min(lv.cols - 1, Math.floor(vb.maxX / lv.cell));
    const j1 = Math.min(lv.rows - 1, Math.floor(vb.maxY / lv.cell));
    const { classes, hidden } = this.state;
    const half = lv.cell / 2;
    for (const [cls, counts] of lv.counts) {
      if (hidden.has(cls)) continue;
      ctx.fillStyle = classes.get(cls)?.colour ?? '#888';
      ctx.beginPath();
      for (let j = j0; j <= j1; j++) {
        for (let i = i0; i <= i1; i++) {
          const n = counts[j * lv.cols + i]!;
          if (n === 0) continue;
          const ix = i * lv.cell + half;
          const iy = j * lv.cell + half;
          const x = a * ix + c * iy + e;
          const y = b * ix + d * iy + f;
          if (x < -4 || y < -4 || x > w + 4 || y > h + 4) continue;
          const r = n > 20 ? 2.5 : n > 4 ? 2 : 1.5;
          ctx.rect(x - r, y - r, 2 * r, 2 * r);
        }
      }
      ctx.fill();
    }
  }

  /** Frames drawn so far (the benchmark and tests read it). */
  drawn = 0;

  /** Adds a shape's outline to the current path, in screen pixels, without allocating. */
  private tracePath(g: Geometry, a: number, b: number, c: number, d: number, e: number, f: number): void {
    const ctx = this.ctx;
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
        ctx.moveTo(x + g.rx * s * Math.cos(Math.atan2(b, a)), y + g.rx * s * Math.sin(Math.atan2(b, a)));
        ctx.ellipse(x, y, g.rx * s, g.ry * s, Math.atan2(b, a), 0, Math.PI * 2);
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

  private drawShape(g: Geometry, colour: string, selected: boolean, tx: (x: number, y: number) => number, ty: (x: number, y: number) => number, unsaved: boolean): void {
    const ctx = this.ctx;
    ctx.strokeStyle = colour;
    ctx.lineWidth = selected ? 3 : 2;
    if (unsaved) ctx.setLineDash([3, 3]);
    if (g.type === 'point') {
      const x = tx(g.point[0], g.point[1]);
      const y = ty(g.point[0], g.point[1]);
      ctx.beginPath();
      ctx.arc(x, y, selected ? 8 : 6, 0, Math.PI * 2);
      ctx.fillStyle = colour;
      ctx.globalAlpha = 0.35;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.stroke();
      ctx.strokeStyle = 'rgba(255,255,255,0.9)';
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.arc(x, y, (selected ? 8 : 6) + 2, 0, Math.PI * 2);
      ctx.stroke();
    } else {
      const o = outline(g);
      ctx.beginPath();
      for (const ring of rings(g)) {
        for (let i = 0; i < ring.length; i++) {
          const x = tx(ring[i]![0], ring[i]![1]);
          const y = ty(ring[i]![0], ring[i]![1]);
          if (i === 0) ctx.moveTo(x, y);
          else ctx.lineTo(x, y);
        }
        if (g.type !== 'line') ctx.closePath();
      }
      if (g.type !== 'line') {
        ctx.fillStyle = colour;
        ctx.globalAlpha = selected ? 0.22 : 0.12;
        ctx.fill('evenodd');
        ctx.globalAlpha = 1;
      }
      ctx.stroke();
      if (selected && (g.type === 'polygon' || g.type === 'freehand' || g.type === 'line')) {
        ctx.fillStyle = '#fff';
        for (const p of o) {
          const x = tx(p[0], p[1]);
          const y = ty(p[0], p[1]);
          ctx.fillRect(x - 4, y - 4, 8, 8);
          ctx.strokeRect(x - 4, y - 4, 8, 8);
        }
      }
    }
    if (unsaved) ctx.setLineDash([]);
  }

  /** A broad light ring under a highlighted shape, so it reads at any zoom and on any stain. */
  private halo(g: Geometry, tx: (x: number, y: number) => number, ty: (x: number, y: number) => number): void {
    const ctx = this.ctx;
    ctx.save();
    ctx.strokeStyle = 'rgba(255, 230, 0, 0.9)';
    ctx.lineWidth = 9;
    ctx.beginPath();
    if (g.type === 'point') ctx.arc(tx(g.point[0], g.point[1]), ty(g.point[0], g.point[1]), 12, 0, Math.PI * 2);
    else
      for (const ring of rings(g)) {
        ring.forEach((p, i) => (i === 0 ? ctx.moveTo(tx(p[0], p[1]), ty(p[0], p[1])) : ctx.lineTo(tx(p[0], p[1]), ty(p[0], p[1]))));
        if (g.type !== 'line') ctx.closePath();
      }
    ctx.stroke();
    ctx.restore();
  }

  /** Canvas text: labels are drawn, never parsed, so no markup in them can run. */
  private label(text: string, x: number, y: number): void {
    const ctx = this.ctx;
    ctx.font = '600 13px system-ui, sans-serif';
    const t = text.length > 60 ? `${text.slice(0, 59)}…` : text;
    const w = ctx.measureText(t).width;
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    ctx.fillRect(x - 3, y - 13, w + 6, 17);
    ctx.fillStyle = '#111';
    ctx.fillText(t, x, y);
  }

  private rulerLabel(g: Geometry & { type: 'line' }, tx: (x: number, y: number) => number, ty: (x: number, y: number) => number): void {
    const [p, q] = g.points;
    this.label(formatLength(lengthUm(g, this.host.mpp)), (tx(p[0], p[1]) + tx(q[0], q[1])) / 2 + 6, (ty(p[0], p[1]) + ty(q[0], q[1])) / 2 - 6);
  }

  destroy(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.canvas.remove();
  }
}

const NO_IDS: ReadonlySet<string> = new Set();

function approxScreenSize(g: Geometry): number {
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
function anchor(g: Geometry): readonly [number, number] {
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
