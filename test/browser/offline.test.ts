import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { OUT_DIR, baseUrl, openBrowser, pixelStats, viewerPixels, waitReady } from './harness';

/**
 * Lamina installs as an app and, after one visit, opens the case with the network off: the
 * service worker precaches the app, the tile worker and the prerendered first views, and the
 * workers render any other tile.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** How many files the built service worker precaches (the list workbox wrote into dist/sw.js, minified or not). */
function precacheSize(): number {
  return readFileSync('dist/sw.js', 'utf8').match(/(?:\burl|"url"):\s*"/g)?.length ?? 0;
}

describe('offline', () => {
  it('is installable, and after a first visit opens figure 4 and the case home with the network off', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    context.on('weberror', (e) => errors.push(e.error().message));
    const page = await context.newPage();
    await page.goto(`${baseUrl()}#/figure/4`);
    await waitReady(page);

    // The service worker is registered once the first view is up; wait until it controls the
    // page: it is then active, so its install step, the precache, is complete.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000, polling: 250 });
    const cached = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const name = (await caches.keys()).find((k) => k.includes('precache'));
      const keys = name ? await (await caches.open(name)).keys() : [];
      return keys.map((r) => new URL(r.url).pathname);
    });
    expect(precacheSize()).toBeGreaterThan(200);
    expect(cached.length).toBe(precacheSize());
    expect(cached.some((p) => p.endsWith('/index.html'))).toBe(true);
    expect(cached.some((p) => /\/assets\/tile-worker-.*\.js$/.test(p))).toBe(true);
    expect(cached.filter((p) => p.includes('/first-views/lms-block/he/')).length).toBeGreaterThan(50);

    // Installable as an app: Chromium finds nothing missing (manifest, icon, service worker).
    // A test context is incognito, where nothing installs; that one objection is the browser's.
    const cdp = await context.newCDPSession(page);
    const install = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: Array<{ errorId: string }> };
    expect(install.installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
    const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; data?: string };
    expect(manifest.errors).toEqual([]);
    expect(JSON.parse(manifest.data ?? '{}')).toMatchObject({ name: 'Lamina', display: 'standalone' });

    await context.setOffline(true);
    // Really offline: what the service worker does not hold cannot be fetched.
    expect(await page.evaluate(() => fetch(`nothing-here-${Math.random()}.txt`).then(() => 'fetched', () => 'failed'))).toBe('failed');

    // The same tab reloads, and a new tab opens the figure: both from the precache.
    await page.reload();
    await waitReady(page);
    const other = await context.newPage();
    await other.goto(`${baseUrl()}#/figure/4`);
    await waitReady(other);
    const png = await viewerPixels(other);
    writeFileSync(`${OUT_DIR}/offline-figure-4.png`, png);
    const s = pixelStats(png);
    expect(s.lumaSd).toBeGreaterThan(8);
    expect(s.whiteFraction).toBeLessThan(0.5);
    expect(s.blueFraction).toBeGreaterThan(0.05);
    expect(await other.locator('[data-testid=magnification]').innerText()).toBe('10x');
    // Its first view came from the prerendered files, out of the precache.
    const fromFiles = await other.locator('lamina-slide-view').evaluate((el) => (el as unknown as { ctx: { pool: { fromFiles: number } } }).ctx.pool.fromFiles);
    expect(fromFiles).toBeGreaterThan(0);

    await other.goto(`${baseUrl()}#/`);
    await expect.poll(() => other.locator('[data-testid=gallery] li').count()).toBe(5);
    expect(await other.locator('[data-testid=gallery]').innerText()).toContain('Figure 7');
    expect(errors).toEqual([]);
    await context.close();
  });
});
