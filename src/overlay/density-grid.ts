import type { Annotation } from '../model/annotation';
import { flatAnchor } from '../model/flat-geometry';
import type { AnnotationStore } from '../model/store';

/**
 * Counts of annotations per class on coarse grids of the slide (one per level of detail),
 * kept in step with the store. When the view holds thousands of annotations, the overlay draws
 * these cells instead of the annotations: the cost of a frame then depends on the screen, not
 * on whether the slide holds 1k or 100k marks.
 */

/** Cell sizes in full-resolution image pixels, finest first. */
export const DENSITY_LEVELS = [128, 512, 2048, 8192] as const;

interface Level {
  readonly cell: number;
  readonly cols: number;
  readonly rows: number;
  readonly counts: Map<string, Uint32Array>;
}

export class DensityGrid {
  readonly levels: Level[];
  private readonly unsubscribe: () => void;

  constructor(
    store: AnnotationStore,
    readonly width: number,
    readonly height: number,
  ) {
    this.levels = DENSITY_LEVELS.map((cell) => ({ cell, cols: Math.ceil(width / cell) + 1, rows: Math.ceil(height / cell) + 1, counts: new Map() }));
    for (const a of store.all()) this.add(a, 1);
    this.unsubscribe = store.subscribe((cs) => {
      for (const a of cs.deleted) this.add(a, -1);
      for (const u of cs.updated) {
        this.add(u.before, -1);
        this.add(u.after, 1);
      }
      for (const a of cs.created) this.add(a, 1);
    });
  }

  private add(a: Annotation, delta: number): void {
    const [x, y] = anchorOf(a);
    for (const lv of this.levels) {
      const i = Math.floor(x / lv.cell);
      const j = Math.floor(y / lv.cell);
      if (i < 0 || j < 0 || i >= lv.cols || j >= lv.rows) continue;
      let arr = lv.counts.get(a.classId);
      if (!arr) lv.counts.set(a.classId, (arr = new Uint32Array(lv.cols * lv.rows)));
      arr[j * lv.cols + i] = arr[j * lv.cols + i]! + delta;
    }
  }

  /** Annotations (of shown classes) whose anchor is in the box, counted on the coarsest grid. */
  estimate(minX: number, minY: number, maxX: number, maxY: number, hidden: ReadonlySet<string>): number {
    const lv = this.levels[this.levels.length - 1]!;
    const i0 = Math.max(0, Math.floor(minX / lv.cell));
    const j0 = Math.max(0, Math.floor(minY / lv.cell));
    const i1 = Math.min(lv.cols - 1, Math.floor(maxX / lv.cell));
    const j1 = Math.min(lv.rows - 1, Math.floor(maxY / lv.cell));
    let n = 0;
    for (const [cls, arr] of lv.counts) {
      if (hidden.has(cls)) continue;
      for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) n += arr[j * lv.cols + i]!;
    }
    return n;
  }

  /** The finest level whose cells are at least `minScreenPx` on screen. */
  levelFor(screenPxPerImagePx: number, minScreenPx: number): Level {
    for (const lv of this.levels) if (lv.cell * screenPxPerImagePx >= minScreenPx) return lv;
    return this.levels[this.levels.length - 1]!;
  }

  destroy(): void {
    this.unsubscribe();
  }
}

/** The point a mark is counted at: the point itself, or the middle of a shape's first edge run. */
export function anchorOf(a: Annotation): readonly [number, number] {
  const known = flatAnchor(a);
  if (known) return known;
  const g = a.geometry;
  switch (g.type) {
    case 'point':
      return g.point;
    case 'rectangle':
      return [(g.min[0] + g.max[0]) / 2, (g.min[1] + g.max[1]) / 2];
    case 'ellipse':
      return g.center;
    default: {
      let x = 0;
      let y = 0;
      const pts = g.type === 'region' ? g.polygons[0]![0]! : g.points;
      for (const p of pts) {
        x += p[0];
        y += p[1];
      }
      return [x / pts.length, y / pts.length];
    }
  }
}
