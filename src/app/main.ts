import { loadCase } from './case-data';
import { Router } from './router';
import { TilePool } from '../viewer/tile-pool';
import { chooseDrawer, probeDrawerLater } from '../viewer/drawer';
import type { AppContext } from './context';
import { openLaminaDb } from '../storage/database';
import { DB_NAME } from '../storage/schema';
import { WorkerSink } from '../storage/write-sink';
import { Workspace } from './workspace';
import { parseTeachingSet } from '../model/teaching/set-schema';
import { StorageGuard } from './storage-guard';
import type { Channel } from '../storage/persistence';
import '../ui/lamina-app';
import type { CaseManifest, SlideInfo } from '../model/manifest';
import { figureView } from '../model/manifest';
import { parseRoute } from '../model/route';
import type { ViewState } from '../model/route';
import { firstTiles } from '../viewer/first-tiles';
import firstViewAddresses from 'virtual:lamina-first-views';
import { registerOffline } from './offline';
import { OwnSlides } from './own-slides';
import { FileSlides } from '../viewer/sources/file-slides';

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
    const notice = (text: string): void => {
      window.dispatchEvent(new CustomEvent('lamina-storage-notice', { detail: text }));
    };
    const params = new URLSearchParams(location.search);
    const annotations = new Workspace({
      tab: crypto.randomUUID(),
      openDb: (handlers) => openLaminaDb(handlers),
      // ?journal=0: no write-ahead journal (the durability benchmark's peer: edits live only in IndexedDB).
      journal: params.get('journal') === '0' ? undefined : safeLocalStorage(),
      locks: navigator.locks,
      channel: () => (typeof BroadcastChannel === 'undefined' ? undefined : (new BroadcastChannel('lamina-annotations') as unknown as Channel)),
      notice,
      storage: new StorageGuard(navigator.storage),
      parseSet: parseTeachingSet,
      // ?writer=page: writes from the page's own thread (the durability benchmark's peer).
      writer: params.get('writer') === 'page' ? undefined : (onClosed) => new WorkerSink(new Worker(new URL('../storage/write-worker.ts', import.meta.url), { type: 'module', name: 'storage-writer' }), DB_NAME, onClosed),
    });
    // Only when an edit is neither on disk nor in the journal (the journal covers the rest).
    window.addEventListener('beforeunload', (e) => {
      if (!annotations.atRisk) return;
      e.preventDefault();
      e.returnValue = '';
    });
    const ownSlides = new OwnSlides(new FileSlides(), () => annotations.ownSlides());
    const ctx: AppContext = { manifest, scenes, pool, drawer, drawerReason: reason, router: new Router(), annotations, ownSlides };
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

/** localStorage, or undefined where reading it throws (storage disabled, some private modes). */
function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
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
