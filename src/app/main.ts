import { loadCase } from './case-data';
import { Router } from './router';
import { TilePool } from '../viewer/tile-pool';
import { chooseDrawer } from '../viewer/drawer';
import type { AppContext } from './context';
import '../ui/lamina-app';

/** Composition root: builds the context once and mounts the shell. */
function start(): void {
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no #app');
  try {
    const { manifest, scenes } = loadCase();
    const pool = new TilePool([...scenes.values()]);
    const { drawer, reason } = chooseDrawer();
    const ctx: AppContext = { manifest, scenes, pool, drawer, drawerReason: reason, router: new Router() };
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

start();
