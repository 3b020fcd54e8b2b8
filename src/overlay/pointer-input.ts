import type { Editor } from '../tools/editor';

/** What pointer input needs from the viewer. */
export interface PointerHost {
  readonly element: HTMLElement;
  viewerElementToImageCoordinates(x: number, y: number): { x: number; y: number };
  imagePxPerScreenPx(): number;
}

const DOUBLE_CLICK_MS = 400;
const DOUBLE_CLICK_PX = 6;

/**
 * Routes pointer events (mouse, pen, touch) over the viewer to the editor, in image pixels.
 * Listens in the capture phase on the viewer element, so a drawing gesture never reaches
 * OpenSeadragon (no pan while drawing); with Select, a press on empty slide is left to
 * OpenSeadragon, so dragging the slide still pans. A second finger hands the gesture back to
 * OpenSeadragon for pinch-zoom.
 */
export class PointerInput {
  private active: number | undefined;
  /** The active pointer's press as the viewer would have seen it, and where it is now. */
  private pressed: { target: EventTarget; pointerType: string; clientX: number; clientY: number } | undefined;
  /** Set while the first finger's press is handed to the viewer (so this class lets it pass). */
  private replaying = false;
  private lastUp = { t: 0, x: 0, y: 0, clicks: 0 };
  private readonly handlers: Array<[string, (e: PointerEvent) => void]>;

  constructor(
    private readonly host: PointerHost,
    private readonly editor: Editor,
    private readonly enabled: () => boolean,
  ) {
    this.handlers = [
      ['pointerdown', (e) => this.down(e)],
      ['pointermove', (e) => this.move(e)],
      ['pointerup', (e) => this.up(e)],
      ['pointercancel', (e) => this.cancel(e)],
    ];
    for (const [t, h] of this.handlers) host.element.addEventListener(t, h as EventListener, { capture: true });
  }

  private image(e: PointerEvent): { x: number; y: number } {
    const r = this.host.element.getBoundingClientRect();
    return this.host.viewerElementToImageCoordinates(e.clientX - r.left, e.clientY - r.top);
  }

  private down(e: PointerEvent): void {
    if (this.replaying || !this.enabled() || e.button > 0) return;
    if (this.active !== undefined) {
      // A second pointer: pinch-zoom belongs to the viewer.
      this.editor.pointer({ type: 'cancel', x: 0, y: 0, scale: 1 });
      this.handBack(this.active);
      this.active = undefined;
      return;
    }
    const p = this.image(e);
    const scale = this.host.imagePxPerScreenPx();
    if (this.editor.tool === 'select' && !this.editor.store.get(this.editor.hitTestForInput(p.x, p.y, scale) ?? '')) {
      // Empty slide under a Select press: let the viewer pan; still tell the tool (to deselect).
      this.editor.pointer({ type: 'down', x: p.x, y: p.y, scale });
      this.editor.pointer({ type: 'up', x: p.x, y: p.y, scale, clicks: 1 });
      return;
    }
    this.active = e.pointerId;
    this.pressed = e.target ? { target: e.target, pointerType: e.pointerType, clientX: e.clientX, clientY: e.clientY } : undefined;
    (e.target as Element).setPointerCapture?.(e.pointerId);
    e.stopPropagation();
    e.preventDefault();
    this.editor.pointer({ type: 'down', x: p.x, y: p.y, scale, alt: e.altKey });
  }

  private move(e: PointerEvent): void {
    if (!this.enabled()) return;
    const drawing = this.editor.tool === 'polygon' && this.editor.toolState === 'drawing';
    if (this.active !== e.pointerId && !drawing) return;
    const p = this.image(e);
    this.editor.pointer({ type: 'move', x: p.x, y: p.y, scale: this.host.imagePxPerScreenPx(), alt: e.altKey });
    if (this.active === e.pointerId) {
      if (this.pressed) this.pressed = { ...this.pressed, clientX: e.clientX, clientY: e.clientY };
      e.stopPropagation();
    }
  }

  /**
   * The viewer never saw the first finger's press (a drawing took it), so on its own the second
   * finger would only pan. Pressing the first finger again, where it is now, for the viewer's
   * eyes only, gives it both: a pinch.
   */
  private handBack(pointerId: number): void {
    const p = this.pressed;
    this.pressed = undefined;
    if (!p || p.pointerType !== 'touch') return;
    this.replaying = true;
    try {
      p.target.dispatchEvent(
        new PointerEvent('pointerdown', { pointerId, pointerType: 'touch', isPrimary: true, clientX: p.clientX, clientY: p.clientY, button: 0, buttons: 1, bubbles: true, cancelable: true, composed: true }),
      );
    } finally {
      this.replaying = false;
    }
  }

  private up(e: PointerEvent): void {
    if (this.active !== e.pointerId) return;
    this.active = undefined;
    this.pressed = undefined;
    const p = this.image(e);
    const now = performance.now();
    const near = Math.hypot(e.clientX - this.lastUp.x, e.clientY - this.lastUp.y) <= DOUBLE_CLICK_PX;
    const clicks = now - this.lastUp.t <= DOUBLE_CLICK_MS && near ? this.lastUp.clicks + 1 : 1;
    this.lastUp = { t: now, x: e.clientX, y: e.clientY, clicks };
    e.stopPropagation();
    this.editor.pointer({ type: 'up', x: p.x, y: p.y, scale: this.host.imagePxPerScreenPx(), clicks, alt: e.altKey });
  }

  private cancel(e: PointerEvent): void {
    if (this.active !== e.pointerId) return;
    this.active = undefined;
    this.pressed = undefined;
    this.editor.pointer({ type: 'cancel', x: 0, y: 0, scale: 1 });
  }

  destroy(): void {
    for (const [t, h] of this.handlers) this.host.element.removeEventListener(t, h as EventListener, { capture: true });
  }
}
