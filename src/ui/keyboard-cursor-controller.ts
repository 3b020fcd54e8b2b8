import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { umPerScreenPxAt } from '../model/optics';
import type { CursorEditor, CursorState } from '../tools/keyboard-cursor';
import { KeyboardCursor, pannedCentre } from '../tools/keyboard-cursor';
import type { SlideViewer } from '../viewer/slide-viewer';

export interface KeyboardCursorHost {
  /** The focusable, labelled viewer element (OpenSeadragon draws inside it). */
  readonly element: () => HTMLElement | undefined;
  readonly viewer: () => SlideViewer | undefined;
  /** The editor, where this viewer edits; absent, the keys only pan and zoom. */
  readonly editor: () => CursorEditor | undefined;
}

/**
 * Connects the keyboard cursor (tools/keyboard-cursor.ts) to one viewer element: the viewer
 * element alone takes keyboard focus (a click on OpenSeadragon's inner canvas or navigator
 * hands it back), the crosshair shows while it has keyboard focus, and a pointer pressed on the
 * viewer hides it again. The host renders `state` (the crosshair) and `message` (a live region).
 */
export class KeyboardCursorController implements ReactiveController {
  state: CursorState = 'off';
  message = '';
  private readonly cursor: KeyboardCursor;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly target: KeyboardCursorHost,
  ) {
    host.addController(this);
    this.cursor = new KeyboardCursor(
      {
        centre: () => {
          const el = target.element();
          const v = target.viewer();
          return el && v ? v.viewerElementToImageCoordinates(el.clientWidth / 2, el.clientHeight / 2) : { x: NaN, y: NaN };
        },
        scale: () => target.viewer()?.imagePxPerScreenPx() ?? NaN,
        pan: (dx, dy) => {
          const v = target.viewer();
          if (!v) return;
          // From where the view is going, not where an animation has got to: quick presses add up.
          const to = v.getView(false);
          // A step is a jump, not an animation, so what is under the crosshair is where Enter lands.
          v.setView({ ...to, ...pannedCentre(to, dx, dy, umPerScreenPxAt(to.z) / v.mpp) }, true);
        },
        zoom: (f) => target.viewer()?.zoomBy(f),
      },
      target.editor,
    );
  }

  hostConnected(): void {
    this.host.addEventListener('focusin', this.onFocusIn);
    this.host.addEventListener('focusout', this.onFocusOut);
    this.host.addEventListener('pointerdown', this.onPointer, { capture: true });
  }

  hostDisconnected(): void {
    this.host.removeEventListener('focusin', this.onFocusIn);
    this.host.removeEventListener('focusout', this.onFocusOut);
    this.host.removeEventListener('pointerdown', this.onPointer, { capture: true });
    this.cursor.deactivate();
  }

  /** A key pressed with the viewer element focused; true if the cursor used it. */
  key(e: KeyboardEvent): boolean {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const used = this.cursor.key({ key: e.key, shift: e.shiftKey });
    this.sync();
    return used;
  }

  /** The view moved: a held press follows the crosshair. */
  viewMoved(): void {
    this.cursor.viewMoved();
  }

  private sync(): void {
    const { state, message } = this.cursor;
    if (state === this.state && message === this.message) return;
    this.state = state;
    this.message = message;
    this.host.requestUpdate();
  }

  private inViewer(e: Event): { el: HTMLElement; target: EventTarget | undefined } | undefined {
    const el = this.target.element();
    return el && e.composedPath().includes(el) ? { el, target: e.composedPath()[0] } : undefined;
  }

  private readonly onFocusIn = (e: FocusEvent): void => {
    const hit = this.inViewer(e);
    if (!hit) return;
    // OpenSeadragon focuses its canvas on a click: one tab stop, one labelled element.
    if (hit.target !== hit.el) hit.el.focus({ preventScroll: true });
    else if (hit.el.matches(':focus-visible')) {
      this.cursor.activate();
      this.sync();
    }
  };

  private readonly onFocusOut = (e: FocusEvent): void => {
    const el = this.target.element();
    const to = e.relatedTarget as Node | null;
    if (!el || !this.inViewer(e) || (to && el.contains(to))) return;
    this.cursor.deactivate();
    this.sync();
  };

  private readonly onPointer = (e: PointerEvent): void => {
    if (!this.inViewer(e) || this.state === 'off') return;
    this.cursor.deactivate();
    this.sync();
  };
}
