import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium';

/**
 * Import of a 100,000-feature QuPath GeoJSON file (~35 MB: 80k ten-vertex polygons and 20k
 * points, with ids, classifications and measurements as QuPath writes them), then its export,
 * in headless Chromium on the production build, page clock. Lamina (read and checked in a
 * worker, one change set, stored, drawn) against a peer in the same kind of fresh page, same
 * viewport and file: a plain JSON.parse and a store of the features without any checking, on
 * the page's own thread (the least an import can do; bare NaN replaced by a regular expression). Export against JSON.stringify of the
 * stored annotations.
 */
const N = Number(process.argv[2] ?? 100_000);
const RUNS = Number(process.argv[3] ?? 2);

function qupathFile(n: number): string {
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const hex = (k: number): string => k.toString(16).padStart(12, '0');
  const features: string[] = [];
  for (let i = 0; i < n; i++) {
    const cx = 2000 + rnd() * 36000;
    const cy = 2000 + rnd() * 26000;
    const id = `6f0a2a9e-4c4e-4b8e-9a55-${hex(i)}`;
    if (i % 5 === 4) {
      features.push(`{"type":"Feature","id":"${id}","geometry":{"type":"Point","coordinates":[${cx.toFixed(2)},${cy.toFixed(2)}]},"properties":{"objectType":"annotation","classification":{"name":"Mitosis (typical)","color":[0,160,0]}}}`);
      continue;
    }
    const ring: string[] = [];
    for (let k = 0; k < 10; k++) {
      const a = (k / 10) * Math.PI * 2;
      const r = 20 + rnd() * 30;
      ring.push(`[${(cx + r * Math.cos(a)).toFixed(2)},${(cy + r * Math.sin(a)).toFixed(2)}]`);
    }
    ring.push(ring[0]!);
    features.push(`{"type":"Feature","id":"${id}","geometry":{"type":"Polygon","coordinates":[[${ring.join(',')}]]},"properties":{"objectType":"annotation","name":"cell ${i}","classification":{"name":"Tumor","color":[200,0,0]},"measurements":{"Area µm^2":${(rnd() * 500).toFixed(3)},"Circularity":NaN}}}`);
  }
  return `{"type":"FeatureCollection","features":[${features.join(',')}]}`;
}

const dir = mkdtempSync(join(tmpdir(), 'lamina-import-'));
const file = join(dir, 'cells.geojson');
writeFileSync(file, qupathFile(N));
const bytes = readFileSync(file);

await build({ logLevel: 'warn' });
const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
const base = server.resolvedUrls!.local[0]!;
const browser = await launchChromium();
const URL_ = `${base}#/slide/he?x=20000&y=15000&z=0.4&r=0`;

async function freshPage(): Promise<{ page: Page; close: () => Promise<void> }> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, serviceWorkers: 'block' });
  const page = await ctx.newPage();
  await page.goto(URL_);
  await page.waitForSelector('lamina-slide-view[ready]', { timeout: 120_000 });
  await page.waitForSelector('lamina-annotation-panel', { timeout: 120_000 });
  return { page, close: () => ctx.close() };
}

const span = (page: Page, a: string, b: string): Promise<number> => page.evaluate(([x, y]) => performance.measure(`${x}→${y}`, x, y).duration, [a, b] as const);

async function lamina(): Promise<{ importMs: number; exportMs: number; count: number }> {
  const { page, close } = await freshPage();
  await page.locator('lamina-transfer-controls input[type=file]').setInputFiles({ name: 'cells.geojson', mimeType: 'application/geo+json', buffer: bytes });
  await page.waitForFunction(() => performance.getEntriesByName('lamina:import-done').length > 0, undefined, { timeout: 300_000 });
  const importMs = await span(page, 'lamina:import-start', 'lamina:import-done');
  if (process.env['LAMINA_BENCH_PHASES'] === '1')
    console.log(
      `  phases: ${await page.evaluate(() =>
        ['import-start', 'import-read', 'import-checked', 'import-applied', 'import-stored', 'import-done'].map((m) => `${m} ${performance.getEntriesByName(`lamina:${m}`)[0]?.startTime.toFixed(0)}`).join(' · '),
      )}`,
    );
  const count = await page.locator('lamina-annotation-panel').evaluate((el) => (el as unknown as { session: { store: { size: number } } }).session.store.size);
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: 'QuPath GeoJSON (.geojson)', exact: true }).click()]);
  const exportMs = await span(page, 'lamina:export-start', 'lamina:export-done');
  await close();
  return { importMs, exportMs, count };
}

/** The peer: JSON.parse and one store of the features as they are, on the page's thread; then JSON.stringify of them. */
async function peer(): Promise<{ importMs: number; exportMs: number }> {
  const { page, close } = await freshPage();
  await page.evaluate((text) => ((window as unknown as { __text: string }).__text = text), bytes.toString('utf8'));
  const r = await page.locator('lamina-annotation-panel').evaluate(async (el) => {
    const s = (el as unknown as { session: { repo: { saveBatch(b: unknown[]): Promise<void> } } }).session;
    const t0 = performance.now();
    // QuPath writes NaN bare: the plainest fix, a regular expression, before JSON.parse.
    const json = JSON.parse((window as unknown as { __text: string }).__text.replace(/\bNaN\b/g, 'null')) as { features: Array<{ id: string; geometry: { type: string; coordinates: unknown }; properties: { name?: string } }> };
    const created = json.features.map((f) => ({
      id: f.id, slideId: 'he', classId: 'other',
      geometry: f.geometry.type === 'Point' ? { type: 'point', point: f.geometry.coordinates } : { type: 'polygon', points: (f.geometry.coordinates as unknown[][])[0]!.slice(0, -1) },
      label: f.properties.name ?? '', note: '', author: '', created: 0, updated: 0, rev: 1,
    }));
    await s.repo.saveBatch([{ origin: 'import', created, updated: [], deleted: [] }]);
    const t1 = performance.now();
    const text = JSON.stringify(created);
    const t2 = performance.now();
    return { importMs: t1 - t0, exportMs: t2 - t1, len: text.length };
  });
  await close();
  return r;
}

console.log(`\nImport of a QuPath GeoJSON file of ${N.toLocaleString('en')} features (${(bytes.length / 1e6).toFixed(1)} MB), then export; headless Chromium, 1280×800, page clock; ${RUNS} run(s) each, alternated`);
const rows: Array<{ l: Awaited<ReturnType<typeof lamina>>; p: Awaited<ReturnType<typeof peer>> }> = [];
for (let r = 0; r < RUNS; r++) rows.push({ l: await lamina(), p: await peer() });
for (const { l, p } of rows) {
  console.log(
    `import: Lamina ${l.importMs.toFixed(0)} ms (${l.count.toLocaleString('en')} stored, checked, drawn) · peer ${p.importMs.toFixed(0)} ms (parse + store, unchecked) · ratio ${(l.importMs / p.importMs).toFixed(2)}` +
      `   export: Lamina ${l.exportMs.toFixed(0)} ms (QuPath GeoJSON file) · peer ${p.exportMs.toFixed(0)} ms (JSON.stringify) · ratio ${(l.exportMs / p.exportMs).toFixed(2)}`,
  );
}
await browser.close();
await server.close();
rmSync(dir, { recursive: true, force: true });
