import { loadCase } from './case-data';
import { Router } from './router';
import { TilePool } from '../viewer/tile-pool';
import { chooseDrawer, probeDrawerLater } from '../viewer/drawer';
import type { AppContext } from './context';
import { openLaminaDb } from '../storage/database';
import type { LaminaDb } from '../storage/database';
import '../ui/lamina-app';
import type { CaseManifest, SlideInfo } from '../model/manifest';
import { figureView } from '../model/manifest';
import { parseRoute } from '../model/route';
import type { ViewState } from '../model/route';
import { firstTiles } from '../viewer/first-tiles';
import firstViewAddresses from 'virtual:lamina-first-views';
import { registerOffline } from './offline';

/** Composition root: builds the context once and mounts the shell. */
function start(): void {
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no #app');
  try {
    const { manifest, scenes } = loadCase();
    // ?prerendered=0 renders every tile in the workers (the benchmark's comparison).
    const prerendered = new URLSearchParams(location.search).get('prerendered') === '0' ? [] : firstViewAddresses;
    const pool = new TilePool([...scenes.values()], TilePool.defaultSize(), new Set(prerendered));
    prefetchFirstView(manifest, pool);
    // Workers start on the first tile that needs one; otherwise once the page has settled.
    const idle = (f: () => void): unknown => ('requestIdleCallback' in window ? requestIdleCallback(f, { timeout: 4000 }) : setTimeout(f, 2000));
    idle(() => pool.start());
    const { drawer, reason } = chooseDrawer();
    probeDrawerLater();
    let db: Promise<LaminaDb> | undefined;
    let dbIsOpen = false;
    const notice = (text: string): void => {
      window.dispatchEvent(new CustomEvent('lamina-storage-notice', { detail: text }));
    };
    const openDb = (): Promise<LaminaDb> =>
      (db ??= openLaminaDb({
        onVersionChange: () => notice('Lamina was updated in another tab. Reload this tab to keep saving annotations.'),
        onBlocked: () => notice('Close the other Lamina tabs (or reload them) to finish upgrading the annotation database.'),
      }).then((d) => {
        dbIsOpen = true;
        return d;
      }));
    const ctx: AppContext = { manifest, scenes, pool, drawer, drawerReason: reason, router: new Router(), db: openDb, dbOpen: () => dbIsOpen, tab: crypto.randomUUID() };
    document.documentElement.dataset['drawer'] = drawer;
    const app = document.createElement('lamina-app');
    app.ctx = ctx;
    root.replaceChildren(app);
    registerOffline(idle);
  } catch (e) {
    const p = document.createElement('p');
    p.setAttribute('role', 'alert');
    p.textContent = `Lamina could not start: ${e instanceof Error ? e.message : String(e)}`;
    root.replaceChildren(p);
  }
}

/** Starts the tiles the address names while the page boots (see viewer/first-tiles.ts). */
function prefetchFirstView(manifest: CaseManifest, pool: TilePool): void {
  const route = parseRoute(location.hash);
  let target: { slide: SlideInfo; view: ViewState } | undefined;
  if (route.name === 'figure') {
    const f = manifest.figures.find((x) => x.number === route.figure);
    const slide = f && manifest.slides.find((s) => s.id === f.slide);
    if (f && slide) target = { slide, view: route.view ?? figureView(f, slide) };
  } else if (route.name === 'slide' && route.view) {
    const slide = manifest.slides.find((s) => s.id === route.slide);
    if (slide) target = { slide, view: route.view };
  }
  // The viewer's box, not the window's: viewer-page keeps a 320 px panel beside it and a header
  // (~90 px with the caption) above it. Tiles outside it would only compete for bandwidth.
  if (target) pool.prefetch(firstTiles(target.slide, target.view, { w: Math.max(320, window.innerWidth - 320), h: Math.max(240, window.innerHeight - 90) }));
}

start();
