import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { OUT_DIR, baseUrl, openBrowser, waitReady } from './harness';

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Device {
  readonly name: string;
  readonly options: BrowserContextOptions;
  /** The least share of the viewport the slide itself must get. */
  readonly minWidth: number;
  readonly minHeight: number;
  /** Whether the panel is a bottom sheet and the toolbars are menus. */
  readonly narrow: boolean;
  readonly touch: boolean;
}

const DEVICES: readonly Device[] = [
  { name: 'phone', options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }, minWidth: 0.9, minHeight: 0.5, narrow: true, touch: true },
  { name: 'tablet', options: { viewport: { width: 768, height: 1024 } }, minWidth: 0.9, minHeight: 0.5, narrow: true, touch: false },
  { name: 'desktop', options: { viewport: { width: 1400, height: 900 } }, minWidth: 0.7, minHeight: 0.6, narrow: false, touch: false },
];

type StoredPoint = { type: string; point?: [number, number] };

/** The slide's stored annotations, read from the panel's session (in the closed sheet too). */
function stored(page: Page): Promise<StoredPoint[]> {
  return page.locator('lamina-annotation-panel').evaluate((el) =>
    (el as unknown as { session: { store: { all(): Array<{ geometry: StoredPoint }> } } }).session.store.all().map((a) => a.geometry),
  );
}

async function press(page: Page, d: Device, name: string): Promise<void> {
  const b = page.getByRole('button', { name, exact: true });
  if (d.touch) await b.tap();
  else await b.click();
}

describe('every device: phone, tablet, desktop', () => {
  for (const d of DEVICES) {
    it(`${d.name} (${d.options.viewport!.width}×${d.options.viewport!.height}): the slide fills the screen, is ready, takes a point and lists it`, async () => {
      const ctx = await browser.newContext(d.options);
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${baseUrl()}#/figure/4`);
      await waitReady(page);
      await page.waitForSelector('lamina-annotation-panel', { state: 'attached' });
      await page.waitForSelector('[data-testid=save-status][data-state=saved]');
      const vp = d.options.viewport!;
      const stage = (await page.locator('lamina-slide-view .stage').boundingBox())!;
      expect(stage.width).toBeGreaterThanOrEqual(d.minWidth * vp.width);
      expect(stage.height).toBeGreaterThanOrEqual(d.minHeight * vp.height);
      // The whole stage is on screen (nothing pushed below the fold).
      expect(stage.y + stage.height).toBeLessThanOrEqual(vp.height + 1);
      expect(await page.locator('lamina-annotation-panel').isVisible()).toBe(!d.narrow);
      // The slide has focus after the navigation, but a touch screen shows no keyboard crosshair.
      expect(await page.locator('lamina-slide-view').evaluate((el) => el.shadowRoot!.activeElement?.classList.contains('osd'))).toBe(true);
      if (d.touch) expect(await page.locator('[data-testid=crosshair]').count()).toBe(0);
      await page.screenshot({ path: `${OUT_DIR}/devices-${d.name}.png` });

      // The Point tool, through the tools menu where the toolbar is collapsed.
      if (d.narrow) {
        await press(page, d, 'Tool: Select');
        await expect.poll(() => page.getByRole('button', { name: 'Point', exact: true }).isVisible()).toBe(true);
        await page.screenshot({ path: `${OUT_DIR}/devices-${d.name}-tools.png` });
      }
      await press(page, d, 'Point');
      if (d.narrow) await expect.poll(() => page.getByRole('button', { name: 'Tool: Point' }).count()).toBe(1);
      await waitReady(page);
      const view = (await page.locator('lamina-slide-view').evaluate((el) => (el as unknown as { currentView(): { x: number; y: number; z: number } }).currentView()))!;
      const c = { x: stage.x + stage.width / 2, y: stage.y + stage.height / 2 };
      if (d.touch) await page.touchscreen.tap(c.x, c.y);
      else await page.mouse.click(c.x, c.y);
      await expect.poll(() => stored(page)).toHaveLength(1);
      const [g] = await stored(page);
      expect(g!.type).toBe('point');
      // At the stage's centre: the view's centre, within a screen pixel (4 image px at 10x).
      const tol = 2 * (40 / view.z);
      expect(Math.abs(g!.point![0] - view.x)).toBeLessThanOrEqual(tol);
      expect(Math.abs(g!.point![1] - view.y)).toBeLessThanOrEqual(tol);

      if (d.narrow) {
        // The sheet opens over the viewer (which keeps its size and magnification) and lists the point.
        await press(page, d, 'Annotations (1)');
        await expect.poll(() => page.locator('lamina-annotation-panel').isVisible()).toBe(true);
        expect(await page.getByRole('button', { name: 'Annotations (1)', exact: true }).getAttribute('aria-expanded')).toBe('true');
        // (The panel re-renders once the point is written: polled.)
        await expect.poll(() => page.locator('[data-testid=annotation-list] li').count()).toBe(1);
        expect(await page.locator('[data-testid=annotation-list] li').first().isVisible()).toBe(true);
        expect(await page.locator('lamina-slide-view .stage').boundingBox()).toEqual(stage);
        const after = (await page.locator('lamina-slide-view').evaluate((el) => (el as unknown as { currentView(): { z: number } }).currentView()))!;
        expect(after.z).toBeCloseTo(view.z, 6);
        await page.screenshot({ path: `${OUT_DIR}/devices-${d.name}-sheet.png` });
        await press(page, d, 'Annotations (1)');
        await expect.poll(() => page.locator('lamina-annotation-panel').isVisible()).toBe(false);
        expect(await page.getByRole('button', { name: 'Annotations (1)', exact: true }).getAttribute('aria-expanded')).toBe('false');
      } else {
        await expect.poll(() => page.locator('[data-testid=annotation-list] li').count()).toBe(1);
        await page.screenshot({ path: `${OUT_DIR}/devices-${d.name}-point.png` });
      }
      if (d.touch) {
        // Two fingers spreading apart zoom the slide (OpenSeadragon's pinch) and draw nothing.
        const cdp = await ctx.newCDPSession(page);
        const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', pts: Array<[number, number]>): Promise<unknown> =>
          cdp.send('Input.dispatchTouchEvent', { type, touchPoints: pts.map(([x, y], id) => ({ x, y, id })) });
        await touch('touchStart', [[c.x - 30, c.y]]);
        await touch('touchStart', [[c.x - 30, c.y], [c.x + 30, c.y]]);
        for (let k = 1; k <= 10; k++) await touch('touchMove', [[c.x - 30 - 8 * k, c.y], [c.x + 30 + 8 * k, c.y]]);
        await touch('touchEnd', []);
        await waitReady(page);
        const pinched = (await page.locator('lamina-slide-view').evaluate((el) => (el as unknown as { currentView(): { z: number } }).currentView()))!;
        expect(pinched.z).toBeGreaterThan(view.z * 1.5);
        expect(await stored(page)).toHaveLength(1);
      }
      expect(errors).toEqual([]);
      await ctx.close();
    });
  }

  it('`ready` means a viewer one can see: squeezed to nothing it is not ready, grown back it is again', async () => {
    const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await ctx.newPage();
    await page.goto(`${baseUrl()}#/figure/4`);
    await waitReady(page);
    const squeeze = (height: string): Promise<void> =>
      page.locator('lamina-slide-view').evaluate((el, h) => {
        const stage = el.shadowRoot!.querySelector<HTMLElement>('.stage')!;
        stage.style.flex = h ? 'none' : '';
        stage.style.height = h;
      }, height);
    await squeeze('20px');
    await expect.poll(() => page.locator('lamina-slide-view').getAttribute('ready'), { timeout: 10_000 }).toBeNull();
    await squeeze('');
    await waitReady(page);
    await ctx.close();
  });
});
