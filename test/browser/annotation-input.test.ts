import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, openBrowser, waitReady } from './harness';

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('drawing on a rotated slide', () => {
  it('a rectangle dragged on screen at 90° lands in the right image pixels', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 850 } });
    const page = await ctx.newPage();
    // 10x, rotated 90°: one screen pixel is 4 image pixels, and screen right is image down.
    await page.goto(`${baseUrl()}#/slide/he?x=25000&y=15000&z=10&r=90`);
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    const b = (await page.locator('lamina-slide-view .stage').boundingBox())!;
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    await page.getByRole('button', { name: 'Rectangle', exact: true }).click();
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 100, cy + 50, { steps: 6 });
    await page.mouse.up();
    const g = await page.locator('lamina-annotation-panel').evaluate(
      (el) => (el as unknown as { session: { store: { all(): Array<{ geometry: { min: number[]; max: number[] } }> } } }).session.store.all()[0]!.geometry,
    );
    // The view's centre is image (25000, 15000). Turned 90° clockwise, image +x points down the
    // screen and image +y points left: 100 px right = −400 image px in y, 50 px down = +200 in x.
    expect(Math.abs(g.min[0]! - 25000)).toBeLessThan(6);
    expect(Math.abs(g.max[0]! - 25200)).toBeLessThan(6);
    expect(Math.abs(g.min[1]! - 14600)).toBeLessThan(6);
    expect(Math.abs(g.max[1]! - 15000)).toBeLessThan(6);
    await ctx.close();
  });

  it('a tap on a touch screen drops a point (touch reaches the tools as pointer events)', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 850 }, hasTouch: true });
    const page = await ctx.newPage();
    await page.goto(`${baseUrl()}#/slide/he?x=25000&y=15000&z=10&r=0`);
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await page.getByRole('button', { name: 'Point', exact: true }).tap();
    const b = (await page.locator('lamina-slide-view .stage').boundingBox())!;
    await page.touchscreen.tap(b.x + b.width / 2 + 40, b.y + b.height / 2);
    await expect
      .poll(() =>
        page.locator('lamina-annotation-panel').evaluate((el) => (el as unknown as { session: { store: { all(): Array<{ geometry: { type: string; point: number[] } }> } } }).session.store.all().map((a) => a.geometry)),
      )
      .toHaveLength(1);
    const [g] = await page.locator('lamina-annotation-panel').evaluate((el) => (el as unknown as { session: { store: { all(): Array<{ geometry: { type: string; point: number[] } }> } } }).session.store.all().map((a) => a.geometry));
    expect(g!.type).toBe('point');
    expect(Math.abs(g!.point[0]! - 25160)).toBeLessThan(8); // 40 screen px at 10x = 160 image px
    expect(Math.abs(g!.point[1]! - 15000)).toBeLessThan(8);
    await ctx.close();
  });
});
