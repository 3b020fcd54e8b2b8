import type { ParsedRoute, Route } from '../model/route';
import { formatRoute, parseRoute } from '../model/route';

/**
 * Hash routing. Screen changes push history entries (Back/Forward move between them);
 * view changes while panning replace the current entry, debounced, so the URL is always a
 * link to what is on screen without flooding the history.
 */
export class Router {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<(r: ParsedRoute) => void>();

  constructor(private readonly win: Window = window) {
    win.addEventListener('hashchange', () => {
      // A navigation (Back, Forward, a link) wins over a view update still waiting to be written.
      this.cancelPending();
      const r = this.current();
      for (const l of this.listeners) l(r);
    });
  }

  /** The screen the address names, or why it names none. */
  current(): ParsedRoute {
    return parseRoute(this.win.location.hash);
  }

  onChange(l: (r: ParsedRoute) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Navigates to a new screen (a history entry). */
  go(route: Route): void {
    this.flush();
    this.win.location.hash = formatRoute(route);
  }

  /** Updates the address of the current screen without a history entry. */
  replace(route: Route, delayMs = 200): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.pending = route;
    this.pendingOver = this.win.location.hash;
    this.timer = setTimeout(() => this.flush(), delayMs);
  }

  private pending: Route | undefined;
  /** The address the pending update was meant to replace. */
  private pendingOver = '';

  private cancelPending(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
  }

  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending) return;
    const hash = formatRoute(this.pending);
    this.pending = undefined;
    // The address moved on since (a link, Back: its hashchange is queued but not yet handled):
    // writing the old screen's view over it would bounce the user back to that screen.
    if (this.win.location.hash !== this.pendingOver) return;
    if (hash !== this.win.location.hash) this.win.history.replaceState(this.win.history.state, '', hash);
  }
}
