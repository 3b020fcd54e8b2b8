import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, openBrowser } from './harness';
import { burstThenCount, killThenCount, openFigure } from './bursts';

/**
 * Edits made at machine speed survive whatever ends the page right after them: a reload, a
 * closed tab, a crashed renderer, a killed browser (the write-ahead journal, storage/journal.ts).
 */
let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const N = 40;

describe('durability of bursts of edits (real IndexedDB, real clicks)', () => {
  for (const ending of ['reload', 'close', 'crash'] as const) {
    it(`${N} points clicked at machine speed, then ${ending === 'crash' ? 'the renderer crashes' : ending === 'close' ? 'the tab is closed' : 'a reload in the same task as the last one'}: none lost`, async () => {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 850 } });
      const page = await ctx.newPage();
      await openFigure(page, baseUrl());
      expect(await burstThenCount(ctx, page, baseUrl(), N, ending)).toBe(N);
      await ctx.close();
    });
  }

  it(`${N} points, then the whole browser is killed (SIGKILL) as soon as the page says "All saved": none lost`, async () => {
    // Killed sooner, a browser loses what its IndexedDB had not committed: localStorage, where
    // the journal lives, reaches the disk seconds later (see the bench's kill line).
    expect(await killThenCount(baseUrl(), N, 'saved')).toBe(N);
  });
});
