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

/** Composition root: builds the context once and mounts the shell. */
function start(): void {
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no #app');
  try {
    const { manifest, scenes } = loadCase();
    const pool = new TilePool([...scenes.values()]);
    prefetchFirstView(manifest, pool);
    const { drawer, reason } = chooseDrawer();
    probeDrawerLater();
    let db: Promise<LaminaDb> | undefined;
    const notice = (text: string): void => {
      window.dispatchEvent(new CustomEvent('lamina-storage-notice', { detail: text }));
    };
    const openDb = (): Promise<LaminaDb> =>
      (db ??= openLaminaDb({
        onVersionChange: () => notice('Lamina was updated in another tab. Reload this tab to keep saving annotations.'),
        onBlocked: () => notice('Close the other Lamina tabs (or reload them) to finish upgrading the annotation database.'),
      }));
    const ctx: AppContext = { manifest, scenes, pool, drawer, drawerReason: reason, router: new Router(), db: openDb, tab: crypto.randomUUID() };
    document.documentElement.dataset['drawer'] = drawer;
    const app = document.createElement('lamina-app');
    app.ctx = ctx;
    root.replaceChildren(app);
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
  if (target) pool.prefetch(firstTiles(target.slide, target.view, { w: window.innerWidth, h: window.innerHeight }));
}

start();
