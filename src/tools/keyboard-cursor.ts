import type { PointerInput, ToolName } from './types';
import { TOOLS } from './types';

/**
 * The keyboard cursor: a crosshair fixed at the viewer's centre. Arrow keys (and W/A/S/D) move
 * the slide under it, + and − zoom, and Enter or Space "clicks" there with the current tool, so
 * every tool works without a pointer. No DOM: the viewer and the editor are reached through the
 * two small interfaces below, and tests drive it with keys.
 *
 * States: off (a pointer is in use: no crosshair, Enter keeps its old meaning of closing a
 * polygon) → aiming (crosshair shown) → holding (a drag tool's press is down; the next Enter
 * releases it) → aiming.
 */

/** What the cursor needs from the viewer. */
export interface CursorView {
  /** Full-resolution image pixels under the crosshair now. */
  centre(): { x: number; y: number };
  /** Image pixels per screen pixel now. */
  scale(): number;
  /** Moves the view's centre by screen pixels: the slide slides the other way under the crosshair. */
  pan(dx: number, dy: number): void;
  zoom(factor: number): void;
}

/** What it needs from the editor (tools/editor.ts). */
export interface CursorEditor {
  readonly tool: ToolName;
  readonly toolState: string;
  pointer(e: PointerInput): void;
  key(key: string): boolean;
}

export interface CursorKey {
  readonly key: string;
  readonly shift: boolean;
}

export type CursorState = 'off' | 'aiming' | 'holding';

/** A step of the slide under the crosshair, in screen pixels; Shift for a fine one. */
export const PAN_STEP_PX = 60;
export const FINE_STEP_PX = 4;
/** + and − zoom by this factor, as the toolbar's buttons do. */
export const ZOOM_STEP = 2;

/** Tools whose gesture is press, move, release: the first Enter presses, the second releases. */
const DRAG_TOOLS: ReadonlySet<ToolName> = new Set(['rectangle', 'ellipse', 'ruler', 'freehand']);

const DIRECTIONS: Readonly<Record<string, readonly [number, number]>> = {
  arrowleft: [-1, 0],
  arrowright: [1, 0],
  arrowup: [0, -1],
  arrowdown: [0, 1],
  a: [-1, 0],
  d: [1, 0],
  w: [0, -1],
  s: [0, 1],
};

export class KeyboardCursor {
  private mode: CursorState = 'off';
  /** Vertices this cursor has added to the polygon being drawn (for what it announces). */
  private vertices = 0;
  private said = '';

  constructor(
    private readonly view: CursorView,
    /** Absent where nothing can be drawn (compare mode, storage unavailable): only pan and zoom. */
    private readonly editor: () => CursorEditor | undefined,
  ) {}

  get state(): CursorState {
    this.settle();
    return this.mode;
  }

  /** What just happened, for a live region ('' when there is nothing to say). */
  get message(): string {
    return this.said;
  }

  /** Shows the crosshair: the viewer got keyboard focus. */
  activate(): void {
    if (this.mode === 'off') this.mode = 'aiming';
  }

  /** A pointer took over, or focus left: hide the crosshair and drop a press still held. */
  deactivate(): void {
    this.settle();
    if (this.mode === 'holding') this.editor()?.pointer({ type: 'cancel', x: 0, y: 0, scale: 1 });
    this.mode = 'off';
    this.said = '';
  }

  /** Handles a key pressed on the focused viewer; true if it was used. */
  key(k: CursorKey): boolean {
    this.settle();
    const dir = DIRECTIONS[k.key.toLowerCase()];
    if (dir) {
      this.activate();
      const step = k.shift ? FINE_STEP_PX : PAN_STEP_PX;
      this.view.pan(dir[0] * step, dir[1] * step);
      return true;
    }
    if (k.key === '+' || k.key === '=') {
      this.view.zoom(ZOOM_STEP);
      return true;
    }
    if (k.key === '-' || k.key === '_') {
      this.view.zoom(1 / ZOOM_STEP);
      return true;
    }
    const ed = this.editor();
    if (!ed) return false;
    if (k.key === 'Enter' && k.shift) {
      // Shift+Enter closes a polygon wherever the crosshair is (plain Enter adds a vertex).
      const used = ed.key('Enter');
      if (used) this.said = ed.toolState === 'idle' ? 'Polygon closed.' : '';
      this.vertices = 0;
      return used;
    }
    if ((k.key === 'Enter' || k.key === ' ') && this.mode !== 'off') {
      this.click(ed);
      return true;
    }
    if (k.key === 'Escape' && this.mode === 'holding') {
      ed.pointer({ type: 'cancel', x: 0, y: 0, scale: 1 });
      this.mode = 'aiming';
      this.said = 'Cancelled.';
      return true;
    }
    return false;
  }

  /**
   * The view moved (a pan, a zoom, an animation frame): a held press or a polygon's rubber band
   * follows the crosshair, as they follow a moving pointer.
   */
  viewMoved(): void {
    this.settle();
    const ed = this.editor();
    if (!ed || this.mode === 'off') return;
    if (this.mode === 'holding' || (ed.tool === 'polygon' && ed.toolState === 'drawing')) ed.pointer({ type: 'move', ...this.at() });
  }

  private at(): { x: number; y: number; scale: number } {
    const c = this.view.centre();
    return { x: c.x, y: c.y, scale: this.view.scale() };
  }

  private click(ed: CursorEditor): void {
    const p = this.at();
    const name = TOOLS.find((t) => t.name === ed.tool)?.label ?? ed.tool;
    if (DRAG_TOOLS.has(ed.tool)) {
      if (this.mode === 'holding') {
        ed.pointer({ type: 'move', ...p });
        ed.pointer({ type: 'up', ...p, clicks: 1 });
        this.mode = 'aiming';
        this.said = `${name} finished.`;
      } else {
        ed.pointer({ type: 'down', ...p });
        this.mode = 'holding';
        this.said = `${name} started: move with the arrow keys, Enter finishes, Escape cancels.`;
      }
      return;
    }
    const drawing = ed.tool === 'polygon' && ed.toolState === 'drawing';
    ed.pointer({ type: 'down', ...p });
    ed.pointer({ type: 'up', ...p, clicks: 1 });
    if (ed.tool === 'point') this.said = 'Point added.';
    else if (ed.tool !== 'polygon') this.said = '';
    else if (ed.toolState === 'drawing') {
      this.vertices = drawing ? this.vertices + 1 : 1;
      this.said = `Vertex ${this.vertices}: Enter adds another, Shift+Enter closes the polygon.`;
    } else {
      this.vertices = 0;
      this.said = 'Polygon closed.';
    }
  }

  /** A press held by this cursor ends when its tool stops (tool changed, Escape, undo). */
  private settle(): void {
    if (this.mode !== 'holding') return;
    const ed = this.editor();
    if (!ed || !DRAG_TOOLS.has(ed.tool) || ed.toolState === 'idle') this.mode = 'aiming';
  }
}

/**
 * The image point a view's centre moves to when panned by (dx, dy) screen pixels: the screen
 * vector turned back by the view's rotation (OpenSeadragon turns the image clockwise by r°) and
 * scaled to image pixels.
 */
export function pannedCentre(
  view: { x: number; y: number; r: number },
  dx: number,
  dy: number,
  imagePxPerScreenPx: number,
): { x: number; y: number } {
  const t = (-view.r * Math.PI) / 180;
  const c = Math.cos(t);
  const s = Math.sin(t);
  return { x: view.x + (dx * c - dy * s) * imagePxPerScreenPx, y: view.y + (dx * s + dy * c) * imagePxPerScreenPx };
}
