import type { Annotation, Geometry } from '../model/annotation';
import type { Pt } from '../model/geometry';
import type { AnnotationStore } from '../model/store';

export type ToolName = 'select' | 'point' | 'polygon' | 'freehand' | 'rectangle' | 'ellipse' | 'ruler';

export const TOOLS: ReadonlyArray<{ name: ToolName; label: string; key: string }> = [
  { name: 'select', label: 'Select', key: 'v' },
  { name: 'point', label: 'Point', key: 'p' },
  { name: 'polygon', label: 'Polygon', key: 'g' },
  { name: 'freehand', label: 'Freehand', key: 'f' },
  { name: 'rectangle', label: 'Rectangle', key: 'r' },
  { name: 'ellipse', label: 'Ellipse', key: 'e' },
  { name: 'ruler', label: 'Ruler', key: 'l' },
];

/** Pointer input in full-resolution image pixels (the viewer converts from the screen). */
export interface PointerInput {
  readonly type: 'down' | 'move' | 'up' | 'cancel';
  readonly x: number;
  readonly y: number;
  /** Image pixels per screen pixel now: hit tolerances and simplification are in screen pixels. */
  readonly scale: number;
  /** Click count of the gesture (2 for a double-click). */
  readonly clicks?: number;
  /** Alt held: with Select, a click on a vertex removes it. */
  readonly alt?: boolean;
}

/** A shape being drawn: a finished-looking geometry, or an open path (a polygon in progress). */
export type Draft = Geometry | { readonly type: 'path'; readonly points: readonly Pt[] };

/** What a tool may do: read the store, propose a draft, commit, select. */
export interface ToolHost {
  readonly store: AnnotationStore;
  hitTest(x: number, y: number, tol: number): string | undefined;
  /** Creates an annotation of the current class from a finished shape. */
  commit(g: Geometry): Annotation | undefined;
  replace(before: Annotation, g: Geometry): void;
  setDraft(g: Draft | undefined): void;
  select(id: string | undefined): void;
  readonly selected: string | undefined;
}

export interface Tool {
  /** Current state name, e.g. idle → pointing → dragging (asserted by the tests). */
  readonly state: string;
  pointer(e: PointerInput): void;
  /** Returns true if the key was used. */
  key(key: string): boolean;
  /** Leaving the tool: drop anything half-drawn. */
  cancel(): void;
}
