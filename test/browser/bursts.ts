import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath } from './chromium';

/**
 * Edits at machine speed, then the page goes away in one of four ways; what survived? Shared by
 * the durability browser test (small bursts) and `npm run bench` (1,000 points each).
 */

export type Ending = 'reload' | 'close' | 'crash' | 'kill';

const STAGE = 'lamina-slide-view .stage';

/** How many annotations the open slide holds in this page (waits for the panel). */
export async function storedCount(page: Page): Promise<number> {
  await page.waitForSelector('lamina-annotation-panel', { timeout: 60_000 });
  return page.locator('lamina-annotation-panel').evaluate((el) => (el as unknown as { session: { store: { size: number } } }).session.store.size);
}

export async function openFigure(page: Page, base: string, query = ''): Promise<void> {
  await page.goto(`${base}${query}#/figure/5`);
  await page.waitForSelector('lamina-slide-view[ready]', { timeout: 60_000 });
  await page.waitForSelector('lamina-annotation-panel', { timeout: 60_000 });
}

/**
 * `n` points placed with real mouse clicks at machine speed: the input events are sent to the
 * renderer back to back without waiting for each other (~2 ms a click here), on a grid over
 * the viewer. Resolves once the renderer has handled the last one, so every point is on screen
 * (in the page's store; the frame that paints it may still be pending).
 */
export async function burst(ctx: BrowserContext, page: Page, n: number): Promise<number> {
  await page.getByRole('button', { name: 'Point', exact: true }).click();
  const b = (await page.locator(STAGE).boundingBox())!;
  const cols = Math.ceil(Math.sqrt(n * (b.width / b.height)));
  const rows = Math.ceil(n / cols);
  const dx = (b.width - 80) / cols;
  const dy = (b.height - 80) / rows;
  const cdp = await ctx.newCDPSession(page);
  const t0 = Date.now();
  const sent: Array<Promise<unknown>> = [];
  for (let i = 0; i < n; i++) {
    const x = b.x + 40 + dx * ((i % cols) + 0.5);
    const y = b.y + 40 + dy * (Math.floor(i / cols) + 0.5);
    for (const type of ['mousePressed', 'mouseReleased'] as const) sent.push(cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', clickCount: 1 }));
  }
  await Promise.all(sent);
  await cdp.detach();
  return Date.now() - t0;
}

/** Makes the page reload itself in the same task as its `n`-th annotation: nothing of the write can have started. */
export async function reloadAtCount(page: Page, n: number): Promise<void> {
  await page.locator('lamina-annotation-panel').evaluate((el, count) => {
    const store = (el as unknown as { session: { store: { size: number; subscribe(l: () => void): void } } }).session.store;
    store.subscribe(() => {
      if (store.size >= count) location.reload();
    });
  }, n);
}

/** A reload, a closed tab or a crashed renderer, then the slide opened again in the same profile. */
export async function burstThenCount(ctx: BrowserContext, page: Page, base: string, n: number, ending: Exclude<Ending, 'kill'>, query = ''): Promise<number> {
  if (ending === 'reload') {
    await reloadAtCount(page, n);
    await burst(ctx, page, n);
    await page.waitForSelector('lamina-slide-view[ready]', { timeout: 60_000 });
    return storedCount(page);
  }
  await burst(ctx, page, n);
  if (ending === 'close') await page.close();
  else {
    // The renderer process dies at once, as on an out-of-memory kill.
    const crashed = new Promise((r) => page.once('crash', r));
    const cdp = await ctx.newCDPSession(page);
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
    void page.close().catch(() => undefined);
  }
  const again = await ctx.newPage();
  await openFigure(again, base, query);
  return storedCount(again);
}

/** A Chromium of our own with a profile on disk, so it can be killed and started again. */
export async function launchKillable(profile: string): Promise<{ browser: Browser; kill: () => void }> {
  const proc = spawn(chromiumPath(), [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  const ws = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${text}`)), 30_000);
    proc.stderr!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const browser = await chromium.connectOverCDP(ws);
  // The whole process group, at once: no shutdown, no flush, as when the power goes.
  const kill = (): void => {
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return { browser, kill };
}

/**
 * Points placed, the browser killed, the browser started again: how many are left. `after`:
 * kill at once (`now`), after the frame that shows the last point (`drawn`), or once the page
 * says everything is saved (`saved`).
 */
export async function killThenCount(base: string, n: number, after: 'now' | 'drawn' | 'saved', query = ''): Promise<number> {
  const profile = mkdtempSync(join(tmpdir(), 'lamina-kill-'));
  try {
    const first = await launchKillable(profile);
    const page = await first.browser.contexts()[0]!.newPage();
    await page.setViewportSize({ width: 1400, height: 850 });
    await openFigure(page, base, query);
    await burst(first.browser.contexts()[0]!, page, n);
    if (after === 'saved') await page.waitForSelector('[data-testid=save-status][data-state=saved]', { timeout: 60_000 });
    if (after === 'drawn') await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined)))));
    first.kill();
    await first.browser.close().catch(() => undefined);
    const second = await launchKillable(profile);
    try {
      const again = await second.browser.contexts()[0]!.newPage();
      await again.setViewportSize({ width: 1400, height: 850 });
      await openFigure(again, base, query);
      return await storedCount(again);
    } finally {
      second.kill();
      await second.browser.close().catch(() => undefined);
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
