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
    // Where each quadrant's colour lies on screen: red top-left, green top-right, blue
    // bottom-left, yellow bottom-right, each a good share of the view.
    const classes: Record<string, (r: number, g: number, b: number) => boolean> = {
      red: (r, g, b) => r > 180 && g < 90 && b < 90,
      green: (r, g, b) => r < 90 && g > 160 && b < 110,
      blue: (r, g, b) => r < 100 && g < 110 && b > 180,
      yellow: (r, g, b) => r > 190 && g > 170 && b < 90,
    };
    const sum: Record<string, { n: number; x: number; y: number }> = {};
    for (const k of Object.keys(classes)) sum[k] = { n: 0, x: 0, y: 0 };
    for (let y = 0; y < img.height; y++)
      for (let x = 0; x < img.width; x++) {
        const o = (y * img.width + x) * 4;
        for (const [k, test] of Object.entries(classes))
          if (test(img.data[o]!, img.data[o + 1]!, img.data[o + 2]!)) {
            sum[k]!.n++;
            sum[k]!.x += x;
            sum[k]!.y += y;
          }
      }
    const at = (k: string): { share: number; x: number; y: number } => ({ share: sum[k]!.n / (img.width * img.height), x: sum[k]!.x / sum[k]!.n, y: sum[k]!.y / sum[k]!.n });
    for (const k of Object.keys(classes)) expect(at(k).share, k).toBeGreaterThan(0.05);
    expect(at('red').x).toBeLessThan(at('green').x);
    expect(at('red').y).toBeLessThan(at('blue').y);
    expect(at('yellow').x).toBeGreaterThan(at('blue').x);
    expect(at('yellow').y).toBeGreaterThan(at('green').y);
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
