import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { OUT_DIR, baseUrl, openBrowser, waitReady } from './harness';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Violation {
  id: string;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** axe-core's violations on the page as it is now (open shadow roots included). */
async function violations(page: Page): Promise<Violation[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document): Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run(document);
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
}

/** One line per failing rule and element, so a failure says what to fix. */
function summary(vs: Violation[]): string[] {
  return vs.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.help}): ${JSON.stringify(n.target)}`));
}

async function open(hash: string, phone = false): Promise<{ page: Page; close(): Promise<void> }> {
  const ctx = await browser.newContext(
    phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport: { width: 1400, height: 900 } },
  );
  const page = await ctx.newPage();
  await page.goto(`${baseUrl()}${hash}`);
  return { page, close: () => ctx.close() };
}

describe('accessibility (axe-core)', () => {
  it('the case home has no violations', async () => {
    const { page, close } = await open('#/');
    await page.waitForSelector('lamina-case-home [data-testid=gallery]');
    expect(summary(await violations(page))).toEqual([]);
    await close();
  });

  it('figure 4, with its annotation panel, has no violations', async () => {
    const { page, close } = await open('#/figure/4');
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    expect(summary(await violations(page))).toEqual([]);
    await close();
  });

  it('compare mode has no violations', async () => {
    const { page, close } = await open('#/compare/he,sma,ki67');
    await expect.poll(() => page.locator('lamina-slide-view[ready]').count(), { timeout: 60_000 }).toBe(3);
    expect(summary(await violations(page))).toEqual([]);
    await close();
  });

  it('figure 4 with the shortcut list open (? on the focused viewer) has no violations', async () => {
    const { page, close } = await open('#/figure/4');
    await waitReady(page);
    await page.waitForSelector('lamina-annotation-panel');
    await page.locator('lamina-slide-view .osd').focus();
    await page.keyboard.press('Shift+Slash');
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
    await page.screenshot({ path: `${OUT_DIR}/a11y-help.png` });
    expect(summary(await violations(page))).toEqual([]);
    await close();
  });

  it('figure 4 on a phone, with the annotation sheet and the tools menu open, has no violations', async () => {
    const { page, close } = await open('#/figure/4', true);
    await waitReady(page);
    await page.waitForSelector('[data-testid=save-status][data-state=saved]');
    await page.getByRole('button', { name: /^Annotations \(/ }).tap();
    await page.getByRole('button', { name: 'Tool: Select' }).tap();
    await expect.poll(() => page.getByRole('button', { name: 'Point', exact: true }).isVisible()).toBe(true);
    expect(summary(await violations(page))).toEqual([]);
    await close();
  });
});
