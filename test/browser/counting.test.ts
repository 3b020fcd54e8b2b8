import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { GroundTruth } from '../../src/specimen/truth';
import type { SceneSpec } from '../../src/specimen/scene';
import { baseUrl, openBrowser, OUT_DIR, waitReady } from './harness';

/**
 * Counting end to end with real pointer input: ten high-power fields laid from a click on the
 * hot spot, every true mitosis in them marked by a click, and the count is exactly the truth's;
 * the Ki67 assist on a drawn region proposes nuclei whose index is near the truth's.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const spec = JSON.parse(readFileSync('images/lms-block.scene.json', 'utf8')) as SceneSpec;
const MPP = 0.25;
const count = (page: Page) => page.locator('lamina-count-panel');

async function toClient(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  return page.locator('lamina-slide-view').evaluate((el, [ix, iy]) => (el as unknown as { imageToClient(x: number, y: number): { x: number; y: number } }).imageToClient(ix!, iy!), [x, y]);
}

async function settle(page: Page): Promise<void> {
  await page.waitForTimeout(700); // the view's animation
  await waitReady(page);
}

type Store = { store: { all(): Array<{ classId: string; geometry: { type: string; center?: [number, number]; rx?: number } }> } };

describe('counting (built app, real pointer input)', () => {
  it('marking exactly the true mitoses in ten fields laid on the hot spot gives exactly the truth’s count', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${baseUrl()}#/slide/he?x=29800&y=21200&z=2.5&r=0`);
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await count(page).getByRole('button', { name: 'Place 10 fields…' }).click();
    const start = await toClient(page, 27600, 20100);
    await page.mouse.click(start.x, start.y);
    await expect.poll(() => page.locator('lamina-annotation-panel').evaluate((el) => (el as unknown as { session: Store }).session.store.all().filter((a) => a.classId === 'hpf').length)).toBe(10);
    const fields = await page.locator('lamina-annotation-panel').evaluate((el) =>
      (el as unknown as { session: Store }).session.store.all().filter((a) => a.classId === 'hpf').map((a) => ({ c: a.geometry.center!, r: a.geometry.rx! })),
    );
    // The truth, from the same scene, in the same fields.
    const truth = new GroundTruth(spec, 'he');
    const minX = Math.min(...fields.map((f) => f.c[0] - f.r)) * MPP;
    const minY = Math.min(...fields.map((f) => f.c[1] - f.r)) * MPP;
    const maxX = Math.max(...fields.map((f) => f.c[0] + f.r)) * MPP;
    const maxY = Math.max(...fields.map((f) => f.c[1] + f.r)) * MPP;
    const inFields = truth
      .mitoses({ x: minX, y: minY, width: maxX - minX, height: maxY - minY })
      .map((m) => ({ x: m.x / MPP, y: m.y / MPP, atypical: m.atypical }))
      // Clear of the fields' edges, where a screen pixel could put a mark on the other side.
      .filter((m) => fields.some((f) => Math.hypot(m.x - f.c[0], m.y - f.c[1]) <= f.r - 8));
    const onEdge = truth.mitoses({ x: minX, y: minY, width: maxX - minX, height: maxY - minY }).filter((m) => fields.some((f) => Math.abs(Math.hypot(m.x / MPP - f.c[0], m.y / MPP - f.c[1]) - f.r) < 8)).length;
    expect(inFields.length).toBeGreaterThan(10);
    // Each mitosis marked with a click at 40x, typical (key 3) or atypical (key 2).
    for (const m of inFields) {
      await page.locator('lamina-slide-view').evaluate((el, [x, y]) => (el as unknown as { jumpTo(v: unknown): void }).jumpTo({ x, y, z: 40, r: 0 }), [m.x, m.y]);
      await page.waitForTimeout(50);
      await page.locator('lamina-slide-view .osd').focus();
      await page.keyboard.press(m.atypical ? '2' : '3');
      const p = await toClient(page, m.x, m.y);
      await page.mouse.click(p.x, p.y);
      await page.waitForTimeout(420); // not a double-click
    }
    await page.locator('lamina-slide-view').evaluate((el) => (el as unknown as { jumpTo(v: unknown): void }).jumpTo({ x: 31000, y: 21200, z: 2.5, r: 0 }));
    await settle(page);
    const truthTotal = inFields.length + onEdge;
    // Marks within 8 px of an edge were left out; with none there, the count is the truth's to the cell.
    await expect.poll(() => count(page).getByTestId('mitotic-count').innerText()).toBe(`${inFields.length} per 10 HPF`);
    await count(page).getByRole('checkbox', { name: 'Compare with the ground truth' }).check();
    await expect.poll(() => count(page).getByTestId('mitotic-truth').innerText()).toBe(
      `Truth: ${truthTotal} mitoses in these fields (${truth.mitoticCount(fields.map((f) => ({ x: f.c[0] * MPP, y: f.c[1] * MPP, r: f.r * MPP }))).atypical} atypical). You missed ${onEdge} (red) and marked 0 that are not (orange).`,
    );
    expect(await count(page).getByTestId('mitotic-detail').innerText()).toMatch(/10 field\(s\) of 0\.2376 mm² \(2\.376 mm² in all\)/);
    await page.screenshot({ path: `${OUT_DIR}/mitotic-count.png` });
    await ctx.close();
  });

  it('the Ki67 assist proposes the nuclei of a drawn region; its index is near the truth’s; Undo takes them back', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(`${baseUrl()}#/slide/ki67?x=30000&y=21200&z=10&r=0`);
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await count(page).getByRole('tab', { name: 'Ki67' }).click();
    await count(page).getByRole('button', { name: 'Draw a Ki67 region' }).click();
    // A square of 1200 × 1200 image pixels (300 µm) round the centre, drawn with real clicks.
    const corners = [[29400, 20600], [30600, 20600], [30600, 21800], [29400, 21800]];
    for (const [x, y] of corners.slice(0, 3)) {
      const p = await toClient(page, x!, y!);
      await page.mouse.click(p.x, p.y);
      await page.waitForTimeout(420);
    }
    const last = await toClient(page, corners[3]![0]!, corners[3]![1]!);
    await page.mouse.dblclick(last.x, last.y);
    await expect.poll(() => count(page).getByTestId('ki67-index').innerText()).toMatch(/Ki67 index/);
    await count(page).getByRole('button', { name: 'Find nuclei in the regions' }).click();
    await expect.poll(() => count(page).getByTestId('count-status').innerText(), { timeout: 60_000 }).toMatch(/The assist proposed [\d,]+ nuclei/);
    await page.screenshot({ path: `${OUT_DIR}/ki67-assist.png` });
    const shown = Number(/([\d.]+)%/.exec(await count(page).getByTestId('ki67-index').innerText())![1]);
    const truthShown = Number(/([\d.]+)%/.exec(await count(page).getByTestId('ki67-truth').innerText())![1]);
    expect(Math.abs(shown - truthShown)).toBeLessThanOrEqual(3);
    const proposed = Number(/proposed ([\d,]+)/.exec(await count(page).getByTestId('count-status').innerText())![1]!.replace(/,/g, ''));
    expect(proposed).toBeGreaterThan(500);
    await page.screenshot({ path: `${OUT_DIR}/ki67-assist.png` });
    await page.locator('lamina-slide-view .osd').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => count(page).getByTestId('ki67-index').innerText()).toBe('Ki67 index —');
    await ctx.close();
  });
});
