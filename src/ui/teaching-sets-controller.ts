import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AppContext } from '../app/context';
import type { Teaching } from '../app/teaching';
import type { TeachingSet } from '../model/teaching/types';

/**
 * The stored teaching sets for a view that lists or edits them: loaded when the host connects
 * (at once, or when the page is idle), kept current through the store's change events (this tab's
 * and other tabs'), and let go when the host leaves the page.
 */
export class TeachingSetsController implements ReactiveController {
  sets: TeachingSet[] = [];
  /** Stored sets that could not be read (left untouched, counted). */
  unreadable = 0;
  /** Why the sets cannot be shown, in words; empty when they can. */
  error = '';
  /** For actions (create, rename, add a step…); undefined until loaded. */
  teaching: Teaching | undefined;
  private off: (() => void) | undefined;
  private connected = false;
  private reads = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly ctx: () => AppContext,
    private readonly opts: {
      /** Load when the page is idle (the home page: opening the database on a first visit costs a small machine a second). */
      readonly whenIdle?: boolean;
      /** After each refresh, before the host renders. */
      readonly onRefresh?: () => void;
    } = {},
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    if (!this.opts.whenIdle) void this.load();
    else if ('requestIdleCallback' in window) requestIdleCallback(() => void this.load(), { timeout: 1500 });
    else setTimeout(() => void this.load(), 300);
  }

  hostDisconnected(): void {
    this.connected = false;
    this.off?.();
    this.off = undefined;
  }

  private async load(): Promise<void> {
    if (!this.connected) return;
    try {
      const teaching = await this.ctx().annotations.teaching();
      if (!this.connected) return;
      this.teaching = teaching;
      this.off ??= teaching.onChange(() => void this.refresh());
      await this.refresh();
    } catch (e) {
      this.error = `Teaching sets are unavailable: ${e instanceof Error ? e.message : String(e)}`;
      this.host.requestUpdate();
    }
  }

  private async refresh(): Promise<void> {
    if (!this.teaching) return;
    // Changes can arrive faster than lists are read: only the latest read is shown.
    const seq = ++this.reads;
    try {
      const { sets, unreadable } = await this.teaching.list();
      if (seq !== this.reads) return;
      this.sets = sets;
      this.unreadable = unreadable;
      this.error = '';
      this.opts.onRefresh?.();
    } catch (e) {
      if (seq === this.reads) this.error = `Teaching sets could not be read: ${e instanceof Error ? e.message : String(e)}`;
    }
    this.host.requestUpdate();
  }
}
