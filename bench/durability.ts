import { preview, build } from 'vite';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium';
import { burstThenCount, killThenCount, openFigure } from '../test/browser/bursts';

/**
 * Edits placed at machine speed (real clicks sent back to back, ~2 ms apart), then the page
 * goes: lost of N. Lamina (write-ahead journal + storage writer worker) against the same build
 * without the journal (`?journal=0`), without the worker (`?writer=page`: writes from the page's
 * thread) and without either (the peer: batched writes from the page, as before), alternated in
 * the same run, same viewer, viewport (1400×850), figure 5 and clicks.
 *   reload  the page reloads itself in the same task as the N-th point
 *   close   the tab is closed right after the last click was handled
 *   crash   the renderer process crashes right after it (CDP Page.crash)
 *   kill    the whole browser is SIGKILLed right after it / after the frame that drew it
 */
const N = Number(process.argv[2] ?? 1000);
const RUNS = Number(process.argv[3] ?? 1);
await build({ logLevel: 'warn' });
const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
const base = server.resolvedUrls!.local[0]!;
const browser: Browser = await launchChromium();

const variants = [
  { name: 'Lamina', query: '' },
  { name: 'no journal', query: '?journal=0' },
  { name: 'page writer', query: '?writer=page' },
  { name: 'neither (peer)', query: '?journal=0&writer=page' },
];
type Ending = 'reload' | 'close' | 'crash' | 'kill at once' | 'kill after drawn';
const endings: Ending[] = ['reload', 'close', 'crash', 'kill at once', 'kill after drawn'];

async function lost(ending: Ending, query: string): Promise<number> {
  if (ending === 'kill at once' || ending === 'kill after drawn') return N - (await killThenCount(base, N, ending === 'kill at once' ? 'now' : 'drawn', query));
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 850 }, serviceWorkers: 'block' });
  try {
    const page = await ctx.newPage();
    await openFigure(page, base, query);
    return N - (await burstThenCount(ctx, page, base, N, ending, query));
  } finally {
    await ctx.close();
  }
}

console.log(`\nDurability: ${N} points placed at machine speed, then the page goes (lost of ${N}; ${RUNS} run(s) each, alternated)`);
console.log(`${'ending'.padEnd(18)}${variants.map((v) => v.name.padStart(16)).join('')}`);
for (const ending of endings) {
  const row: number[][] = variants.map(() => []);
  for (let r = 0; r < RUNS; r++) for (let i = 0; i < variants.length; i++) row[i]!.push(await lost(ending, variants[i]!.query));
  console.log(`${ending.padEnd(18)}${row.map((xs) => xs.join(', ').padStart(16)).join('')}`);
}
await browser.close();
await server.close();
