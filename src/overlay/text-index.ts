import RBush from 'rbush';
import type { Annotation } from '../model/annotation';
import { annotationBounds, flatType } from '../model/flat-geometry';
import type { Bounds } from '../model/geometry';
import type { ChangeSet } from '../model/store';

/**
 * The annotations that carry text on screen (a label, or a ruler's length), in an R-tree of
 * their own: each frame finds those in view in O(log n + k), however many a slide has, instead
 * of looking at every labelled annotation (a trainee who labels each of 5,000 mitoses).
 */

interface Item extends Bounds {
  readonly id: string;
}

/** Labels drawn at most in one frame: more would be an unreadable blur of text. */
const MAX_LABELS = 500;

function hasText(a: Annotation): boolean {
  // A shape read flat from a snapshot keeps its geometry unbuilt: its type is read flat too.
  return a.label !== '' || (flatType(a) ?? a.geometry.type) === 'line';
}

export class TextIndex {
  private readonly tree = new RBush<Item>();
  private readonly items = new Map<string, Item>();

  constructor(all: Iterable<Annotation>) {
    const load: Item[] = [];
    for (const a of all) if (hasText(a)) load.push(this.item(a));
    this.tree.load(load);
  }

  private item(a: Annotation): Item {
    const it = { ...annotationBounds(a), id: a.id };
    this.items.set(a.id, it);
    return it;
  }

  private remove(id: string): void {
    const it = this.items.get(id);
    if (!it) return;
    this.tree.remove(it);
    this.items.delete(id);
  }

  /** Follows one change of the store. */
  apply(cs: ChangeSet): void {
    for (const a of cs.deleted) this.remove(a.id);
    for (const { before, after } of cs.updated) {
      this.remove(before.id);
      if (hasText(after)) this.tree.insert(this.item(after));
    }
    for (const a of cs.created) if (hasText(a)) this.tree.insert(this.item(a));
  }

  /**
   * Ids of labelled annotations meeting `view` that `shown` lets through (hidden classes are
   * not, so they take no place). Past `max`, the largest (by bounding box) are kept: a region's
   * name stays while a crowd of labelled points is too dense to read.
   */
  inView(view: Bounds, shown: (id: string) => boolean = () => true, max = MAX_LABELS): string[] {
    const found = this.tree.search(view).filter((it) => shown(it.id));
    if (found.length > max) {
      const size = (b: Bounds): number => (b.maxX - b.minX) * (b.maxY - b.minY);
      found.sort((p, q) => size(q) - size(p));
      found.length = max;
    }
    return found.map((it) => it.id);
  }
}
