import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { PNG } from 'pngjs';
import { writeDziPyramid } from '../fixtures/dzi';
import { OUT_DIR, baseUrl, newPage, openBrowser, viewerPixels, waitReady } from './harness';

let browser: Browser;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lamina-dzi-'));
  writeDziPyramid(dir, 'pattern', 1600, 1200);
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Deep Zoom (DZI) pyramids', () => {
  it('opens a plain DZI pyramid and shows its pixels in the right places', async () => {
    const { page, errors } = await newPage(browser, 1000, 800);
    // The pyramid is served from disk through the page's network layer, as any web server would.
    await page.route('**/fixture-pyramid/**', (route) => {
      const rel = new URL(route.request().url()).pathname.replace(/^.*\/fixture-pyramid\//, '');
      const file = join(dir, decodeURIComponent(rel));
      if (!existsSync(file)) return route.fulfill({ status: 404, body: 'missing' });
      return route.fulfill({ status: 200, body: readFileSync(file), contentType: file.endsWith('.dzi') ? 'application/xml' : 'image/png' });
    });
    await page.goto(`${baseUrl()}#/image?dzi=${encodeURIComponent('fixture-pyramid/pattern.dzi')}&mpp=0.5`);
    await waitReady(page);
    const shot = await viewerPixels(page);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${OUT_DIR}/dzi.png`, shot);
    const img = PNG.sync.read(shot);
    // Sample the middle of each quadrant of the stage: the pattern's colours, in order.
    const at = (fx: number, fy: number): number[] => {
      const o = (Math.floor(img.height * fy) * img.width + Math.floor(img.width * fx)) * 4;
      return [img.data[o]!, img.data[o + 1]!, img.data[o + 2]!];
    };
    const cx = 0.5;
    const cy = 0.5;
    const tl = at(cx - 0.2, cy - 0.2);
    const br = at(cx + 0.2, cy + 0.2);
    expect(tl[0]).toBeGreaterThan(180); // red quadrant
    expect(tl[2]).toBeLessThan(90);
    expect(br[0]).toBeGreaterThan(180); // yellow quadrant
    expect(br[1]).toBeGreaterThan(170);
    expect(br[2]).toBeLessThan(90);
    expect(await page.locator('[data-testid=scale-label]').innerText()).toMatch(/µm|mm/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says clearly when a pyramid cannot be opened', async () => {
    const { page } = await newPage(browser);
    await page.route('**/missing-pyramid/**', (route) => route.fulfill({ status: 404, body: 'no' }));
    await page.goto(`${baseUrl()}#/image?dzi=${encodeURIComponent('missing-pyramid/none.dzi')}&mpp=0.5`);
    const alert = page.locator('lamina-slide-view [role=alert]');
    await expect.poll(() => alert.count(), { timeout: 20_000 }).toBe(1);
    expect(await alert.innerText()).toMatch(/Could not open none\.dzi/);
    await page.close();
  });
});
