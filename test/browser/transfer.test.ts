import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OUT_DIR, baseUrl, openBrowser, waitReady } from './harness';

/** Annotations in and out: QuPath GeoJSON and W3C files through the panel's Import and Export. */
let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(ctx: BrowserContext, hash = '#/slide/he?x=4000&y=4000&z=1&r=0'): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${baseUrl()}${hash}`);
  await waitReady(page);
  await page.waitForSelector('lamina-annotation-panel');
  return page;
}

type Stored = { id: string; classId: string; geometry: unknown; label: string; note: string; author: string; created: number; updated: number };
const stored = (page: Page): Promise<Stored[]> =>
  page.locator('lamina-annotation-panel').evaluate((el) =>
    (el as unknown as { session: { store: { all(): Stored[] } } }).session.store
      .all()
      .map(({ id, classId, geometry, label, note, author, created, updated }) => ({ id, classId, geometry: JSON.parse(JSON.stringify(geometry)) as unknown, label, note, author, created, updated }))
      .sort((a, b) => a.id.localeCompare(b.id)),
  );
const heading = (page: Page): Promise<string> => page.getByRole('heading', { name: /^Annotations \(/ }).innerText();

async function importFile(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.locator('lamina-transfer-controls input[type=file]').setInputFiles({ name, mimeType: 'application/json', buffer });
}

describe('import and export (real files, real IndexedDB)', () => {
  it('imports a QuPath file: shapes on the slide, a summary per class, what was left out; undone in one step', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await open(ctx);
    expect(await heading(page)).toBe('Annotations (0)');
    await importFile(page, 'qupath-0.5.geojson', readFileSync('test/fixtures/annotations/qupath-0.5.geojson'));
    const summary = page.getByTestId('import-summary');
    await expect.poll(() => summary.innerText(), { timeout: 30_000 }).toMatch(/Imported 7 annotation\(s\) from qupath-0.5.geojson \(QuPath GeoJSON\)/);
    expect(await summary.innerText()).toMatch(/Left out: 1 QuPath detection objects/);
    expect(await heading(page)).toBe('Annotations (7)');
    await expect.poll(() => page.locator('lamina-slide-view').getAttribute('annotations-drawn')).not.toBeNull();
    await page.screenshot({ path: `${OUT_DIR}/import-qupath.png` });
    // Survives a reload, then one Undo removes all seven.
    await page.reload();
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await expect.poll(() => heading(page)).toBe('Annotations (7)');
    await importFile(page, 'again.geojson', readFileSync('test/fixtures/annotations/qupath-0.5.geojson'));
    await expect.poll(() => page.getByTestId('import-summary').innerText(), { timeout: 30_000 }).toMatch(/6 had ids already in use here/);
    expect(await heading(page)).toBe('Annotations (14)');
    await page.getByRole('button', { name: 'Undo import', exact: true }).click();
    await expect.poll(() => heading(page)).toBe('Annotations (7)');
    await ctx.close();
  });

  it('exports QuPath GeoJSON and W3C, and a fresh profile imports each back to the same annotations', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const page = await open(ctx);
    // Drawn with real input: a polygon, a point with a label and a note.
    const b = (await page.locator('lamina-slide-view .stage').boundingBox())!;
    await page.getByRole('button', { name: 'Polygon', exact: true }).click();
    await page.mouse.click(b.x + 300, b.y + 200);
    await page.mouse.click(b.x + 500, b.y + 220);
    await page.mouse.dblclick(b.x + 420, b.y + 400);
    await page.getByRole('button', { name: 'Point', exact: true }).click();
    await page.mouse.click(b.x + 700, b.y + 300);
    await page.getByRole('textbox', { name: 'Label', exact: true }).fill('mitosis 1');
    await page.getByRole('textbox', { name: 'Label', exact: true }).press('Tab');
    await page.getByRole('textbox', { name: 'Note', exact: true }).fill('ring form <script>x</script>');
    await page.getByRole('textbox', { name: 'Note', exact: true }).press('Tab');
    await expect.poll(() => page.locator('[data-testid=save-status]').getAttribute('data-state')).toBe('saved');
    const original = await stored(page);
    expect(original).toHaveLength(2);
    for (const [format, button] of [['qupath', 'QuPath GeoJSON (.geojson)'], ['w3c', 'W3C Web Annotation JSON (Annotorious)']] as const) {
      await page.getByRole('button', { name: 'Export', exact: true }).click();
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
      const text = readFileSync((await download.path())!);
      const fresh = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const other = await open(fresh);
      await importFile(other, download.suggestedFilename(), text);
      await expect.poll(() => heading(other), { timeout: 30_000 }).toBe('Annotations (2)');
      expect(await stored(other), format).toEqual(original);
      await fresh.close();
    }
    await ctx.close();
  });

  it('a large import (packed: no record per shape) survives a reload, and its shapes can be edited like any other', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await open(ctx);
    const features = Array.from({ length: 2500 }, (_, i) => ({
      type: 'Feature',
      id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
      geometry: { type: 'Point', coordinates: [1000 + (i % 50) * 40, 1000 + Math.floor(i / 50) * 40] },
      properties: { objectType: 'annotation', classification: { name: 'Ki67 positive nucleus', color: [107, 62, 18] } },
    }));
    await importFile(page, 'nuclei.geojson', Buffer.from(JSON.stringify({ type: 'FeatureCollection', features })));
    await expect.poll(() => page.getByTestId('import-summary').innerText(), { timeout: 60_000 }).toMatch(/Imported 2,500 annotation/);
    await expect.poll(() => page.locator('[data-testid=save-status]').getAttribute('data-state')).toBe('saved');
    // Edit one of them (its first edit has no record to check against), then reload.
    await page.locator('lamina-annotation-panel').evaluate((el) => {
      const s = (el as unknown as { session: { store: { get(id: string): unknown }; editor: { update(a: unknown, p: unknown): boolean } } }).session;
      s.editor.update(s.store.get('00000000-0000-4000-8000-000000000007'), { note: 'edited after import' });
    });
    await expect.poll(() => page.locator('[data-testid=save-status]').getAttribute('data-state')).toBe('saved');
    await page.reload();
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await expect.poll(() => heading(page), { timeout: 30_000 }).toBe('Annotations (2500)');
    const note = await page.locator('lamina-annotation-panel').evaluate(
      (el) => (el as unknown as { session: { store: { get(id: string): { note: string } | undefined } } }).session.store.get('00000000-0000-4000-8000-000000000007')?.note,
    );
    expect(note).toBe('edited after import');
    await ctx.close();
  });

  it('a hostile or broken file shows where it fails, in an alert, and adds nothing', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await open(ctx);
    const broken = '{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"name":"<img src=x onerror=window.__pwned=1>"}},{"type":"Feature","geometry":{"type":"Polygon","coordinates":"no"}}]}';
    await importFile(page, 'broken.geojson', Buffer.from(broken));
    const alert = page.getByRole('alert').filter({ hasText: 'broken.geojson' });
    await expect.poll(() => alert.innerText(), { timeout: 30_000 }).toBe('broken.geojson: feature 2: geometry.coordinates: is not an array Nothing was imported.');
    expect(await heading(page)).toBe('Annotations (0)');
    await importFile(page, 'cut.geojson', Buffer.from(broken.slice(0, 60)));
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'cut.geojson' }).innerText()).toMatch(/not valid JSON/);
    expect(await heading(page)).toBe('Annotations (0)');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await ctx.close();
  });
});
