import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, openBrowser } from './harness';
import { burstThenCount, killThenCount, openFigure } from './bursts';

/**
 * Edits made at machine speed survive whatever ends the page right after them: a reload in the
 * same task as the last edit, a closed tab, a crashed renderer, a killed browser. Two mechanisms
 * do it (see storage/journal.ts and storage/write-protocol.ts); each is checked on its own where
 * it is the one that must hold, and the app as shipped has both.
 */
let browser: Browser;
beforeAll(async () => {
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const N = 40;
const ENDINGS = { reload: 'a reload in the same task as the last one', close: 'the tab is closed', crash: 'the renderer crashes' } as const;
const SETUPS = [
  ['as shipped', ''],
  // The journal alone: writes from the page's own thread, which the burst starves.
  ['with only the journal', '?writer=page'],
] as const;

describe('durability of bursts of edits (real IndexedDB, real clicks)', () => {
  for (const [setup, query] of SETUPS) {
    for (const ending of ['reload', 'close', 'crash'] as const) {
      it(`${setup}: ${N} points clicked at machine speed, then ${ENDINGS[ending]}: none lost`, async () => {
        const ctx = await browser.newContext({ viewport: { width: 1400, height: 850 } });
        const page = await ctx.newPage();
        await openFigure(page, baseUrl(), query);
        expect(await burstThenCount(ctx, page, baseUrl(), N, ending, query)).toBe(N);
        await ctx.close();
      });
    }
  }

  it(`as shipped: ${N} points, then the whole browser is killed (SIGKILL) right after the frame that drew the last one: none lost`, async () => {
    // localStorage, where the journal lives, reaches the disk seconds later: against a killed
    // browser it is the storage writer, committing while the clicks go on, that holds.
    expect(await killThenCount(baseUrl(), N, 'drawn')).toBe(N);
  });
});
