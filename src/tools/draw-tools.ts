import type { Geometry } from '../model/annotation';
import type { Pt } from '../model/geometry';
import { distance, simplify } from '../model/geometry';
import type { PointerInput, Tool, ToolHost } from './types';

/** A drag shorter than this many screen pixels is a click. */
export const CLICK_SLOP_PX = 4;

/** Point: a click drops a point (a mitosis, a nucleus). */
export function pointTool(host: ToolHost): Tool {
  let state: 'idle' | 'pointing' = 'idle';
  let start: Pt = [0, 0];
  return {
    get state() {
      return state;
    },
    pointer(e) {
      if (e.type === 'down') {
        state = 'pointing';
        start = [e.x, e.y];
      } else if (e.type === 'up' && state === 'pointing') {
        state = 'idle';
        if (distance(start, [e.x, e.y]) / e.scale <= CLICK_SLOP_PX) host.commit({ type: 'point', point: start });
      } else if (e.type === 'cancel') state = 'idle';
    },
    key: () => false,
    cancel() {
      state = 'idle';
    },
  };
}

/** Polygon: click vertices; double-click, Enter or a click on the first vertex closes it. */
export function polygonTool(host: ToolHost): Tool {
  let state: 'idle' | 'drawing' = 'idle';
  let pts: Pt[] = [];
  let hover: Pt | undefined;
  const draft = (): void => host.setDraft(pts.length ? { type: 'path', points: hover ? [...pts, hover] : pts.slice() } : undefined);
  const finish = (): void => {
    // A double-click adds its position twice; drop repeated vertices.
    const clean = pts.filter((p, i) => i === 0 || distance(p, pts[i - 1]!) > 1e-9);
    state = 'idle';
    pts = [];
    hover = undefined;
    host.setDraft(undefined);
    if (clean.length >= 3) host.commit({ type: 'polygon', points: clean });
  };
  return {
    get state() {
      return state;
    },
    pointer(e) {
      if (e.type === 'move') {
        if (state === 'drawing') {
          hover = [e.x, e.y];
          draft();
        }
        return;
      }
      if (e.type === 'cancel') return this.cancel();
      if (e.type !== 'up') return;
      const p: Pt = [e.x, e.y];
      if (state === 'drawing' && (e.clicks ?? 1) >= 2) return finish();
      if (state === 'drawing' && pts.length >= 3 && distance(p, pts[0]!) / e.scale <= CLICK_SLOP_PX * 2) return finish();
      state = 'drawing';
      pts.push(p);
      draft();
    },
    key(k) {
      if (state !== 'drawing') return false;
      if (k === 'Enter') finish();
      else if (k === 'Escape') this.cancel();
      else if (k === 'Backspace') {
        pts.pop();
        if (pts.length === 0) this.cancel();
        else draft();
      } else return false;
      return true;
    },
    cancel() {
      state = 'idle';
      pts = [];
      hover = undefined;
      host.setDraft(undefined);
    },
  };
}

/** Freehand: drag to draw; the stroke is simplified to within half a screen pixel. */
export function freehandTool(host: ToolHost): Tool {
  let state: 'idle' | 'drawing' = 'idle';
  let pts: Pt[] = [];
  let scale = 1;
  return {
    get state() {
      return state;
    },
    pointer(e) {
      if (e.type === 'down') {
        state = 'drawing';
        pts = [[e.x, e.y]];
        scale = e.scale;
      } else if (e.type === 'move' && state === 'drawing') {
        const last = pts[pts.length - 1]!;
        if (distance(last, [e.x, e.y]) / e.scale >= 1) pts.push([e.x, e.y]);
        host.setDraft({ type: 'freehand', points: pts.slice() });
      } else if (e.type === 'up' && state === 'drawing') {
        state = 'idle';
        const s = simplify(pts, 0.5 * scale);
        pts = [];
        host.setDraft(undefined);
        if (s.length >= 3) host.commit({ type: 'freehand', points: s });
      } else if (e.type === 'cancel') this.cancel();
    },
    key(k) {
      if (state === 'drawing' && k === 'Escape') {
        this.cancel();
        return true;
      }
      return false;
    },
    cancel() {
      state = 'idle';
      pts = [];
      host.setDraft(undefined);
    },
  };
}

/** Rectangle, ellipse and ruler: press, drag, release. */
export function dragShapeTool(host: ToolHost, kind: 'rectangle' | 'ellipse' | 'ruler'): Tool {
  let state: 'idle' | 'dragging' = 'idle';
  let a: Pt = [0, 0];
  const shape = (b: Pt): Geometry => {
    if (kind === 'ruler') return { type: 'line', points: [a, b] };
    const min: Pt = [Math.min(a[0], b[0]), Math.min(a[1], b[1])];
    const max: Pt = [Math.max(a[0], b[0]), Math.max(a[1], b[1])];
    if (kind === 'rectangle') return { type: 'rectangle', min, max };
    return { type: 'ellipse', center: [(min[0] + max[0]) / 2, (min[1] + max[1]) / 2], rx: (max[0] - min[0]) / 2, ry: (max[1] - min[1]) / 2 };
  };
  return {
    get state() {
      return state;
    },
    pointer(e: PointerInput) {
      if (e.type === 'down') {
        state = 'dragging';
        a = [e.x, e.y];
      } else if (e.type === 'move' && state === 'dragging') host.setDraft(shape([e.x, e.y]));
      else if (e.type === 'up' && state === 'dragging') {
        state = 'idle';
        host.setDraft(undefined);
        const b: Pt = [e.x, e.y];
        // Too small to mean anything: a stray click.
        if (distance(a, b) / e.scale > CLICK_SLOP_PX && Math.abs(a[0] - b[0]) > 0 && (kind === 'ruler' || Math.abs(a[1] - b[1]) > 0)) host.commit(shape(b));
      } else if (e.type === 'cancel') this.cancel();
    },
    key(k) {
      if (state === 'dragging' && k === 'Escape') {
        this.cancel();
        return true;
      }
      return false;
    },
    cancel() {
      state = 'idle';
      host.setDraft(undefined);
    },
  };
}
