import { afterEach, describe, expect, it, vi } from 'vitest';
import { Router } from '../../../src/app/router';
import type { ParsedRoute } from '../../../src/model/route';

/** A window with only what the router touches: the address, replaceState and hashchange. */
function fakeWindow(hash: string) {
  const handlers: Array<() => void> = [];
  const win = {
    location: { hash },
    history: {
      state: null,
      replaceState: (_s: unknown, _t: string, h: string) => {
        win.location.hash = h;
      },
    },
    addEventListener: (type: string, f: () => void) => {
      if (type === 'hashchange') handlers.push(f);
    },
    /** A navigation: the address changes now, its hashchange is handled later (a queued task). */
    navigate: (h: string) => {
      win.location.hash = h;
    },
    fireHashchange: () => handlers.forEach((f) => f()),
  };
  return win;
}

describe('Router', () => {
  afterEach(() => vi.useRealTimers());

  it('writes a view update over the screen it was made on', () => {
    vi.useFakeTimers();
    const win = fakeWindow('#/figure/4');
    const router = new Router(win as unknown as Window);
    router.replace({ name: 'figure', figure: 4, view: { x: 10, y: 20, z: 10, r: 0 } });
    vi.advanceTimersByTime(250);
    expect(win.location.hash).toMatch(/^#\/figure\/4\?/);
  });

  it('drops a view update when the address has moved on before it is written (no bounce back to the old screen)', () => {
    // The viewer's debounced update fell due after a link to the case home had changed the
    // address but before its hashchange was handled: the update rewrote the address to the
    // figure, the hashchange then read the figure back, and the home page never showed.
    vi.useFakeTimers();
    const win = fakeWindow('#/figure/4');
    const router = new Router(win as unknown as Window);
    const seen: ParsedRoute[] = [];
    router.onChange((r) => seen.push(r));
    router.replace({ name: 'figure', figure: 4, view: { x: 10, y: 20, z: 10, r: 0 } });
    win.navigate('#/');
    vi.advanceTimersByTime(250);
    win.fireHashchange();
    expect(win.location.hash).toBe('#/');
    expect(seen.map((r) => r.name)).toEqual(['home']);
  });
});
