import { build, preview } from 'vite';
import { launchChromium } from '../test/browser/chromium';

/**
 * Navigation → `ready` for each figure, from a cold page (new browser context: empty caches,
 * fresh workers, no database yet), in headless Chromium against the production build. Reported with the time of
 * a blank page load in the same minute as the peer, since shared machines are noisy.
 */
const runs = Number(process.argv[2] ?? 3);
await build({ logLevel: 'warn' });
const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
const base = server.resolvedUrls!.local[0]!;
const browser = await launchChromium();
/**
 * Service workers blocked: the app's (src/app/offline.ts) precaches ~15 MB once the first view
 * is up, which would compete for the cores during the warm clicks below and serve their pages
 * from its cache. The benchmark measures a first visit's path: network and render.
 */
const CONTEXT = { viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' } as const;

/**
 * Navigation → the page's own mark (`performance` clock, from navigation start): what the page
 * did, without the automation's polling delay (Playwright noticed `ready` 0.1–0.5 s late here).
 */
async function timeTo(url: string, selector: string, mark: string): Promise<number> {
  const ctx = await browser.newContext(CONTEXT);
  const page = await ctx.newPage();
  await page.goto(url);
  await page.waitForSelector(selector, { timeout: 120_000 });
  const ms = await page.evaluate((m) => performance.getEntriesByName(m)[0]?.startTime ?? NaN, mark);
  await ctx.close();
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`\nFigure view, navigation → ready (cold page, median of ${runs}; first views prerendered at build time; peer: case home → gallery shown)`);
const home: number[] = [];
for (let k = 0; k < runs; k++) home.push(await timeTo(`${base}#/`, 'lamina-case-home', 'lamina:home-shown'));
const homeMs = median(home);
console.log(`peer  case home      ${homeMs.toFixed(0).padStart(6)} ms`);
for (const n of [3, 4, 5, 6, 7]) {
  const t: number[] = [];
  const w: number[] = [];
  // Alternated, so both see the same minute of a noisy machine.
  for (let k = 0; k < runs; k++) {
    t.push(await timeTo(`${base}#/figure/${n}`, 'lamina-slide-view[ready]', 'lamina:viewer-ready'));
    w.push(await timeTo(`${base}?prerendered=0#/figure/${n}`, 'lamina-slide-view[ready]', 'lamina:viewer-ready'));
  }
  const m = median(t);
  const mw = median(w);
  console.log(`fig ${n} → ready       ${m.toFixed(0).padStart(6)} ms   (${(m / homeMs).toFixed(1)}× the peer; runs ${t.map((x) => x.toFixed(0)).join(', ')}) · every tile from the workers: ${mw.toFixed(0)} ms (${(mw / homeMs).toFixed(1)}×)`);
}
// The usual path: the case home is open (workers started, code warm), then a figure is clicked.
console.log('\nFigure view, click in the gallery → ready (warm page, same browser context)');
const ctx = await browser.newContext(CONTEXT);
const page = await ctx.newPage();
await page.goto(`${base}#/`);
await page.waitForSelector('lamina-case-home');
await page.waitForTimeout(1500); // thumbnails render meanwhile, as they would while a user reads
for (const n of [3, 4, 5, 6, 7]) {
  await page.evaluate(() => addEventListener('click', () => performance.mark('bench:click'), { capture: true, once: true }));
  await page.locator(`[data-figure="${n}"] a`).click();
  await page.waitForSelector('lamina-slide-view[ready]', { timeout: 120_000 });
  // Click → the first `ready` after it, on the page's clock.
  const ms = await page.evaluate(() => {
    const click = performance.getEntriesByName('bench:click').at(-1)!.startTime;
    return performance.getEntriesByName('lamina:viewer-ready').find((m) => m.startTime > click)!.startTime - click;
  });
  const tiles = await page.locator('lamina-slide-view').evaluate((el) => {
    const pool = (el as unknown as { ctx: { pool: { timings: number[] } } }).ctx.pool;
    const t = [...pool.timings].sort((a, b) => a - b);
    return { n: t.length, median: t[Math.floor(t.length / 2)] ?? 0, p95: t[Math.floor(t.length * 0.95)] ?? 0 };
  });
  console.log(`fig ${n} → ready       ${ms.toFixed(0).padStart(6)} ms   (${(ms / homeMs).toFixed(1)}× the peer; worker tile time so far: median ${tiles.median.toFixed(0)} ms, p95 ${tiles.p95.toFixed(0)} ms over ${tiles.n} tiles)`);
  await page.goBack();
  await page.waitForSelector('lamina-case-home');
}
await ctx.close();
await browser.close();
await server.close();
