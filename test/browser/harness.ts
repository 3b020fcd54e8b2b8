import { mkdirSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { inject } from 'vitest';
import { launchChromium } from './chromium';

export const OUT_DIR = 'test/out';

export function baseUrl(): string {
  return inject('baseUrl');
}

export async function openBrowser(): Promise<Browser> {
  mkdirSync(OUT_DIR, { recursive: true });
  return launchChromium();
}

/** A page that fails the test on any uncaught page error. */
export async function newPage(browser: Browser, width = 1280, height = 800): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { page, errors };
}

export async function waitReady(page: Page, selector = 'lamina-slide-view', timeout = 60_000): Promise<void> {
  await page.waitForSelector(`${selector}[ready]`, { timeout });
}

export interface PixelStats {
  mean: [number, number, number];
  /** Standard deviation of luminance: 0 for a flat image. */
  lumaSd: number;
  /** Fraction of pixels that are near-white (glass). */
  whiteFraction: number;
  /** Fraction of pixels that are brownish (DAB): red > blue by a margin, not too light. */
  brownFraction: number;
  /** Fraction of pixels that are blue-purple (haematoxylin): blue ≥ red, darkish. */
  blueFraction: number;
}

export function pixelStats(png: Buffer): PixelStats {
  const img = PNG.sync.read(png);
  const d = img.data;
  let r = 0, g = 0, b = 0, l = 0, l2 = 0, white = 0, brown = 0, blue = 0;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const R = d[i * 4]!, G = d[i * 4 + 1]!, B = d[i * 4 + 2]!;
    r += R; g += G; b += B;
    const y = 0.299 * R + 0.587 * G + 0.114 * B;
    l += y; l2 += y * y;
    if (R > 225 && G > 225 && B > 225) white++;
    if (R > B + 25 && G < 190 && R < 235) brown++;
    if (B >= R && y < 170) blue++;
  }
  const mean = l / n;
  return {
    mean: [r / n, g / n, b / n],
    lumaSd: Math.sqrt(Math.max(0, l2 / n - mean * mean)),
    whiteFraction: white / n,
    brownFraction: brown / n,
    blueFraction: blue / n,
  };
}

/** Screenshot of the first viewer's image area. */
export async function viewerPixels(page: Page, index = 0): Promise<Buffer> {
  return page.locator('lamina-slide-view .stage').nth(index).screenshot();
}
