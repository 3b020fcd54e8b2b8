import type { Annotation, Geometry } from '../model/annotation';
import { singlePrecision } from '../model/annotation';
import { checkGeometry, parseAnnotation } from '../model/annotation-schema';
import type { AnnotationStore } from '../model/store';
import type { UndoStack } from '../model/undo';
import { createUndoStack } from '../model/undo';
import { dragShapeTool, freehandTool, pointTool, polygonTool } from './draw-tools';
import { HANDLE_PX, selectTool, vertexNear } from './select-tool';
import type { Draft, PointerInput, Tool, ToolHost, ToolName } from './types';

/**
 * The headless annotation editor of one slide: the active tool, the current class, the
 * selection, the draft being drawn, and undo. No DOM: the viewer feeds it pointer input in
 * image pixels and keys; tests drive it the same way.
 */

export interface EditorOptions {
  readonly slideId: string;
  readonly author: () => string;
  readonly hitTest: (x: number, y: number, tol: number) => string | undefined;
  readonly now?: () => number;
  readonly newId?: () => string;
}

export class Editor {
  readonly undo: UndoStack;
  private tools: Record<ToolName, Tool>;
  private toolName: ToolName = 'select';
  /** The area tool used last, so picking an area class while selecting gets back to drawing it. */
  private lastArea: ToolName | undefined;
  private classId = 'necrosis';
  private selection: string | undefined;
  private currentDraft: Draft | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly unsubscribe: () => void;
  private lastRefusal = '';

  constructor(
    readonly store: AnnotationStore,
    private readonly opts: EditorOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.newId = opts.newId ?? (() => crypto.randomUUID());
    this.undo = createUndoStack(store);
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    const host: ToolHost = {
      store,
      hitTest: (x, y, tol) => opts.hitTest(x, y, tol),
      commit: (g) => this.create(g),
      replace: (before, g) => this.replaceGeometry(before, g),
      setDraft: (d) => {
        this.currentDraft = d;
        this.emit();
      },
      select: (id) => this.select(id),
      get selected() {
        return self.selection;
      },
    };
    this.tools = {
      select: selectTool(host),
      point: pointTool(host),
      polygon: polygonTool(host),
      freehand: freehandTool(host),
      rectangle: dragShapeTool(host, 'rectangle'),
      ellipse: dragShapeTool(host, 'ellipse'),
      ruler: dragShapeTool(host, 'ruler'),
    };
    // Selection of something deleted elsewhere (undo, another tab) is dropped.
    this.unsubscribe = store.subscribe((cs) => {
      if (this.selection && cs.deleted.some((a) => a.id === this.selection)) this.select(undefined);
      else this.emit();
    });
  }

  /**
   * Why the last edit was refused ('' if it was not): an edit that would break the annotation
   * schema never reaches the store, so nothing that could not be loaded again is ever saved.
   */
  get refusal(): string {
    return this.lastRefusal;
  }

  /** Applies a user edit if every record in it passes the schema; otherwise says why and changes nothing. */
  private applyChecked(created: readonly Annotation[], updated: ReadonlyArray<{ before: Annotation; after: Annotation }>): boolean {
    for (const a of [...created, ...updated.map((u) => u.after)]) {
      const p = parseAnnotation(a);
      if (p.error !== undefined) {
        this.lastRefusal = `Not applied: ${p.error}`;
        this.emit();
        return false;
      }
    }
    this.lastRefusal = '';
    this.store.apply({ created, updated, deleted: [] }, 'user');
    return true;
  }

  get tool(): ToolName {
    return this.toolName;
  }

  /** The active tool's state (idle, drawing, dragging…). */
  get toolState(): string {
    return this.tools[this.toolName].state;
  }

  get currentClass(): string {
    return this.classId;
  }

  get selected(): string | undefined {
    return this.selection;
  }

  get draft(): Draft | undefined {
    return this.currentDraft;
  }

  onChange(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }

  setTool(t: ToolName): void {
    if (this.captured && t !== 'point') this.captured = undefined;
    if (t === this.toolName) return;
    this.tools[this.toolName].cancel();
    this.toolName = t;
    if (t === 'polygon' || t === 'freehand' || t === 'rectangle' || t === 'ellipse') this.lastArea = t;
    this.emit();
  }

  /**
   * A class picked from a chip or a key, as someone counting expects: with a selection under
   * Select it reclassifies the selection; otherwise the next click draws it, so Select gives way
   * to a drawing tool: Point for a class of points (mitoses, nuclei), else the area tool used
   * last (or the class's own, `tool`, the first time).
   */
  pickClass(id: string, tool: 'point' | 'polygon'): void {
    this.setClass(id);
    if (this.toolName === 'select' && !this.selection) this.setTool(tool === 'point' ? 'point' : (this.lastArea ?? tool));
  }

  /**
   * Picks the class for new shapes; with the Select tool, also reclassifies the selection
   * (with a drawing tool it does not, so picking the next class never recolours the last shape).
   */
  setClass(id: string): void {
    this.classId = id;
    const a = this.toolName === 'select' && this.selection ? this.store.get(this.selection) : undefined;
    if (a && a.classId !== id) this.update(a, { classId: id });
    this.emit();
  }

  select(id: string | undefined): void {
    this.selection = id && this.store.get(id) ? id : undefined;
    this.emit();
  }

  /** The annotation a press at (x, y) would grab, with the tools' own screen tolerance. */
  hitTestForInput(x: number, y: number, imagePxPerScreenPx: number): string | undefined {
    const tol = HANDLE_PX * imagePxPerScreenPx;
    // A vertex handle of the selection is grabbed before whatever lies under it.
    const sel = this.selection ? this.store.get(this.selection) : undefined;
    if (sel && vertexNear(sel.geometry, [x, y], tol) >= 0) return sel.id;
    return this.opts.hitTest(x, y, tol);
  }

  pointer(e: PointerInput): void {
    if (!Number.isFinite(e.x) || !Number.isFinite(e.y) || !(e.scale > 0)) return;
    this.tools[this.toolName].pointer(e);
  }

  /** Keys the editor understands; returns true if it used the key. */
  key(key: string, mods: { ctrl?: boolean; shift?: boolean } = {}): boolean {
    if (mods.ctrl && (key === 'z' || key === 'Z')) {
      if (mods.shift) this.undo.redo();
      else this.undo.undo();
      this.emit();
      return true;
    }
    if (mods.ctrl && (key === 'y' || key === 'Y')) {
      this.undo.redo();
      this.emit();
      return true;
    }
    if (this.tools[this.toolName].key(key)) return true;
    if ((key === 'Delete' || key === 'Backspace') && this.selection) {
      this.deleteSelected();
      return true;
    }
    return false;
  }

  private captured: { cb: (x: number, y: number) => void; tool: ToolName } | undefined;

  /**
   * The next click on the slide is a place, not a mark (where ten high-power fields start): the
   * Point tool is taken up for it, and the tool before comes back after. Escape or another tool cancels.
   */
  captureClick(cb: (x: number, y: number) => void): void {
    const tool = this.captured?.tool ?? this.toolName;
    this.setTool('point');
    this.captured = { cb, tool };
    this.emit();
  }

  /** Whether a click is awaited by captureClick(). */
  get capturing(): boolean {
    return this.captured !== undefined;
  }

  private create(drawn: Geometry): Annotation | undefined {
    const cap = this.captured;
    if (cap && drawn.type === 'point') {
      this.captured = undefined;
      this.setTool(cap.tool);
      cap.cb(drawn.point[0], drawn.point[1]);
      this.emit();
      return undefined;
    }
    const g = singlePrecision(drawn);
    if (checkGeometry(drawn) || checkGeometry(g)) return undefined;
    const t = this.now();
    const a: Annotation = {
      id: this.newId(),
      slideId: this.opts.slideId,
      classId: this.classId,
      geometry: g,
      label: '',
      note: '',
      author: this.opts.author(),
      created: t,
      updated: t,
      rev: 1,
    };
    if (!this.applyChecked([a], [])) return undefined;
    // Selected at once, so its label can be typed without a detour through the Select tool.
    this.select(a.id);
    return a;
  }

  private replaceGeometry(before: Annotation, g: Geometry): void {
    const single = singlePrecision(g);
    if (checkGeometry(g) || checkGeometry(single)) return;
    const now = this.store.get(before.id);
    if (!now) return;
    this.update(now, { geometry: single });
  }

  /**
   * Edits label, note, class or geometry of an annotation, as one undoable step. Returns false
   * (and says why in `refusal`) when the result would break the schema, e.g. a note too long.
   */
  update(a: Annotation, patch: Partial<Pick<Annotation, 'label' | 'note' | 'classId' | 'geometry'>>): boolean {
    const before = this.store.get(a.id);
    if (!before) return false;
    const after: Annotation = { ...before, ...patch, updated: this.now(), rev: before.rev + 1 };
    return this.applyChecked([], [{ before, after }]);
  }

  deleteSelected(): void {
    const a = this.selection ? this.store.get(this.selection) : undefined;
    if (!a) return;
    this.store.apply({ created: [], updated: [], deleted: [a] }, 'user');
  }

  destroy(): void {
    this.unsubscribe();
    this.undo.destroy();
    this.listeners.clear();
  }
}
