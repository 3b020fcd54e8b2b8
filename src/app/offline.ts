/**
 * The service worker that makes the case work offline after a first visit (vite.config.ts,
 * VitePWA: it precaches the app, the tile worker and the prerendered first views).
 *
 * Registered only in a built app (under `vite`, the dev server, the plugin's registerSW is a
 * no-op; import.meta.env.PROD would not do, since a build run inside Vitest is not PROD), and
 * only once the first view is drawn (or after a few seconds on a screen without one) and the
 * page is idle: the precache is ~15 MB, which must not compete with a first visit's first view.
 */
export function registerOffline(idle: (f: () => void) => unknown, maxWaitMs = 5000): void {
  if (!('serviceWorker' in navigator)) return;
  // A page a service worker already served runs that worker's version of the app: when a new
  // one takes over, its old chunks are gone, so reload. A page loaded from the network (the
  // first visit, in any tab) already runs the newest version and has nothing to reload for.
  const wasControlled = navigator.serviceWorker.controller !== null;
  const register = (): void => {
    void import('virtual:pwa-register').then(({ registerSW }) =>
      registerSW({
        immediate: true,
        onNeedReload: () => {
          if (wasControlled) location.reload();
        },
      }),
    );
  };
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    clearTimeout(timer);
    removeEventListener('lamina-first-view', start);
    idle(register);
  };
  const timer = setTimeout(start, maxWaitMs);
  addEventListener('lamina-first-view', start);
}
