import type { Annotation, Geometry } from '../model/annotation';
import { translate } from '../model/annotation';
import type { Pt } from '../model/geometry';
import { distance, distanceToSegment } from '../model/geometry';
import { CLICK_SLOP_PX } from './draw-tools';
import type { PointerInput, Tool, ToolHost } from './types';

/** Screen pixels within which a vertex handle or an edge is grabbed. */
export const HANDLE_PX = 7;

function vertices(g: Geometry): Pt[] | undefined {
  return g.type === 'polygon' || g.type === 'freehand' || g.type === 'line' ? g.points.slice() : undefined;
}

/** Index of the vertex of `g` nearest to p within `tol` image pixels, or -1. */
export function vertexNear(g: Geometry, p: Pt, tol: number): number {
  const vs = vertices(g);
  if (!vs) return -1;
  let best = -1;
  let bd = tol;
  vs.forEach((v, i) => {
    const d = distance(v, p);
    if (d <= bd) {
      bd = d;
      best = i;
    }
  });
  return best;
}

function withVertices(g: Geometry, pts: Pt[]): Geometry {
  if (g.type === 'line') return { type: 'line', points: [pts[0]!, pts[1]!] };
  return { type: g.type === 'freehand' ? 'freehand' : 'polygon', points: pts };
}

/**
 * Select, move and reshape: click selects (empty space deselects); drag a selected shape to
 * move it; drag a vertex to reshape; double-click an edge to add a vertex; Alt+click a vertex
 * (or Delete while dragging it) removes it; Delete removes the selection; Escape deselects.
 * States: idle → pointing → (moving | vertex) → idle.
 */
export function selectTool(host: ToolHost): Tool {
  let state: 'idle' | 'pointing' | 'moving' | 'vertex' = 'idle';
  let start: Pt = [0, 0];
  let target: Annotation | undefined;
  let vertex = -1;
  let preview: Geometry | undefined;

  return {
    get state() {
      return state;
    },
    pointer(e: PointerInput) {
      const p: Pt = [e.x, e.y];
      const tol = HANDLE_PX * e.scale;
      if (e.type === 'down') {
        start = p;
        const sel = host.selected ? host.store.get(host.selected) : undefined;
        vertex = sel ? vertexNear(sel.geometry, p, tol) : -1;
        target = vertex >= 0 ? sel : undefined;
        if (!target) {
          const id = host.hitTest(e.x, e.y, tol);
          target = id ? host.store.get(id) : undefined;
        }
        state = 'pointing';
        return;
      }
      if (e.type === 'move') {
        if (state === 'pointing' && target && distance(start, p) / e.scale > CLICK_SLOP_PX) {
          state = vertex >= 0 ? 'vertex' : 'moving';
          host.select(target.id);
        }
        if (state === 'moving' && target) {
          preview = translate(target.geometry, p[0] - start[0], p[1] - start[1]);
          host.setDraft(preview);
        } else if (state === 'vertex' && target) {
          const vs = vertices(target.geometry)!;
          vs[vertex] = p;
          preview = withVertices(target.geometry, vs);
          host.setDraft(preview);
        }
        return;
      }
      if (e.type === 'cancel') return this.cancel();
      // up
      if (state === 'moving' || state === 'vertex') {
        if (target && preview) host.replace(target, preview);
        host.setDraft(undefined);
      } else if (state === 'pointing') {
        if (target && vertex >= 0 && (e.clicks ?? 1) === 1 && e.alt === true) {
          const vs = vertices(target.geometry)!;
          const min = target.geometry.type === 'line' ? 2 : 3;
          if (vs.length > min) {
            vs.splice(vertex, 1);
            host.replace(target, withVertices(target.geometry, vs));
          }
        } else if (target && (e.clicks ?? 1) >= 2 && host.selected === target.id) {
          // Double-click on an edge of the selected polygon: a new vertex there.
          const g = target.geometry;
          if (g.type === 'polygon' || g.type === 'freehand') {
            const vs = g.points.slice();
            let bi = -1;
            let bd = tol;
            for (let i = 0; i < vs.length; i++) {
              const d = distanceToSegment(p, vs[i]!, vs[(i + 1) % vs.length]!);
              if (d <= bd) {
                bd = d;
                bi = i;
              }
            }
            if (bi >= 0) {
              vs.splice(bi + 1, 0, p);
              host.replace(target, withVertices(g, vs));
            }
          }
        } else host.select(target?.id);
      }
      state = 'idle';
      target = undefined;
      preview = undefined;
      vertex = -1;
    },
    key(k) {
      if (k === 'Escape') {
        if (state !== 'idle') this.cancel();
        else host.select(undefined);
        return true;
      }
      return false;
    },
    cancel() {
      state = 'idle';
      target = undefined;
      preview = undefined;
      host.setDraft(undefined);
    },
  };
}
