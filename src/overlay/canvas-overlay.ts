import type { Geometry } from '../model/annotation';
import { geometryBounds, lengthUm, outline, rings } from '../model/annotation';
import type { ChangeSet } from '../model/store';
import { MarkPainter, anchor } from './mark-painter';
import { TextIndex } from './text-index';
import { OverlayTiles } from './overlay-tiles';
import type { TileStats } from './overlay-tiles';
import type { AnnotationClass } from '../model/classes';
import type { AnnotationStore } from '../model/store';
import { formatLength } from '../model/optics';
import type { Draft } from '../tools/types';
import type { AnnotationIndex } from './spatial-index';
import type { DensityGrid } from './density-grid';

/** What the overlay needs from a viewer (the OpenSeadragon adapter implements it). */
export interface OverlayHost {
  readonly element: HTMLElement;
  /** Where the layer attaches if not on `element` (under the viewer's navigator and controls). */
  readonly layerParent?: HTMLElement;
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
  /** The user chose the density view (cells sized by count) over marks. */
  readonly density?: boolean;
}

/**
 * A Canvas 2D layer over the viewer. The bulk of the annotations come from painted tiles
 * (overlay-tiles.ts): every one drawn as a mark, and a frame over 20,000 of them composites a
 * few dozen images. What changes from moment to moment is drawn live on top, in screen
 * pixels: the selection, a tour step's highlighted shapes, unsaved marks, labels, rulers and
 * the draft. A density view (cells sized by count) is an option the user turns on.
 */
export class CanvasOverlay {
  readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private frame = 0;
  private state: OverlayState;
  private readonly painter: MarkPainter;
  private readonly tiles: OverlayTiles;
  /** Annotations drawn live because they carry text (labels, ruler lengths). */
  private readonly texts: TextIndex;
  /** Those kept out of the tiles at the last paint (selected, unsaved, highlighted). */
  private live: ReadonlySet<string> = new Set();
  private styleKey = '';
  private readonly unsubscribe: () => void;
  private budgetStamp = NaN;
  private budgetSpent = 0;
  private drawStamp = NaN;
  /** Called once, the first time every tile of the view is painted. */
  private whenComplete: (() => void) | undefined;
  /** Time (ms) the last frame spent drawing this layer, and painting its tiles; read by the benchmark. */
  lastDrawMs = 0;
  /** What the last frame drew: 'marks' (all tiles there), 'marks+stale' (some shown from another zoom step while painted), or 'density'. */
  lastMode: 'marks' | 'marks+stale' | 'density' = 'marks';

  constructor(
    private readonly host: OverlayHost,
    private readonly store: AnnotationStore,
    private readonly index: AnnotationIndex,
    initial: OverlayState,
    /** The density view, built when the user first asks for it (none while the slide's size is unknown). */
    private readonly density?: () => DensityGrid | undefined,
  ) {
    this.state = initial;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'lamina-annotation-layer';
    Object.assign(this.canvas.style, { position: 'absolute', inset: '0', width: '100%', height: '100%', pointerEvents: 'none', zIndex: host.layerParent ? 'auto' : '2' });
    (host.layerParent ?? host.element).appendChild(this.canvas);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    this.ctx = ctx;
    this.painter = new MarkPainter(store);
    this.tiles = new OverlayTiles(this.painter, (b, out) => index.search(b, out));
    this.texts = new TextIndex(store.all());
    this.live = liveSet(initial);
    this.styleKey = styleKey(initial);
    this.unsubscribe = store.subscribe((cs) => this.changed(cs));
  }

  update(state: Partial<OverlayState>): void {
    this.state = { ...this.state, ...state };
    const key = styleKey(this.state);
    if (key !== this.styleKey) {
      this.styleKey = key;
      this.tiles.clear();
    }
    // Shapes that join or leave the live layer are repainted in or out of their tiles.
    const live = liveSet(this.state);
    for (const id of this.live) if (!live.has(id)) this.dropAround(id);
    for (const id of live) if (!this.live.has(id)) this.dropAround(id);
    this.live = live;
    this.requestDraw();
  }

  /** Calls `cb` once the view's marks are all painted (at once if they are). */
  onceComplete(cb: () => void): void {
    this.whenComplete = cb;
    this.draw();
  }

  requestDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Painted tiles held (tests read it). */
  get tileCount(): number {
    return this.tiles.size;
  }

  /** Bytes the painted tiles' canvases hold, outside the JS heap (the benchmark reports it). */
  get tileBytes(): number {
    return this.tiles.bytes;
  }

  /** Milliseconds the last frame spent painting tiles, over all its draws. */
  get framePaintMs(): number {
    return this.budgetSpent;
  }

  /** How the last frame's tiles went (the benchmark reads it). */
  get tileStats(): Readonly<TileStats> {
    return this.tiles.stats;
  }

  private changed(cs: ChangeSet): void {
    // A large import repaints everything; a few edits repaint only the tiles they touch.
    if (cs.created.length + cs.updated.length + cs.deleted.length > 500) this.tiles.clear();
    else {
      for (const a of cs.created) this.tiles.invalidate(geometryBounds(a.geometry));
      for (const a of cs.deleted) this.tiles.invalidate(geometryBounds(a.geometry));
      for (const { before, after } of cs.updated) {
        if (before.geometry === after.geometry && before.classId === after.classId) continue;
        this.tiles.invalidate(geometryBounds(before.geometry));
        this.tiles.invalidate(geometryBounds(after.geometry));
      }
    }
    this.texts.apply(cs);
  }

  private dropAround(id: string): void {
    const a = this.store.get(id);
    if (a) this.tiles.invalidate(geometryBounds(a.geometry));
  }

  /**
   * Draws a frame. Tiles missing at the view's zoom step are painted for up to `budgetMs`
   * (the first frame of a slide paints them all); if some remain, another frame follows.
   */
  draw(budgetMs = 8): void {
    const t0 = performance.now();
    // One budget per frame, however many times a frame draws (OpenSeadragon's viewport event
    // and this layer's own frame callback can both land in one).
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    const stamp = Number(document.timeline?.currentTime ?? t0);
    if (stamp !== this.budgetStamp) {
      this.budgetStamp = stamp;
      this.budgetSpent = 0;
    }
    const budget = Math.max(0, budgetMs - this.budgetSpent);
    const dpr = window.devicePixelRatio || 1;
    const w = this.host.element.clientWidth;
    const h = this.host.element.clientHeight;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    const ctx = this.ctx;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    const t = this.host.imageToViewerElementTransform();
    const [a, b, c, d, e, f] = t;
    const scale = Math.hypot(a, b); // screen px per image px
    const vb = this.host.visibleImageBounds();
    const { classes, hidden, selected, unsaved } = this.state;
    const highlighted = this.state.highlighted ?? NO_IDS;
    // With a tour step's annotations standing out, everything else is drawn faint.
    const style = { classes, hidden, alpha: highlighted.size > 0 ? 0.3 : 1 };
    const grid = this.state.density ? this.density?.() : undefined;
    if (grid) {
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      this.drawDensity(grid, w, h, a, b, c, d, e, f, scale);
      this.lastMode = 'density';
      const cb = this.whenComplete;
      this.whenComplete = undefined;
      cb?.();
    } else {
      const live = this.live;
      const complete = this.tiles.draw(ctx, { t, w, h, dpr, bounds: vb }, style, (id) => live.has(id), budget);
      this.budgetSpent += this.tiles.stats.paintMs;
      this.lastMode = complete ? 'marks' : 'marks+stale';
      if (!complete) this.requestDraw();
      else if (this.whenComplete) {
        const cb = this.whenComplete;
        this.whenComplete = undefined;
        cb();
      }
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const tx = (x: number, y: number): number => a * x + c * y + e;
    const ty = (x: number, y: number): number => b * x + d * y + f;
    for (const id of this.live) {
      const an = this.store.get(id);
      if (!an || hidden.has(an.classId)) continue;
      const lb = geometryBounds(an.geometry);
      if (lb.maxX < vb.minX || lb.minX > vb.maxX || lb.maxY < vb.minY || lb.minY > vb.maxY) continue;
      if (highlighted.has(id)) this.halo(an.geometry, tx, ty);
      this.drawShape(an.geometry, classes.get(an.classId)?.colour ?? '#888', id === selected || highlighted.has(id), tx, ty, unsaved.has(id));
    }
    // Text on top of everything, for what is in view (and not too much of it to read).
    const shown = (id: string): boolean => {
      const an = this.store.get(id);
      return !!an && !hidden.has(an.classId);
    };
    for (const id of this.texts.inView(vb, shown)) {
      const an = this.store.get(id);
      if (!an) continue;
      const bx = geometryBounds(an.geometry);
      if (an.label) {
        const o = anchor(an.geometry);
        this.label(an.label, tx(o[0], o[1]) + 8, ty(o[0], o[1]) - 8);
      }
      if (an.geometry.type === 'line' && Math.hypot(bx.maxX - bx.minX, bx.maxY - bx.minY) * scale > 40) this.rulerLabel(an.geometry, tx, ty);
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
    // Summed over the frame: a frame that draws twice reports both.
    this.lastDrawMs = (stamp === this.drawStamp ? this.lastDrawMs : 0) + performance.now() - t0;
    this.drawStamp = stamp;
    this.drawn++;
  }

  /**
   * The density view: one dot per occupied grid cell and class, sized by how many it holds.
   * Cost depends on the screen, not on the number of annotations.
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
    this.unsubscribe();
    this.tiles.clear();
    this.canvas.remove();
  }
}

const NO_IDS: ReadonlySet<string> = new Set();

/** Selected, highlighted and (while few) unsaved annotations: drawn live, kept out of the tiles. */
function liveSet(st: OverlayState): ReadonlySet<string> {
  const out = new Set<string>();
  if (st.selected) out.add(st.selected);
  for (const id of st.highlighted ?? NO_IDS) out.add(id);
  if (st.unsaved.size <= 2000) for (const id of st.unsaved) out.add(id);
  return out;
}

/** What the tiles' pixels depend on besides the annotations: colours, hidden classes, fading. */
function styleKey(st: OverlayState): string {
  let k = (st.highlighted?.size ?? 0) > 0 ? 'faded' : 'plain';
  for (const [id, c] of st.classes) k += `|${id}:${c.colour}`;
  for (const id of [...st.hidden].sort()) k += `|-${id}`;
  return k;
}

