import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, openBrowser, waitReady } from './harness';

/**
 * The overlay's painted tiles (src/overlay/overlay-tiles.ts) in the built app: what the screen
 * shows follows the store after edits that bypass the selection (undo, redo), and dense slides
 * are drawn as marks unless the user picks the density view.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(page: Page): Promise<void> {
  await page.goto(`${baseUrl()}#/figure/4`);
  await waitReady(page);
  await page.waitForSelector('lamina-annotation-panel');
}

async function saved(page: Page): Promise<void> {
  await page.locator('lamina-annotation-panel').evaluate((el) =>
    (el as unknown as { session: { persistence: { flushed(): Promise<void> } } }).session.persistence.flushed(),
  );
  await expect.poll(() => page.locator('[data-testid=save-status]').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');
}

/** Inked overlay pixels (a mark's disc or ring) in a 9×9 device-pixel square round a page position (two frames on, so the overlay has drawn). */
async function inkAt(page: Page, x: number, y: number): Promise<number> {
  return page.locator('lamina-slide-view canvas.lamina-annotation-layer').evaluate(async (c, [px, py]) => {
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const canvas = c as HTMLCanvasElement;
    const r = canvas.getBoundingClientRect();
    const k = canvas.width / r.width;
    const cx = Math.round((px! - r.left) * k);
    const cy = Math.round((py! - r.top) * k);
    const d = canvas.getContext('2d')!.getImageData(cx - 4, cy - 4, 9, 9).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 40) n++;
    return n;
  }, [x, y]);
}

async function probe(page: Page): Promise<{ mode: string }> {
  return page.locator('lamina-slide-view').evaluate((el) => (el as unknown as { overlayProbe(): { mode: string } }).overlayProbe());
}

describe('overlay tiles in the browser', () => {
  it('an undone point leaves the screen and a redone one comes back, though neither is selected', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 850 } });
    const page = await ctx.newPage();
    await open(page);
    const b = (await page.locator('lamina-slide-view .stage').boundingBox())!;
    const a = { x: b.x + b.width / 2 - 80, y: b.y + b.height / 2 };
    const other = { x: b.x + b.width / 2 + 80, y: b.y + b.height / 2 };
    expect(await inkAt(page, a.x, a.y)).toBe(0);
    await page.getByRole('button', { name: 'Point', exact: true }).click();
    await page.mouse.click(a.x, a.y);
    await page.mouse.click(other.x, other.y);
    await saved(page);
    await page.locator('lamina-slide-view .osd').focus();
    await page.keyboard.press('Escape');
    const selected = () =>
      page.locator('lamina-annotation-panel').evaluate((el) => (el as unknown as { session: { editor: { selected: string | undefined } } }).session.editor.selected ?? null);
    await expect.poll(selected).toBe(null);
    // Both points are now in painted tiles, not in the live layer.
    expect(await inkAt(page, a.x, a.y)).toBeGreaterThan(40);
    expect(await inkAt(page, other.x, other.y)).toBeGreaterThan(40);
    await page.keyboard.press('Control+z');
    await saved(page);
    await expect.poll(selected).toBe(null);
    // The second point's tile was repainted without it; the first point is still drawn.
    expect(await inkAt(page, other.x, other.y)).toBe(0);
    expect(await inkAt(page, a.x, a.y)).toBeGreaterThan(40);
    await page.keyboard.press('Control+Shift+z');
    await saved(page);
    expect(await inkAt(page, other.x, other.y)).toBeGreaterThan(40);
    await ctx.close();
  });

  it('20,000 points are drawn as marks; the density view is the user’s choice', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 850 } });
    const page = await ctx.newPage();
    await open(page);
    const b = (await page.locator('lamina-slide-view .stage').boundingBox())!;
    // 20,000 points on a grid 240 image px apart (60 CSS px at this zoom) over the slide.
    const centre = await page.locator('lamina-slide-view').evaluate((el) => {
      const v = el as unknown as { currentView(): { x: number; y: number } };
      return v.currentView();
    });
    const SP = 240;
    const X0 = 320;
    const Y0 = 360;
    await page.locator('lamina-annotation-panel').evaluate(
      async (el, g) => {
        const s = (el as unknown as { session: { slideId: string; repo: { save(cs: unknown): Promise<void>; settled(): Promise<void> } } }).session;
        const created = [];
        for (let k = 0; k < 20_000; k++) {
          const i = k % 164;
          const j = Math.floor(k / 164);
          created.push({
            id: `grid-${k}`, slideId: s.slideId, classId: 'typical-mitosis',
            geometry: { type: 'point', point: [g.X0 + i * g.SP, g.Y0 + j * g.SP] },
            label: '', note: '', author: 'test', created: 1, updated: 1, rev: 1,
          });
        }
        await s.repo.save({ origin: 'import', created, updated: [], deleted: [] });
        await s.repo.settled();
      },
      { SP, X0, Y0 },
    );
    // The grid point nearest the view's centre, and the middle of its cell.
    const p = { x: X0 + SP * Math.round((centre.x - X0) / SP), y: Y0 + SP * Math.round((centre.y - Y0) / SP) };
    await page.reload();
    await waitReady(page);
    await expect.poll(() => page.locator('lamina-slide-view').getAttribute('annotations-drawn'), { timeout: 30_000 }).toBe('20000');
    expect((await probe(page)).mode).toMatch(/^marks/);
    // Each mark where its point is, and nothing between them.
    const toClient = (x: number, y: number) =>
      page.locator('lamina-slide-view').evaluate((el, q) => (el as unknown as { imageToClient(x: number, y: number): { x: number; y: number } }).imageToClient(q.x, q.y), { x, y });
    const at = await toClient(p.x, p.y);
    expect(at.x).toBeGreaterThan(b.x);
    expect(at.x).toBeLessThan(b.x + b.width);
    expect(await inkAt(page, at.x, at.y)).toBeGreaterThan(40);
    const mid = await toClient(p.x + SP / 2, p.y + SP / 2);
    expect(await inkAt(page, mid.x, mid.y)).toBe(0);
    await page.getByTestId('density-view').check();
    await expect.poll(async () => (await probe(page)).mode).toBe('density');
    await page.getByTestId('density-view').uncheck();
    await expect.poll(async () => (await probe(page)).mode).toMatch(/^marks/);
    await ctx.close();
  });
});
