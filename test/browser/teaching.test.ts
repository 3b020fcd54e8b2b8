import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import { OUT_DIR, baseUrl, openBrowser, waitReady } from './harness';

/**
 * A teacher builds a teaching set (a two-step tour and a mitosis quiz keyed by the ground
 * truth) and exports it; a trainee imports it in a fresh profile, studies the tour, takes the
 * quiz with deliberate misses and false marks, and sees exactly the score those earn.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const teach = (page: Page) => page.locator('lamina-set-author');

async function viewerReady(page: Page): Promise<void> {
  await waitReady(page);
  await page.waitForSelector('lamina-annotation-panel');
}

async function clickImage(page: Page, x: number, y: number): Promise<void> {
  const p = await page.locator('lamina-slide-view').evaluate((el, [ix, iy]) => (el as unknown as { imageToClient(x: number, y: number): { x: number; y: number } }).imageToClient(ix!, iy!), [x, y]);
  await page.mouse.click(p.x, p.y);
  // Two clicks close in time and place are a double-click: a trainee pauses between marks.
  await page.waitForTimeout(450);
}

describe('teaching sets (built app, real IndexedDB, real input)', () => {
  it('a teacher’s tour and ground-truth quiz travel in one file, and a trainee’s deliberate misses and false marks score exactly', async () => {
    const teacher = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const page = await teacher.newPage();
    await page.goto(`${baseUrl()}#/`);
    await page.getByRole('button', { name: 'New teaching set', exact: true }).click();
    await page.getByRole('textbox', { name: 'Set name' }).fill('Leiomyosarcoma: mitoses');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByTestId('sets').innerText()).toContain('Leiomyosarcoma: mitoses');

    // Two tour steps and a quiz on figure 5, at two views.
    await page.goto(`${baseUrl()}#/slide/he?x=29800&y=21200&z=20&r=0`); // the mitotic hot spot
    await viewerReady(page);
    await teach(page).getByRole('button', { name: 'Add tour step (this view)' }).click();
    await teach(page).getByRole('textbox', { name: 'Title' }).fill('The hot spot');
    await teach(page).getByRole('textbox', { name: /^Text/ }).fill('**Many** mitoses here.\n\n- look for *atypical* forms\n- <script>window.__pwned=1</script>');
    await teach(page).getByRole('button', { name: 'Save step' }).click();
    await expect.poll(() => teach(page).getByTestId('teach-status').innerText()).toBe('Tour step saved.');
    await teach(page).getByRole('button', { name: 'Add quiz here' }).click();
    await teach(page).getByRole('combobox', { name: 'Kind' }).selectOption('truth-mitoses');
    await teach(page).getByRole('button', { name: 'Save quiz item' }).click();
    await expect.poll(() => teach(page).getByTestId('teach-status').innerText()).toMatch(/Quiz item saved \(key: \d+ point\(s\)\)/);
    await page.locator('lamina-slide-view .osd').focus();
    await page.keyboard.press('Shift+Digit4');
    await viewerReady(page);
    await teach(page).getByRole('button', { name: 'Add tour step (this view)' }).click();
    await teach(page).getByRole('textbox', { name: 'Title' }).fill('Closer');
    await teach(page).getByRole('button', { name: 'Save step' }).click();
    await expect.poll(() => teach(page).getByTestId('teach-status').innerText()).toBe('Tour step saved.');

    await page.goto(`${baseUrl()}#/`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Leiomyosarcoma: mitoses' }).click()]);
    const bytes = readFileSync((await download.path())!);
    // The key, read from the file as another tool would.
    const zip = unzipSync(new Uint8Array(bytes));
    const manifest = JSON.parse(strFromU8(zip['manifest.json']!)) as { set: { items: Array<{ quizzes: Array<{ key: Array<[number, number]> }> }> } };
    const key = manifest.set.items[0]!.quizzes[0]!.key;
    expect(key.length).toBeGreaterThanOrEqual(3);
    await teacher.close();

    const trainee = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const t = await trainee.newPage();
    await t.goto(`${baseUrl()}#/`);
    await t.locator('lamina-sets-list input[type=file]').setInputFiles({ name: 'set.lamina-set.zip', mimeType: 'application/zip', buffer: bytes });
    await expect.poll(() => t.getByTestId('sets-status').innerText(), { timeout: 30_000 }).toMatch(/Imported “Leiomyosarcoma: mitoses”/);
    await t.getByRole('link', { name: 'Study' }).click();
    await waitReady(t);
    await expect.poll(() => t.getByTestId('step-title').innerText()).toBe('The hot spot');
    expect(await t.getByTestId('step-text').locator('strong').innerText()).toBe('Many');
    expect(await t.getByTestId('step-text').innerText()).toContain('<script>window.__pwned=1</script>');
    await t.keyboard.press('n');
    await expect.poll(() => t.getByTestId('step-title').innerText()).toBe('Closer');
    await expect.poll(() => t.locator('lamina-slide-view').evaluate((el) => (el as unknown as { currentView(): { z: number } }).currentView().z)).toBeGreaterThan(35);

    await t.getByRole('button', { name: 'Take' }).click();
    // The viewer flies back from the 40x step to the quiz's 20x field before anything is marked.
    await expect.poll(() => t.locator('lamina-slide-view').evaluate((el) => (el as unknown as { currentView(): { z: number } }).currentView().z)).toBeLessThan(21);
    await t.waitForTimeout(700); // the fit to the quiz's field animates
    await waitReady(t);
    // The whole field is in view: every key point lands inside the viewer.
    const stage = (await t.locator('lamina-slide-view .stage').boundingBox())!;
    for (const [x, y] of key) {
      const c = await t.locator('lamina-slide-view').evaluate((el, [ix, iy]) => (el as unknown as { imageToClient(x: number, y: number): { x: number; y: number } }).imageToClient(ix!, iy!), [x, y]);
      expect(c.x).toBeGreaterThan(stage.x);
      expect(c.x).toBeLessThan(stage.x + stage.width);
      expect(c.y).toBeGreaterThan(stage.y);
      expect(c.y).toBeLessThan(stage.y + stage.height);
    }
    // The page holds the question without its key.
    const hasKey = await t.locator('lamina-study-page').evaluate((el) => JSON.stringify((el as unknown as { set: unknown }).set).includes('"key"'));
    expect(hasKey).toBe(false);
    // Every key point but the first, and two marks far from any mitosis.
    for (const [x, y] of key.slice(1)) await clickImage(t, x + 2, y - 2);
    const box = await t.locator('lamina-slide-view').evaluate((el) => (el as unknown as { visibleBounds(): { x: number; y: number; width: number; height: number } }).visibleBounds());
    const far = (fx: number, fy: number): [number, number] => [box.x + box.width * fx, box.y + box.height * fy];
    const falseMarks = [far(0.03, 0.05), far(0.97, 0.95)].filter(([x, y]) => key.every(([kx, ky]) => Math.hypot(kx - x, ky - y) > 200));
    for (const [x, y] of falseMarks) await clickImage(t, x, y);
    const marks = await t.locator('lamina-slide-view').evaluate((el) => (el as unknown as { session: { store: { all(): Array<{ geometry: { type: string } }> } } }).session.store.all().filter((a) => a.geometry.type === 'point').length);
    expect(marks).toBe(key.length - 1 + falseMarks.length);
    await t.getByRole('button', { name: 'Submit', exact: true }).click();
    const k = key.length;
    const fp = falseMarks.length;
    const precision = (k - 1) / (k - 1 + fp);
    const sensitivity = (k - 1) / k;
    const f1 = (2 * precision * sensitivity) / (precision + sensitivity);
    await expect
      .poll(() => t.getByTestId('quiz-score').innerText(), { timeout: 10_000 })
      .toContain(`${k - 1} found, 1 missed, ${fp} false mark(s). Sensitivity ${Math.round(sensitivity * 100)}%, precision ${Math.round(precision * 100)}%, F1 ${Math.round(f1 * 100)}%.`);
    await t.screenshot({ path: `${OUT_DIR}/quiz-feedback.png` });
    expect(await t.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // The attempt is kept: back on the tour, the quiz shows it.
    await t.getByRole('button', { name: 'Back to the tour' }).click();
    await expect.poll(() => t.locator('aside').innerText()).toMatch(/1 attempt\(s\), best \d+%/);
    await trainee.close();
  });
});
