import RBush from 'rbush';
import type { Annotation } from '../model/annotation';
import { geometryBounds, isArea, outline } from '../model/annotation';
import type { Bounds, Pt } from '../model/geometry';
import { area, distanceToSegment, pointInPolygon } from '../model/geometry';
import type { AnnotationStore } from '../model/store';

/**
 * An R-tree over one slide's annotations, kept in step with the store: viewport culling for
 * drawing and candidate search for hit tests are O(log n + k), not O(n).
 */

interface Item {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  id: string;
}

export class AnnotationIndex {
  private readonly tree = new RBush<Item>();
  private readonly items = new Map<string, Item>();
  private readonly unsubscribe: () => void;

  constructor(private readonly store: AnnotationStore) {
    const all = store.all().map((a) => this.itemFor(a));
    this.tree.load(all); // bulk load: far faster than inserting 100k one by one
    this.unsubscribe = store.subscribe((cs) => {
      for (const a of cs.deleted) this.remove(a.id);
      for (const u of cs.updated) {
        this.remove(u.before.id);
        this.tree.insert(this.itemFor(u.after));
      }
      for (const a of cs.created) this.tree.insert(this.itemFor(a));
    });
  }

  private itemFor(a: Annotation): Item {
    const g = a.geometry;
    // Points are most marks: skip the generic bounds (and its allocation) for them.
    const b = g.type === 'point' ? { minX: g.point[0], minY: g.point[1], maxX: g.point[0], maxY: g.point[1] } : geometryBounds(g);
    const item = { minX: b.minX, minY: b.minY, maxX: b.maxX, maxY: b.maxY, id: a.id };
    this.items.set(a.id, item);
    return item;
  }

  private remove(id: string): void {
    const it = this.items.get(id);
    if (!it) return;
    this.tree.remove(it);
    this.items.delete(id);
  }

  /** Ids of annotations whose bounds meet the box, in no particular order. */
  search(b: Bounds, out: string[] = []): string[] {
    out.length = 0;
    for (const it of this.tree.search(b)) out.push(it.id);
    return out;
  }

  /**
   * The annotation under (x, y), within `tol` image pixels of a point, line or edge, or inside
   * an area. Smaller shapes win over larger ones (a mitosis inside a necrosis zone is pickable).
   */
  hitTest(x: number, y: number, tol: number): string | undefined {
    const cands = this.tree.search({ minX: x - tol, minY: y - tol, maxX: x + tol, maxY: y + tol });
    let best: string | undefined;
    let bestScore = Infinity;
    const p: Pt = [x, y];
    for (const c of cands) {
      const a = this.store.get(c.id);
      if (!a) continue;
      const g = a.geometry;
      let score = Infinity;
      if (g.type === 'point') {
        const d = Math.hypot(g.point[0] - x, g.point[1] - y);
        if (d <= tol) score = -1e12 + d; // points first
      } else {
        const o = outline(g);
        let edge = Infinity;
        const closed = isArea(g);
        for (let i = 1; i < o.length + (closed ? 1 : 0); i++) edge = Math.min(edge, distanceToSegment(p, o[i - 1]!, o[i % o.length]!));
        if (edge <= tol) score = -1e9 + edge;
        else if (closed && pointInPolygon(x, y, o)) score = area(o);
      }
      if (score < bestScore) {
        bestScore = score;
        best = a.id;
      }
    }
    return best;
  }

  get size(): number {
    return this.items.size;
  }

  destroy(): void {
    this.unsubscribe();
  }
}
