import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SlideSession } from '../app/slide-session';
import type { ChangeSet } from '../model/store';
import { CanvasOverlay } from '../overlay/canvas-overlay';
import type { OverlayState } from '../overlay/canvas-overlay';
import type { DensityGrid } from '../overlay/density-grid';
import { PointerInput } from '../overlay/pointer-input';
import type { SaveStatus } from '../storage/persistence';
import type { SlideViewer } from '../viewer/slide-viewer';

/** What the layer asks of the element that hosts it (slide-view). */
export interface AnnotationLayerHost extends ReactiveControllerHost, HTMLElement {
  /** Full-resolution size in image pixels (1 × 1 where not known yet). */
  readonly slideSize: { readonly w: number; readonly h: number };
}

/**
 * A slide session's annotations over a viewer: the canvas overlay, pointer input in edit mode,
 * and the subscriptions that keep them drawn (store, editor, classes, save status, view). The
 * host calls attach() when the viewer or the session changes; everything is undone on detach
 * and when the host leaves the page.
 */
export class AnnotationLayerController implements ReactiveController {
  private overlay: CanvasOverlay | undefined;
  private input: PointerInput | undefined;
  private unsubs: Array<() => void> = [];
  /** The unsaved set the overlay was last given (identity, to skip redraws). */
  private drawnMarks: ReadonlySet<string> = NONE;
  private highlighted: ReadonlySet<string> = NONE;
  /** The latest save status, for the toolbar. */
  saveStatus: SaveStatus | undefined;
  /** Bumped on every change the host's views may show (counts, undo buttons). */
  revision = 0;

  constructor(private readonly host: AnnotationLayerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.detach();
  }

  /** Shows `session` over `viewer` (none: nothing); `edit` adds pointer input for the tools. */
  attach(viewer: SlideViewer | undefined, session: SlideSession | undefined, edit: boolean): void {
    this.detach();
    if (!session || !viewer) return;
    // Density cells need the slide's size, read when the user asks: a DZI image by URL gets
    // its size only when it opens, after the layer is attached.
    const density = (): DensityGrid | undefined => {
      const { w, h } = this.host.slideSize;
      return w > 1 && h > 1 ? session.density(w, h) : undefined;
    };
    const overlay = new CanvasOverlay(viewer, session.store, session.index, this.state(session), density);
    this.overlay = overlay;
    if (edit) this.input = new PointerInput(viewer, session.editor, () => true);
    let drawnEditor = { selected: session.editor.selected, draft: session.editor.draft };
    const bump = (): void => {
      this.revision++;
      this.host.requestUpdate();
    };
    const refresh = (): void => {
      overlay.update(this.state(session));
      bump();
    };
    this.unsubs.push(
      session.store.subscribe((cs) => (changesDrawing(cs) ? refresh() : bump())),
      session.editor.onChange(() => {
        // The editor also speaks after every store change (for undo's buttons): redraw only
        // when what it contributes to the picture, the selection or the draft, has changed.
        const { selected, draft } = session.editor;
        if (selected !== drawnEditor.selected || draft !== drawnEditor.draft) {
          drawnEditor = { selected, draft };
          refresh();
        } else bump();
      }),
      session.onChange(refresh),
      session.persistence.onStatus((st) => {
        this.saveStatus = st;
        this.host.requestUpdate();
        // Redraw only when the marks change: an edit that saves normally costs one frame, not three.
        const marks = drawnUnsaved(st);
        if (marks !== this.drawnMarks) {
          this.drawnMarks = marks;
          overlay.update({ unsaved: marks });
        }
      }),
      viewer.on('view', () => overlay.draw()),
    );
    const firstDraw = (): void => {
      // Painted within the frame budget like any view (the page stays responsive meanwhile);
      // "drawn" means every tile of the first view is painted.
      overlay.onceComplete(() => {
        // For people and benchmarks: the slide's stored annotations are on screen.
        this.host.setAttribute('annotations-drawn', String(session.store.size));
        performance.mark('lamina:annotations-drawn');
        // Two frame callbacks on: the frame holding them has been presented (as the peer's bench page does).
        const n = session.store.size;
        requestAnimationFrame(() => requestAnimationFrame(() => performance.mark('lamina:annotations-painted', { detail: n })));
      });
    };
    if (viewer.isOpen) firstDraw();
    else {
      const off = viewer.on('open', () => {
        off();
        firstDraw();
      });
      this.unsubs.push(off);
    }
  }

  /** A tour step's annotations stand out; the others are drawn faint while any do. */
  highlight(ids: ReadonlySet<string>): void {
    this.highlighted = ids;
    this.overlay?.update({ highlighted: ids });
  }

  /** Draw time and level-of-detail mode of the last frame (the benchmark reads them). */
  probe(): { ms: number; mode: string; paintMs: number; tileBytes: number } | undefined {
    const o = this.overlay;
    return o ? { ms: o.lastDrawMs, mode: o.lastMode, paintMs: o.framePaintMs, tileBytes: o.tileBytes } : undefined;
  }

  detach(): void {
    for (const u of this.unsubs) u();
    this.unsubs = [];
    this.input?.destroy();
    this.overlay?.destroy();
    this.input = undefined;
    this.overlay = undefined;
  }

  private state(session: SlideSession): OverlayState {
    return {
      classes: session.classMap(),
      hidden: session.hidden,
      selected: session.editor.selected,
      draft: session.editor.draft,
      unsaved: drawnUnsaved(session.persistence.current),
      highlighted: this.highlighted,
      density: session.densityView,
    };
  }
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Which annotations the overlay marks as unsaved: those whose save failed or cannot happen.
 * A save in flight (a few ms) is not marked, so normal edits do not flicker; the toolbar's
 * indicator says "saving" meanwhile.
 */
function drawnUnsaved(st: SaveStatus): ReadonlySet<string> {
  return (st.state === 'error' || st.state === 'closed') && st.unsaved.size > 0 ? st.unsaved : NONE;
}

/** Whether a change set alters what the overlay draws (a note or author change does not). */
function changesDrawing(cs: ChangeSet): boolean {
  if (cs.created.length > 0 || cs.deleted.length > 0) return true;
  return cs.updated.some(({ before: b, after: a }) => a.geometry !== b.geometry || a.classId !== b.classId || a.label !== b.label);
}
