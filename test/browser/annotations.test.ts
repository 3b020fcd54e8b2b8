import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OUT_DIR, baseUrl, openBrowser, waitReady } from './harness';

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A fresh profile (empty IndexedDB) per test; pages in one context share it like tabs do. */
async function context(): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1400, height: 850 } });
}

async function openSlide(ctx: BrowserContext, hash = '#/figure/4'): Promise<{ page: Page; errors: string[] }> {
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl()}${hash}`);
  await waitReady(page);
  await page.waitForSelector('lamina-annotation-panel');
  return { page, errors };
}

async function stageCentre(page: Page): Promise<{ x: number; y: number }> {
  const b = (await page.locator('lamina-slide-view .stage').boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

async function dragOn(page: Page, x0: number, y0: number, x1: number, y1: number, steps = 8): Promise<void> {
  await page.mouse.move(x0, y0);
  await page.mouse.down();
  await page.mouse.move(x1, y1, { steps });
  await page.mouse.up();
}

async function tool(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click();
}

/** A class chip in the toolbar: its name is its visible text, the class name and its key if any. */
function chip(page: Page, name: string) {
  return page.getByRole('button', { name: new RegExp(`^${name}( \\d)?$`) });
}

async function counts(page: Page): Promise<Record<string, number>> {
  const rows = await page.locator('[data-testid=class-counts] tr').all();
  const out: Record<string, number> = {};
  for (const r of rows) {
    const id = (await r.getAttribute('data-class'))!;
    out[id] = Number(await r.locator('.count').innerText());
  }
  return out;
}

async function saved(page: Page): Promise<void> {
  // The indicator is drawn once the write lands (or 50 ms on), so right after an edit it can
  // still read "saved" from before: wait for the writes themselves too.
  await page.locator('lamina-annotation-panel').evaluate((el) =>
    (el as unknown as { session: { persistence: { flushed(): Promise<void> } } }).session.persistence.flushed(),
  );
  await expect.poll(() => page.locator('[data-testid=save-status]').getAttribute('data-state'), { timeout: 10_000 }).toBe('saved');
}

async function geometryTypes(page: Page): Promise<string[]> {
  return page.locator('lamina-annotation-panel').evaluate((el) =>
    (el as unknown as { session: { store: { all(): Array<{ geometry: { type: string } }> } } }).session.store
      .all()
      .map((a) => a.geometry.type)
      .sort(),
  );
}

describe('annotations in the browser (real IndexedDB)', () => {
  it('draws every shape with real pointer events, and everything is still there after a reload', async () => {
    const ctx = await context();
    const { page, errors } = await openSlide(ctx);
    const c = await stageCentre(page);
    await page.locator('[data-testid=author]').fill('Dr Rossi');
    await page.locator('[data-testid=author]').press('Tab');
    // Polygon (necrosis): click vertices, double-click to close.
    await tool(page, 'Polygon');
    await page.mouse.click(c.x - 200, c.y - 100);
    await page.mouse.click(c.x - 50, c.y - 150);
    await page.mouse.click(c.x + 20, c.y - 20);
    await page.mouse.dblclick(c.x - 150, c.y + 60);
    // Freehand.
    await tool(page, 'Freehand');
    await page.mouse.move(c.x + 100, c.y + 100);
    await page.mouse.down();
    for (let i = 1; i <= 40; i++) await page.mouse.move(c.x + 100 + 80 * Math.sin((i / 40) * Math.PI * 2), c.y + 100 + 60 * (1 - Math.cos((i / 40) * Math.PI * 2)));
    await page.mouse.up();
    // Rectangle, ellipse, ruler.
    await tool(page, 'Rectangle');
    await dragOn(page, c.x - 380, c.y + 120, c.x - 280, c.y + 200);
    await tool(page, 'Ellipse');
    await dragOn(page, c.x + 250, c.y - 250, c.x + 330, c.y - 200);
    await tool(page, 'Ruler');
    await dragOn(page, c.x - 400, c.y - 250, c.x - 250, c.y - 250);
    // Points: key 2 = atypical mitosis, key 3 = typical mitosis (keys pick the point tool).
    await tool(page, 'Select');
    await page.keyboard.press('Escape');
    await page.locator('lamina-slide-view .osd').focus();
    await page.keyboard.press('2');
    await page.mouse.click(c.x + 300, c.y + 50);
    await page.keyboard.press('3');
    await page.mouse.click(c.x + 330, c.y + 80);
    await saved(page);
    const before = await geometryTypes(page);
    expect(before).toEqual(['ellipse', 'freehand', 'line', 'point', 'point', 'polygon', 'rectangle']);
    const cBefore = await counts(page);
    expect(cBefore['atypical-mitosis']).toBeGreaterThanOrEqual(1);
    expect(cBefore['typical-mitosis']).toBe(1);
    await page.screenshot({ path: `${OUT_DIR}/annotations-drawn.png` });
    await page.reload();
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await expect.poll(() => geometryTypes(page)).toEqual(before);
    expect(await counts(page)).toEqual(cBefore);
    const authors = await page.locator('lamina-annotation-panel').evaluate((el) =>
      [...new Set((el as unknown as { session: { store: { all(): Array<{ author: string }> } } }).session.store.all().map((a) => a.author))],
    );
    expect(authors).toEqual(['Dr Rossi']);
    expect(errors).toEqual([]);
    await ctx.close();
  });

  it('two tabs on the same slide see each other’s edits; concurrent edits to different annotations both survive', async () => {
    const ctx = await context();
    const a = await openSlide(ctx);
    const b = await openSlide(ctx);
    const ca = await stageCentre(a.page);
    await tool(a.page, 'Point');
    await a.page.mouse.click(ca.x - 100, ca.y);
    await tool(b.page, 'Point');
    const cb = await stageCentre(b.page);
    await b.page.mouse.click(cb.x + 100, cb.y);
    await saved(a.page);
    await saved(b.page);
    await expect.poll(() => geometryTypes(a.page), { timeout: 5000 }).toEqual(['point', 'point']);
    await expect.poll(() => geometryTypes(b.page), { timeout: 5000 }).toEqual(['point', 'point']);
    // Both survive a reload of either tab.
    await a.page.reload();
    await waitReady(a.page);
    await a.page.waitForSelector('lamina-annotation-panel');
    await expect.poll(() => geometryTypes(a.page)).toEqual(['point', 'point']);
    await ctx.close();
  });

  it('shows a hostile note and label literally and runs nothing', async () => {
    const ctx = await context();
    const { page } = await openSlide(ctx);
    const c = await stageCentre(page);
    await tool(page, 'Rectangle');
    await dragOn(page, c.x - 100, c.y - 100, c.x + 100, c.y + 50);
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    await page.getByRole('textbox', { name: 'Note', exact: true }).fill(hostile);
    await page.getByRole('textbox', { name: 'Note', exact: true }).press('Tab');
    await page.getByRole('textbox', { name: 'Label', exact: true }).fill('<b onmouseover=alert(1)>x</b>');
    await page.getByRole('textbox', { name: 'Label', exact: true }).press('Tab');
    await saved(page);
    await expect.poll(() => page.locator('[data-testid=note-view]').innerText()).toBe(hostile);
    expect(await page.locator('[data-testid=annotation-list]').innerText()).toContain('<img src=x onerror=');
    expect(await page.locator('lamina-annotation-panel img').count()).toBe(0);
    await page.reload();
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await expect.poll(() => page.locator('[data-testid=annotation-list]').innerText()).toContain('<script>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: `${OUT_DIR}/annotations-hostile.png` });
    await ctx.close();
  });

  it('undo and redo are saved: a reload shows the undone and redone state', async () => {
    const ctx = await context();
    const { page } = await openSlide(ctx);
    const c = await stageCentre(page);
    await tool(page, 'Point');
    await page.mouse.click(c.x - 50, c.y);
    await page.mouse.click(c.x + 50, c.y);
    await saved(page);
    await page.locator('lamina-slide-view .osd').focus();
    await page.keyboard.press('Control+z');
    await saved(page);
    expect(await geometryTypes(page)).toEqual(['point']);
    await page.reload();
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await expect.poll(() => geometryTypes(page)).toEqual(['point']);
    // Delete the remaining one, reload, then undo the delete: it comes back and stays back.
    await tool(page, 'Select');
    const p = await page.locator('lamina-annotation-panel').evaluate((el) => {
      const s = (el as unknown as { session: { store: { all(): Array<{ id: string }> }; editor: { select(id: string): void; deleteSelected(): void } } }).session;
      s.editor.select(s.store.all()[0]!.id);
      return s.store.all()[0]!.id;
    });
    expect(p).toBeTruthy();
    await page.locator('lamina-slide-view .osd').focus();
    await page.keyboard.press('Delete');
    await saved(page);
    expect(await geometryTypes(page)).toEqual([]);
    await page.keyboard.press('Control+z');
    await saved(page);
    expect(await geometryTypes(page)).toEqual(['point']);
    await page.keyboard.press('Control+Shift+z');
    await saved(page);
    expect(await geometryTypes(page)).toEqual([]);
    await page.reload();
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await page.waitForTimeout(300);
    expect(await geometryTypes(page)).toEqual([]);
    await ctx.close();
  });

  it('every tool button has an accessible name, ? opens the shortcut list, and a class can be added', async () => {
    const ctx = await context();
    const { page } = await openSlide(ctx);
    for (const name of ['Point', 'Polygon', 'Freehand', 'Rectangle', 'Ellipse', 'Ruler', 'Select']) {
      expect(await page.getByRole('button', { name, exact: true }).count()).toBe(1);
    }
    await page.locator('lamina-slide-view .osd').focus();
    await page.keyboard.press('Shift+Slash');
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
    expect(await page.getByRole('dialog').innerText()).toContain('Undo');
    await page.keyboard.press('Escape');
    // A teacher's own class: added, stored, offered in the toolbar after a reload.
    await page.getByRole('textbox', { name: 'New class name' }).fill('Vascular invasion');
    await page.getByRole('button', { name: 'Add class', exact: true }).click();
    await expect.poll(() => chip(page, 'Vascular invasion').count()).toBe(1);
    await page.reload();
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await expect.poll(() => chip(page, 'Vascular invasion').count()).toBe(1);
    // Keys 1–9 were all taken; give the new class key 1. Necrosis, which had it, is left without
    // one (the new class's old "no key"), and key 1 now picks the new class — after a reload too.
    await page.getByRole('button', { name: 'Edit class Vascular invasion', exact: true }).click();
    await page.getByRole('combobox', { name: 'Shortcut key' }).selectOption('1');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    // Stored (the toolbar shows the new key) before the reload.
    await expect.poll(() => chip(page, 'Vascular invasion').getAttribute('title')).toBe('Vascular invasion (1)');
    await page.reload();
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await expect.poll(() => chip(page, 'Vascular invasion').getAttribute('title')).toBe('Vascular invasion (1)');
    expect(await chip(page, 'Necrosis zone').getAttribute('title')).toBe('Necrosis zone');
    await page.locator('lamina-slide-view .osd').focus();
    await page.keyboard.press('1');
    await expect.poll(() => chip(page, 'Vascular invasion').getAttribute('aria-pressed')).toBe('true');
    await ctx.close();
  });

  it('compare mode shows each section’s annotations where they were drawn, without tools', async () => {
    const ctx = await context();
    const { page } = await openSlide(ctx, '#/slide/he?x=25000&y=15000&z=10&r=0');
    const c = await stageCentre(page);
    await tool(page, 'Point');
    await page.mouse.click(c.x, c.y);
    await saved(page);
    await page.goto(`${baseUrl()}#/compare/he,sma?x=25000&y=15000&z=10&r=0`);
    await expect.poll(() => page.locator('lamina-slide-view[annotations-drawn]').count(), { timeout: 60_000 }).toBe(2);
    expect(await page.locator('lamina-slide-view[data-slide=he]').getAttribute('annotations-drawn')).toBe('1');
    expect(await page.locator('lamina-slide-view[data-slide=sma]').getAttribute('annotations-drawn')).toBe('0');
    expect(await page.locator('lamina-annotation-toolbar').count()).toBe(0);
    await expect.poll(() => page.locator('lamina-slide-view[ready]').count(), { timeout: 60_000 }).toBe(2);
    await page.screenshot({ path: `${OUT_DIR}/compare-annotations.png` });
    await ctx.close();
  });
});
