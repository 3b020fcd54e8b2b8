import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { baseUrl, openBrowser, waitReady } from './harness';

/**
 * What is saved can be read back, and what cannot be read is never dropped: limits refused up
 * front (typed, pasted or by any other route), an unreadable record kept aside and exported,
 * a backup restored in a fresh profile, the class picked last remembered per slide.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function open(ctx: BrowserContext, hash = '#/slide/he?x=25000&y=15000&z=10&r=0'): Promise<Page> {
  const page = await ctx.newPage();
  await page.goto(`${baseUrl()}${hash}`);
  await waitReady(page);
  await page.waitForSelector('lamina-annotation-panel');
  return page;
}

type S = {
  store: { size: number; all(): Array<{ id: string; note: string; classId: string }>; get(id: string): { note: string } | undefined };
  editor: { update(a: unknown, p: unknown): boolean; selected?: string };
  persistence: { flushed(): Promise<void> };
};
const session = (page: Page) => page.locator('lamina-annotation-panel');
const saved = (page: Page) => session(page).evaluate((el) => (el as unknown as { session: S }).session.persistence.flushed());

async function placePoint(page: Page): Promise<string> {
  const b = (await page.locator('lamina-slide-view .stage').boundingBox())!;
  await page.getByRole('button', { name: 'Point', exact: true }).click();
  await page.mouse.click(b.x + b.width / 2, b.y + b.height / 2);
  await saved(page);
  return session(page).evaluate((el) => (el as unknown as { session: S }).session.store.all()[0]!.id);
}

describe('checked both ways, kept aside, backed up', () => {
  it('a note past the limit is refused by every route, with a message, and nothing is lost or cut', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await open(ctx);
    const id = await placePoint(page);
    // A new point is selected at once: its note field is there, with its count.
    const note = page.getByRole('textbox', { name: 'Note', exact: true });
    await note.fill('first');
    await note.press('Tab');
    await saved(page);
    await expect.poll(() => page.locator('#note-count').first().innerText().catch(() => session(page).locator('#note-count').innerText())).toBe('5 / 10,000');
    // Not through the field: the editor refuses, says why, keeps the old note.
    const ok = await session(page).evaluate((el, id) => {
      const s = (el as unknown as { session: S }).session;
      return s.editor.update(s.store.get(id), { note: 'x'.repeat(20_000) });
    }, id);
    expect(ok).toBe(false);
    await expect.poll(() => page.getByTestId('refusal').innerText()).toMatch(/note: must be text of at most 10000 characters \(it has 20000\)/);
    // Pasted past the limit: refused whole, with the numbers.
    await page.evaluate(() => navigator.clipboard.writeText('y'.repeat(10_000)));
    await note.click();
    await note.press('End');
    await note.press('Control+V');
    await expect.poll(() => page.getByTestId('refusal').innerText()).toBe('Not pasted: the note would have 10,005 characters, and its limit is 10,000. Shorten the text and paste again.');
    expect(await note.inputValue()).toBe('first');
    await page.reload();
    await waitReady(page);
    await expect.poll(() => session(page).evaluate((el, id) => (el as unknown as { session: S }).session.store.get(id)?.note, id)).toBe('first');
    await ctx.close();
  });

  it('an unreadable stored record is kept aside, counted, and goes into Export everything; the backup restores in a fresh profile', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    const page = await open(ctx);
    await placePoint(page);
    // A record no build of Lamina could read, as a damaged disk or a newer version might leave it.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const req = indexedDB.open('lamina');
          req.onsuccess = () => {
            const tx = req.result.transaction('annotations', 'readwrite');
            tx.objectStore('annotations').put({ id: 'broken-1', slideId: 'he', classId: 'necrosis', geometry: { type: 'point', point: [null, 3] }, label: '', note: 'damaged', author: '', created: 1, updated: 1, rev: 1, seq: 99 });
            tx.oncomplete = () => {
              req.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    await page.reload();
    await waitReady(page);
    await expect.poll(() => page.getByTestId('rejected').innerText()).toMatch(/^1 stored annotation\(s\) of this slide could not be read\. They are kept aside/);
    expect(await session(page).evaluate((el) => (el as unknown as { session: S }).session.store.size)).toBe(1);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export everything' }).click()]);
    const backup = readFileSync((await download.path())!);
    const json = JSON.parse(backup.toString('utf8')) as { slides: Array<{ slideId: string; annotations: unknown[] }>; unreadable: Array<{ raw: { note: string } }> };
    expect(json.slides).toEqual([expect.objectContaining({ slideId: 'he', annotations: [expect.anything()] })]);
    expect(json.unreadable.map((u) => u.raw.note)).toEqual(['damaged']);
    await ctx.close();

    const fresh = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const other = await open(fresh);
    await other.locator('lamina-backup-controls input[type=file]').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: backup });
    await expect.poll(() => other.getByTestId('backup-status').innerText()).toMatch(/1 annotation\(s\) added/);
    await expect.poll(() => session(other).evaluate((el) => (el as unknown as { session: S }).session.store.size)).toBe(1);
    await fresh.close();
  });

  it('the class picked last on a slide is the one the Point tool records after a reload', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await open(ctx);
    await page.locator('lamina-slide-view .osd').focus();
    await page.keyboard.press('3'); // typical mitosis: picks the Point tool too
    await expect.poll(() => page.getByRole('button', { name: /^Typical mitosis/ }).first().getAttribute('aria-pressed')).toBe('true');
    await page.waitForTimeout(300);
    await page.reload();
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await placePoint(page);
    const cls = await session(page).evaluate((el) => (el as unknown as { session: S }).session.store.all()[0]!.classId);
    expect(cls).toBe('typical-mitosis');
    await ctx.close();
  });
});
