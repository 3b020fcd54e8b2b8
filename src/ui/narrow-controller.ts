import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Whether its host is narrower (or, if asked, shorter) than a breakpoint, kept current by a
 * ResizeObserver. The host re-renders only when the answer changes, not on every pixel of a
 * resize. The first answer is read when the host connects, so a phone's first render is already
 * the narrow one (a layout that changed after the viewer opened would move the view).
 */
export class NarrowController implements ReactiveController {
  narrow = false;
  private observer: ResizeObserver | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** CSS pixels: narrower than this is narrow (asked at each resize: it may depend on the host). */
    private readonly breakpoint: number | (() => number),
    /** CSS pixels: shorter than this counts as narrow too (a phone on its side). */
    private readonly heightBreakpoint = 0,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    const r = this.host.getBoundingClientRect();
    this.set(r.width, r.height);
    this.observer = new ResizeObserver((entries) => {
      const e = entries[entries.length - 1];
      const box = e?.borderBoxSize[0];
      if (e) this.set(box?.inlineSize ?? e.contentRect.width, box?.blockSize ?? e.contentRect.height);
    });
    this.observer.observe(this.host, { box: 'border-box' });
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  private set(width: number, height: number): void {
    // A host not laid out yet (0 wide) says nothing about the screen.
    if (width <= 0) return;
    const narrow = width < (typeof this.breakpoint === 'number' ? this.breakpoint : this.breakpoint()) || (height > 0 && height < this.heightBreakpoint);
    if (narrow === this.narrow) return;
    this.narrow = narrow;
    this.host.requestUpdate();
  }
}
