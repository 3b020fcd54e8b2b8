import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { build, preview } from 'vite';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium';
import { patternRaw } from '../test/fixtures/slide-files';
import { svsJpeg2000 } from '../test/fixtures/svs-j2k';

/**
 * Own slide files: file picked → first view fully drawn, and tile decode time, Lamina against
 * GeoTIFFTileSource 2.3.2 (OpenSeadragon 6.1, canvas drawer) on the same files and the same
 * viewer size, alternated in one run, each from a cold browser context. Files: a large
 * SVS-like pyramid made here with sharp (JPEG tiles 256 px, tissue texture from the reference
 * scan when ../shared is there), an Aperio-like SVS with JPEG 2000 tiles (which the peer does not
 * open), and the real Aperio file ../shared/reference/he-skin-20x.svs.
 *
 *   npx tsx bench/slides.ts [runs] [width] [height]
 */
const runs = Number(process.argv[2] ?? 3);
const W = Number(process.argv[3] ?? 60000);
const H = Number(process.argv[4] ?? 45000);
const OUT = 'bench/out';
const BIG = `${OUT}/slide-${W}x${H}.tif`;
const REF = '../shared/reference/he-skin-20x.png';
const SVS = '../shared/reference/he-skin-20x.svs';
mkdirSync(OUT, { recursive: true });

if (!existsSync(BIG)) {
  const t0 = Date.now();
  // Tissue: the reference scan tiled (mirrored so its edges meet), or the test pattern.
  const texture = existsSync(REF) ? await sharp(REF).removeAlpha().toBuffer() : await sharp(patternRaw(2000, 1500), { raw: { width: 2000, height: 1500, channels: 3 } }).png().toBuffer();
  await sharp({ create: { width: W, height: H, channels: 3, background: '#f2f0f2' }, limitInputPixels: false })
    .composite([{ input: texture, tile: true }])
    .tiff({ tile: true, pyramid: true, tileWidth: 256, tileHeight: 256, compression: 'jpeg', quality: 95, bigtiff: true, xres: 40000, yres: 40000, resolutionUnit: 'cm' })
    .toFile(BIG);
  console.log(`made ${BIG} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
// JPEG 2000: an Aperio-like SVS (33005, lossless tiles of the test pattern, two levels), made with OpenJPEG.
const J2K = `${OUT}/j2k-8000x6000.svs`;
if (!existsSync(J2K)) writeFileSync(J2K, await svsJpeg2000(8000, 6000, { compression: 33005, mpp: 0.25 }));
const files = [
  { label: `${W}×${H} JPEG pyramid (${(statSync(BIG).size / 1e9).toFixed(2)} GB)`, path: BIG },
  { label: `8000×6000 Aperio-like SVS, JPEG 2000 tiles (${(statSync(J2K).size / 1e6).toFixed(0)} MB)`, path: J2K },
];
if (existsSync(SVS)) files.push({ label: 'he-skin-20x.svs (real Aperio, 2220×2967)', path: SVS });
else console.log(`(${SVS} not here: the real Aperio file is skipped)`);

await build({ configFile: 'vite.bench.config.ts', logLevel: 'warn' });
const server = await preview({ configFile: 'vite.bench.config.ts', preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
const base = server.resolvedUrls!.local[0]!;
const browser: Browser = await launchChromium();
const VIEWPORT = { width: 1280, height: 760 };

const pct = (xs: readonly number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};

/** Lamina: the case home, then the file through Open slide's input; picked → viewer ready. */
async function lamina(path: string): Promise<{ ms: number; viewer: { w: number; h: number }; tiles: number[]; heapMb: number; zoomTiles: number[] }> {
  const ctx = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
  const page = await ctx.newPage();
  await page.goto(`${base}#/`);
  await page.waitForSelector('lamina-case-home');
  await page.waitForTimeout(1000); // a user reads the page before picking a file (for both pages)
  await page.locator('lamina-case-home [data-testid=open-slide-input]').setInputFiles(path);
  await page.waitForSelector('lamina-slide-view[ready]', { timeout: 120_000 });
  const ms = await page.evaluate(() => {
    const picked = performance.getEntriesByName('lamina:file-picked').at(-1)!.startTime;
    return performance.getEntriesByName('lamina:viewer-ready').find((m) => m.startTime > picked)!.startTime - picked;
  });
  if (process.env['LAMINA_BENCH_PHASES'] === '1')
    console.log(
      await page.evaluate(() => {
        const t0 = performance.getEntriesByName('lamina:file-picked')[0]!.startTime;
        return performance.getEntriesByType('mark').filter((m) => m.startTime >= t0).map((m) => `${m.name.slice(7)}@${(m.startTime - t0).toFixed(0)}`).join(' ');
      }),
    );
  const viewer = await page.locator('lamina-slide-view .osd').evaluate((el) => ({ w: el.clientWidth, h: el.clientHeight }));
  const timings = (p: Page): Promise<number[]> => p.evaluate(() => [...(document.querySelector('lamina-app') as unknown as { ctx: { ownSlides: { timings: number[] } } }).ctx.ownSlides.timings]);
  const tiles = await timings(page);
  for (const [fx, fy] of FIELDS) {
    // One image pixel per screen pixel: 40x is 0.25 µm per screen pixel.
    await page.locator('lamina-slide-view').evaluate((el, [fx, fy]) => {
      const v = el as unknown as { jumpTo(v: unknown): void; slide: { width: number; height: number; mpp: number } };
      v.jumpTo({ x: fx * v.slide.width, y: fy * v.slide.height, z: 10 / v.slide.mpp, r: 0 });
    }, [fx, fy] as const);
    await page.waitForTimeout(200);
    await page.waitForSelector('lamina-slide-view[ready]', { timeout: 60_000 });
  }
  const all = await timings(page);
  const heapMb = await heap(page);
  await ctx.close();
  return { ms, viewer, tiles, heapMb, zoomTiles: all.slice(tiles.length) };
}

/** GeoTIFFTileSource in a page of its own, its viewer the size of Lamina's. */
async function peer(path: string, viewer: { w: number; h: number }): Promise<{ ms: number; tiles: number[]; heapMb: number; zoomTiles: number[] } | { error: string }> {
  const ctx = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
  const page = await ctx.newPage();
  await page.goto(`${base}bench/peer-tiff/index.html?w=${viewer.w}&h=${viewer.h}`);
  await page.waitForTimeout(1000);
  await page.locator('#file').setInputFiles(path);
  try {
    await page.waitForSelector('body[data-ready]', { timeout: 120_000 });
  } catch {
    const error = await page.evaluate(() => (window as unknown as { peerError?: string }).peerError ?? 'not ready in 120 s');
    await ctx.close();
    return { error };
  }
  const ms = await page.evaluate(() => performance.getEntriesByName('peer:ready')[0]!.startTime - performance.getEntriesByName('peer:picked')[0]!.startTime);
  const tiles = await page.evaluate(() => [...(window as unknown as { peerTiles: number[] }).peerTiles]);
  for (const [fx, fy] of FIELDS) {
    await page.evaluate(([fx, fy]) => {
      const osd = (window as unknown as { peerViewer: OpenSeadragonLike }).peerViewer;
      const vp = osd.viewport;
      const size = osd.world.getItemAt(0).getContentSize();
      vp.zoomTo(vp.imageToViewportZoom(1), undefined, true);
      vp.panTo(vp.imageToViewportCoordinates(fx * size.x, fy * size.y), true);
    }, [fx, fy] as const);
    await page.waitForTimeout(200);
    await page.waitForFunction(() => (window as unknown as { peerViewer: OpenSeadragonLike }).peerViewer.world.getItemAt(0).getFullyLoaded(), null, { timeout: 60_000 });
  }
  const all = await page.evaluate(() => [...(window as unknown as { peerTiles: number[] }).peerTiles]);
  const heapMb = await heap(page);
  await ctx.close();
  return { ms, tiles, heapMb, zoomTiles: all.slice(tiles.length) };
}

interface OpenSeadragonLike {
  viewport: { zoomTo(z: number, p: undefined, i: boolean): void; panTo(p: unknown, i: boolean): void; imageToViewportZoom(z: number): number; imageToViewportCoordinates(x: number, y: number): unknown };
  world: { getItemAt(i: number): { getFullyLoaded(): boolean; getContentSize(): { x: number; y: number } } };
}

/** Five fields at full resolution across the slide: the tiles a reader decodes when zooming in. */
const FIELDS = [[0.3, 0.3], [0.7, 0.3], [0.5, 0.5], [0.3, 0.7], [0.7, 0.7]] as const;

async function heap(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN) / 1e6;
}

console.log(`\nSlide files: file picked → first view fully drawn (cold browser context each, the page shown 1 s before the file is picked; page ${VIEWPORT.width}×${VIEWPORT.height}, canvas drawer; runs alternated)`);
for (const f of files) {
  const l: number[] = [];
  const p: number[] = [];
  const lt: number[] = [];
  const pt: number[] = [];
  const lz: number[] = [];
  const pz: number[] = [];
  const lh: number[] = [];
  const ph: number[] = [];
  let viewer = { w: 0, h: 0 };
  let peerError = '';
  for (let k = 0; k < runs; k++) {
    const a = await lamina(f.path);
    viewer = a.viewer;
    l.push(a.ms);
    lt.push(...a.tiles);
    lz.push(...a.zoomTiles);
    lh.push(a.heapMb);
    const b = await peer(f.path, viewer);
    if ('error' in b) {
      peerError = b.error;
      continue;
    }
    p.push(b.ms);
    pt.push(...b.tiles);
    pz.push(...b.zoomTiles);
    ph.push(b.heapMb);
  }
  const med = (xs: number[]): number => pct(xs, 0.5);
  console.log(`\n${f.label}, viewer ${viewer.w}×${viewer.h} for both`);
  console.log(`  Lamina             first view ${med(l).toFixed(0).padStart(5)} ms (runs ${l.map((x) => x.toFixed(0)).join(', ')}); tile decode in its worker: median ${med(lt).toFixed(1)} ms, p95 ${pct(lt, 0.95).toFixed(1)} ms over ${lt.length} first-view tiles; at full resolution median ${med(lz).toFixed(1)}, p95 ${pct(lz, 0.95).toFixed(1)} ms over ${lz.length}; page JS heap ${med(lh).toFixed(0)} MB`);
  if (p.length === 0) console.log(`  GeoTIFFTileSource  did not open it: ${peerError}`);
  else {
    console.log(`  GeoTIFFTileSource  first view ${med(p).toFixed(0).padStart(5)} ms (runs ${p.map((x) => x.toFixed(0)).join(', ')}); tile request → decoded: median ${med(pt).toFixed(1)} ms, p95 ${pct(pt, 0.95).toFixed(1)} ms over ${pt.length}; at full resolution median ${med(pz).toFixed(1)}, p95 ${pct(pz, 0.95).toFixed(1)} ms over ${pz.length}; page JS heap ${med(ph).toFixed(0)} MB`);
    console.log(`  ratio Lamina / GeoTIFFTileSource: first view ${(med(l) / med(p)).toFixed(2)}×; tile p95 at full resolution ${(pct(lz, 0.95) / pct(pz, 0.95)).toFixed(2)}× (Lamina: decode in its worker; the peer: request → decoded)`);
  }
}
await browser.close();
await server.close();
