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

describe('drawing input: mouse, touch, pen, rotation', () => {
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

  it('a pen stroke draws a freehand outline; a second finger turns a touch drawing into a pinch and draws nothing', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 850 }, hasTouch: true });
    const page = await ctx.newPage();
    await page.goto(`${baseUrl()}#/slide/he?x=25000&y=15000&z=10&r=0`);
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    const shapes = (): Promise<Array<{ type: string; n: number; minX: number; maxX: number }>> =>
      page.locator('lamina-annotation-panel').evaluate((el) =>
        (el as unknown as { session: { store: { all(): Array<{ geometry: { type: string; points?: number[][] } }> } } }).session.store.all().map((a) => {
          const xs = (a.geometry.points ?? []).map((p) => p[0]!);
          return { type: a.geometry.type, n: xs.length, minX: Math.min(...xs), maxX: Math.max(...xs) };
        }),
      );
    const b = (await page.locator('lamina-slide-view .stage').boundingBox())!;
    const cx = b.x + b.width / 2;
    const cy = b.y + b.height / 2;
    const cdp = await ctx.newCDPSession(page);
    await page.getByRole('button', { name: 'Freehand', exact: true }).click();
    // A pen (stylus) stroke: a circle of radius 60 screen px.
    const pen = (type: 'mousePressed' | 'mouseMoved' | 'mouseReleased', x: number, y: number, buttons: number): Promise<unknown> =>
      cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', buttons, clickCount: 1, pointerType: 'pen', force: 0.5 });
    await pen('mousePressed', cx + 60, cy, 1);
    for (let k = 1; k <= 40; k++) await pen('mouseMoved', cx + 60 * Math.cos((k / 40) * 2 * Math.PI), cy + 60 * Math.sin((k / 40) * 2 * Math.PI), 1);
    await pen('mouseReleased', cx + 60, cy, 0);
    await expect.poll(shapes).toHaveLength(1);
    const [stroke] = await shapes();
    expect(stroke!.type).toBe('freehand');
    expect(stroke!.n).toBeGreaterThan(5);
    // 60 screen px at 10x is 240 image px either side of the centre.
    expect(Math.abs(stroke!.minX - 24760)).toBeLessThan(12);
    expect(Math.abs(stroke!.maxX - 25240)).toBeLessThan(12);

    // One finger starts a freehand stroke, a second lands: that is a pinch, not a drawing.
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', points: Array<[number, number]>): Promise<unknown> =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points.map(([x, y], id) => ({ x, y, id })) });
    await touch('touchStart', [[cx - 100, cy]]);
    await touch('touchMove', [[cx - 90, cy + 10]]);
    await touch('touchStart', [[cx - 90, cy + 10], [cx + 100, cy + 10]]);
    // Both fingers sweep arcs: drawn, either path would make a valid outline.
    for (let k = 1; k <= 12; k++) {
      const t = (k / 12) * Math.PI;
      await touch('touchMove', [[cx - 90 - 60 * Math.sin(t), cy + 10 + 60 * (1 - Math.cos(t))], [cx + 100 + 60 * Math.sin(t), cy + 10 + 60 * (1 - Math.cos(t))]]);
    }
    await touch('touchEnd', []);
    await page.waitForTimeout(300);
    expect(await shapes()).toHaveLength(1);
    await ctx.close();
  });
});
