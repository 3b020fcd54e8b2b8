import Flatbush from 'flatbush';
import RBush from 'rbush';
import type { Annotation } from '../model/annotation';
import { containsPoint, geometryBounds, isArea, outline, rings } from '../model/annotation';
import { annotationBounds, flatBounds } from '../model/flat-geometry';
import type { Bounds, Pt } from '../model/geometry';
import { area, distanceToSegment } from '../model/geometry';
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

/**
 * Two trees: the slide as loaded in a packed Flatbush (built for 100k in a few tens of ms,
 * against ~200 ms for an R-tree bulk load, but it cannot change), and an R-tree for what
 * changes after. An edited or deleted annotation leaves a "gone" mark on the packed tree.
 */
export class AnnotationIndex {
  private readonly packed: Flatbush | undefined;
  private readonly packedIds: string[];
  /** Ids in the packed tree that no longer stand for their entry there. */
  private readonly gone = new Set<string>();
  private readonly tree = new RBush<Item>();
  private readonly items = new Map<string, Item>();
  private readonly unsubscribe: () => void;

  constructor(private readonly store: AnnotationStore) {
    const all = store.all();
    this.packedIds = all.map((a) => a.id);
    if (all.length > 0) {
      const fb = new Flatbush(all.length);
      const box = new Float64Array(4);
      for (const a of all) {
        if (flatBounds(a, box)) fb.add(box[0]!, box[1]!, box[2]!, box[3]!);
        else {
          const b = geometryBounds(a.geometry);
          fb.add(b.minX, b.minY, b.maxX, b.maxY);
        }
      }
      fb.finish();
      this.packed = fb;
    }
    this.unsubscribe = store.subscribe((cs) => {
      for (const a of cs.deleted) this.remove(a.id);
      for (const u of cs.updated) {
        this.remove(u.before.id);
        this.insert(u.after);
      }
      if (cs.created.length > BULK_LOAD_FROM) this.load(cs.created);
      else for (const a of cs.created) this.insert(a);
    });
  }

  /** Many at once (an import): the R-tree's bulk load is several times faster than inserting them one by one. */
  private load(list: readonly Annotation[]): void {
    const items = list.map((a) => {
      const b = annotationBounds(a);
      const item = { minX: b.minX, minY: b.minY, maxX: b.maxX, maxY: b.maxY, id: a.id };
      this.items.set(a.id, item);
      return item;
    });
    this.tree.load(items);
  }

  private insert(a: Annotation): void {
    const b = annotationBounds(a);
    const item = { minX: b.minX, minY: b.minY, maxX: b.maxX, maxY: b.maxY, id: a.id };
    this.items.set(a.id, item);
    this.tree.insert(item);
  }

  private remove(id: string): void {
    const it = this.items.get(id);
    if (it) {
      this.tree.remove(it);
      this.items.delete(id);
    } else this.gone.add(id); // it was in the packed tree
  }

  /** Ids of annotations whose bounds meet the box, in no particular order. */
  search(b: Bounds, out: string[] = []): string[] {
    out.length = 0;
    if (this.packed) {
      const found = this.packed.search(b.minX, b.minY, b.maxX, b.maxY);
      for (const i of found) {
        const id = this.packedIds[i]!;
        if (this.gone.size === 0 || !this.gone.has(id)) out.push(id);
      }
    }
    for (const it of this.tree.search(b)) out.push(it.id);
    return out;
  }

  /**
   * The annotation under (x, y), within `tol` image pixels of a point, line or edge, or inside
   * an area. Smaller shapes win over larger ones (a mitosis inside a necrosis zone is pickable).
   */
  hitTest(x: number, y: number, tol: number): string | undefined {
    const cands = this.search({ minX: x - tol, minY: y - tol, maxX: x + tol, maxY: y + tol }, this.candidates);
    let best: string | undefined;
    let bestScore = Infinity;
    const p: Pt = [x, y];
    for (const c of cands) {
      const a = this.store.get(c);
      if (!a) continue;
      const g = a.geometry;
      let score = Infinity;
      if (g.type === 'point') {
        const d = Math.hypot(g.point[0] - x, g.point[1] - y);
        if (d <= tol) score = -1e12 + d; // points first
      } else {
        let edge = Infinity;
        const closed = isArea(g);
        for (const o of rings(g)) for (let i = 1; i < o.length + (closed ? 1 : 0); i++) edge = Math.min(edge, distanceToSegment(p, o[i - 1]!, o[i % o.length]!));
        if (edge <= tol) score = -1e9 + edge;
        else if (closed && containsPoint(g, x, y)) score = area(outline(g));
      }
      if (score < bestScore) {
        bestScore = score;
        best = a.id;
      }
    }
    return best;
  }

  private readonly candidates: string[] = [];

  destroy(): void {
    this.unsubscribe();
  }
}

const BULK_LOAD_FROM = 1000;
