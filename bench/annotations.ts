import { build, preview } from 'vite';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium';
import { benchShapes } from './shapes';
import type { BenchShape } from './shapes';

/**
 * Annotation speed with 1k / 10k / 100k stored points and polygons, Lamina against
 * @annotorious/openseadragon on the same viewer, tiles and machine, in one run:
 * stored → drawn, frame time during a scripted 5 s pan/zoom (every shape in view at the start),
 * hit-test time and edit-commit time (Lamina only: the peer has no storage). The interaction
 * runs twice before it is measured, so tiles come from the cache and frames time the drawing.
 */
const SIZES = (process.argv[2] ?? '1000,10000,100000').split(',').map(Number);
const KINDS = (process.argv[3] ?? 'point,polygon').split(',') as Array<'point' | 'polygon'>;
/** LAMINA_BENCH_PEER=0 skips Annotorious (its 100k load alone takes minutes). */
const WITH_PEER = process.env['LAMINA_BENCH_PEER'] !== '0';
const PEER_LOAD_LIMIT_MS = 60_000;
const START = { x: 20000, y: 15000, z: 0.4 };

await build({ configFile: 'vite.bench.config.ts', logLevel: 'warn' });
const server = await preview({ configFile: 'vite.bench.config.ts', preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
const base = server.resolvedUrls!.local[0]!;
const browser = await launchChromium();

const phasesOf = (page: Page): Promise<string> =>
  page.evaluate(() =>
    performance
      .getEntriesByType('mark')
      .filter((m) => m.name.startsWith('lamina:'))
      .map((m) => `${m.name.slice(7)}@${m.startTime.toFixed(0)}`)
      .join(' '),
  );

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};

/** The scripted interaction, run in the page: returns frame intervals (ms). */
const INTERACTION = `async (jump, overlayMs) => {
  const frames = [], draws = [];
  const t0 = performance.now();
  let last = t0;
  await new Promise((done) => {
    const step = (now) => {
      const t = (now - t0) / 1000;
      if (t > 5) return done();
      const z = ${START.z} * Math.pow(2, 4 * (1 - Math.cos(2 * Math.PI * t / 5)) / 2);
      jump({ x: ${START.x} + 3000 * Math.sin(2 * Math.PI * t / 2.5), y: ${START.y} + 3000 * Math.cos(2 * Math.PI * t / 2.5) - 3000, z, r: 0 });
      frames.push(now - last);
      last = now;
      const d = overlayMs();
      if (d !== undefined) draws.push(d);
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  return { frames: frames.slice(1), draws };
}`;

async function lamina(shapes: BenchShape[]): Promise<Record<string, number>> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await ctx.newPage();
  const url = `${base}#/slide/he?x=${START.x}&y=${START.y}&z=${START.z}&r=0`;
  await page.goto(url);
  await page.waitForSelector('lamina-slide-view[annotations-drawn]', { timeout: 120_000 });
  // Stored the way the app stores them: one change set through the page's own repository.
  await page.locator('lamina-annotation-panel').evaluate(async (el, list: BenchShape[]) => {
    const s = (el as unknown as { session: { repo: { save(cs: unknown): Promise<void>; settled(): Promise<void> } } }).session;
    const created = list.map((sh) => ({
      id: sh.id, slideId: 'he', classId: sh.type === 'point' ? 'typical-mitosis' : 'necrosis',
      geometry: sh.type === 'point' ? { type: 'point', point: sh.points[0] } : { type: 'polygon', points: sh.points },
      label: '', note: '', author: 'bench', created: 1, updated: 1, rev: 1,
    }));
    await s.repo.save({ origin: 'import', created, updated: [], deleted: [] });
    // The import's snapshot is rebuilt in the background; a slide is opened after that.
    await s.repo.settled();
  }, shapes);
  const loads: number[] = [];
  for (let i = 0; i < 3; i++) {
    await page.reload();
    await page.waitForSelector(`lamina-slide-view[annotations-drawn="${shapes.length}"]`, { timeout: 180_000 });
    loads.push(await page.evaluate(() => performance.measure('stored-drawn', 'lamina:annotations-load', 'lamina:annotations-drawn').duration));
    if (process.env['LAMINA_BENCH_PHASES'] === '1') console.log(`  open ${i + 1}: ${await phasesOf(page)}`);
  }
  const load = loads[0]!;
  // The first open follows the bulk write within seconds (LevelDB still compacting); later opens
  // are what a user sees the next day.
  const loadSettled = Math.min(...loads.slice(1));
  await page.waitForSelector('lamina-slide-view[ready]', { timeout: 120_000 }).catch(() => undefined);
  const view = page.locator('lamina-slide-view');
  // A first pass fills the tile cache, so the measured pass times drawing, not tile rendering.
  for (let pass = 0; pass < 2; pass++) await view.evaluate(
    (el, src) => {
      const fn = new Function(`return (${src})`)() as (j: (v: unknown) => void, o: () => number | undefined) => Promise<unknown>;
      const anyEl = el as unknown as { jumpTo(v: unknown): void };
      return fn((v) => anyEl.jumpTo(v), () => undefined);
    },
    INTERACTION,
  );
  const { frames, draws } = await view.evaluate(
    (el, src) => {
      const fn = new Function(`return (${src})`)() as (j: (v: unknown) => void, o: () => number | undefined) => Promise<{ frames: number[]; draws: number[] }>;
      const anyEl = el as unknown as { jumpTo(v: unknown): void; overlay?: { lastDrawMs: number } };
      return fn((v) => anyEl.jumpTo(v), () => anyEl.overlay?.lastDrawMs);
    },
    INTERACTION,
  );
  const hit = await page.locator('lamina-annotation-panel').evaluate((el) => {
    const s = (el as unknown as { session: { index: { hitTest(x: number, y: number, t: number): string | undefined } } }).session;
    const batches: number[] = [];
    let seed = 7;
    for (let b = 0; b < 100; b++) {
      const t0 = performance.now();
      for (let k = 0; k < 20; k++) {
        seed = (seed * 16807) % 2147483647;
        const x = 8000 + (seed % 24000);
        const y = 6000 + ((seed >> 8) % 18000);
        s.index.hitTest(x, y, 10);
      }
      batches.push((performance.now() - t0) / 20);
    }
    return batches;
  });
  await page.waitForSelector('lamina-slide-view[ready]', { timeout: 120_000 }).catch(() => undefined);
  const commits = await page.locator('lamina-annotation-panel').evaluate(async (el) => {
    type S = {
      store: { all(): Array<{ id: string }>; get(id: string): unknown };
      editor: { update(a: unknown, p: unknown): void };
      persistence: { current: { state: string }; onStatus(l: (s: { state: string }) => void): () => void };
    };
    const s = (el as unknown as { session: S }).session;
    // The first 20 edits warm the save path's code up and are not counted; 100 are.
    const WARM = 20;
    const ids = s.store.all().slice(0, WARM + 100).map((a) => a.id);
    const times: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      // A person's next edit starts on a page that has drawn the last one; each starts at a
      // different point of the frame interval (0–19 ms after a frame).
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, (i * 7) % 20))));
      const t0 = performance.now();
      const saved = new Promise<void>((res) => {
        let seenSaving = false;
        const off = s.persistence.onStatus((st) => {
          if (st.state === 'saving') seenSaving = true;
          if (seenSaving && st.state === 'saved') {
            queueMicrotask(() => off());
            res();
          }
        });
      });
      s.editor.update(s.store.get(ids[i]!), { note: `edit ${i}` });
      await saved;
      if (i >= WARM) times.push(performance.now() - t0);
    }
    return times;
  });
  // The database's share of a commit: one strict transaction writing one updated record.
  const writes = await page.locator('lamina-annotation-panel').evaluate(async (el) => {
    type A = { id: string; rev: number; note: string };
    const s = (el as unknown as { session: { store: { all(): A[] }; repo: { save(cs: unknown): Promise<void>; get(slideId: string, id: string): Promise<A | undefined> } } }).session;
    const times: number[] = [];
    const a = s.store.all()[100]!;
    let cur = (await s.repo.get('he', a.id))!;
    for (let i = 0; i < 40; i++) {
      const next = { ...cur, note: `w${i}`, rev: cur.rev + 1 };
      const t0 = performance.now();
      await s.repo.save({ origin: 'user', created: [], updated: [{ before: cur, after: next }], deleted: [] });
      times.push(performance.now() - t0);
      cur = next;
    }
    return times;
  });
  const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN);
  await ctx.close();
  return {
    writeMedian: pct(writes, 0.5),
    writeP95: pct(writes, 0.95),
    load,
    loadSettled,
    frameMedian: pct(frames, 0.5),
    frameP95: pct(frames, 0.95),
    overlayMedian: pct(draws, 0.5),
    overlayP95: pct(draws, 0.95),
    hitMean: hit.reduce((a, b) => a + b, 0) / hit.length,
    hitP95: pct(hit, 0.95),
    commitMedian: pct(commits, 0.5),
    commitP95: pct(commits, 0.95),
    heapMB: heap / 1e6,
  };
}

async function peer(shapes: BenchShape[]): Promise<Record<string, number>> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page: Page = await ctx.newPage();
  await page.goto(`${base}bench/peer/index.html`);
  await page.evaluate(async (start) => {
    const p = (window as unknown as { __peer: { opened: Promise<void>; jumpTo(v: unknown): void } }).__peer;
    await p.opened;
    p.jumpTo(start);
  }, START);
  const load = await Promise.race([
    page.evaluate(async (list) => {
      const p = (window as unknown as { __peer: { load(l: unknown): void } }).__peer;
      const t0 = performance.now();
      p.load(list);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return performance.now() - t0;
    }, shapes),
    new Promise<number>((r) => setTimeout(() => r(Number.POSITIVE_INFINITY), PEER_LOAD_LIMIT_MS)),
  ]);
  if (!Number.isFinite(load)) {
    await ctx.close().catch(() => undefined);
    return { load: Number.POSITIVE_INFINITY, frameMedian: NaN, frameP95: NaN, heapMB: NaN };
  }
  for (let pass = 0; pass < 2; pass++) await page.evaluate((src) => {
    const fn = new Function(`return (${src})`)() as (j: (v: unknown) => void, o: () => number | undefined) => Promise<unknown>;
    const p = (window as unknown as { __peer: { jumpTo(v: unknown): void } }).__peer;
    return fn((v) => p.jumpTo(v), () => undefined);
  }, INTERACTION);
  const { frames } = await page.evaluate((src) => {
    const fn = new Function(`return (${src})`)() as (j: (v: unknown) => void, o: () => number | undefined) => Promise<{ frames: number[]; draws: number[] }>;
    const p = (window as unknown as { __peer: { jumpTo(v: unknown): void } }).__peer;
    return fn((v) => p.jumpTo(v), () => undefined);
  }, INTERACTION);
  const heap = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN);
  await ctx.close();
  // No second frame within the 5 s script: a single frame took longer than the whole run.
  if (frames.length === 0) return { load, frameMedian: 5000, frameP95: 5000, heapMB: heap / 1e6, stalled: 1 };
  return { load, frameMedian: pct(frames, 0.5), frameP95: pct(frames, 0.95), heapMB: heap / 1e6 };
}

const f = (v: number, d = 1): string => (Number.isFinite(v) ? v.toFixed(d) : v === Infinity ? `>${PEER_LOAD_LIMIT_MS / 1000}s` : '—');
const ratio = (peerV: number, ours: number): string => (Number.isFinite(peerV) && ours > 0 ? `${(peerV / ours).toFixed(1)}×` : Number.isFinite(peerV) ? '—' : '∞');
console.log('\nAnnotations: Lamina vs @annotorious/openseadragon 3.8 (same viewer, tiles, canvas drawer; headless Chromium, no GPU)');
console.log('n        kind      | stored→drawn ms first/later (peer, ×)       | frame median/p95 ms  (peer median/p95, × on p95) | overlay draw med/p95 | hit-test mean/p95 ms | commit med/p95 ms (IDB write alone) | heap MB (peer)');
for (const n of SIZES) {
  for (const kind of KINDS) {
    const shapes = benchShapes(n, kind);
    const ours = await lamina(shapes);
    const them = WITH_PEER ? await peer(shapes) : { load: NaN, frameMedian: NaN, frameP95: NaN, heapMB: NaN };
    console.log(
      `${String(n).padEnd(8)} ${kind.padEnd(9)} | ${f(ours.load!, 0).padStart(5)}/${f(ours.loadSettled!, 0)} (${f(them.load!, 0)}, ${ratio(them.load!, ours.load!)}) | ${f(ours.frameMedian!)}/${f(ours.frameP95!)} (${them['stalled'] ? '≥5000 (one frame outlasted the script)' : `${f(them.frameMedian!)}/${f(them.frameP95!)}`}, ${ratio(them.frameP95!, ours.frameP95!)}) | ${f(ours.overlayMedian!)}/${f(ours.overlayP95!)} | ${f(ours.hitMean!, 3)}/${f(ours.hitP95!, 3)} | ${f(ours.commitMedian!)}/${f(ours.commitP95!)} (${f(ours.writeMedian!)}/${f(ours.writeP95!)}) | ${f(ours.heapMB!, 0)} (${f(them.heapMB!, 0)})`,
    );
  }
}
await browser.close();
await server.close();
