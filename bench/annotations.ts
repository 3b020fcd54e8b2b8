import { writeFileSync } from 'node:fs';
import { build, preview } from 'vite';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/browser/chromium';
import { benchShapes } from './shapes';
import type { BenchShape } from './shapes';

/**
 * Annotation speed with 1k / 10k / 100k stored points and polygons, Lamina against
 * @annotorious/openseadragon on the same viewer, slide, tiles (prerendered tiles off on both
 * sides: every tile comes from the render worker), drawer and viewer rectangle, in one run:
 * - navigation → first frame painted with the annotations, one clock for both (the page's
 *   own time origin): Lamina reads them from IndexedDB, the peer fetches them as a JSON file;
 * - frames during a scripted 5 s pan/zoom (every shape in view at the start), per frame and
 *   time-weighted (the frame length that the slowest 5% of wall time is spent in), with the
 *   level-of-detail mode each side drew;
 * - heap after a forced garbage collection (Chromium's --enable-precise-memory-info);
 * - Lamina only (the peer has no storage): hit-test time and edit → saved commit time.
 * The interaction runs twice before it is measured, so tiles come from the cache and frames
 * time the drawing.
 */
const SIZES = (process.argv[2] ?? '1000,10000,100000').split(',').map(Number);
const KINDS = (process.argv[3] ?? 'point,polygon').split(',') as Array<'point' | 'polygon'>;
/** LAMINA_BENCH_PEER=0 skips Annotorious (its 100k load alone takes minutes). */
const WITH_PEER = process.env['LAMINA_BENCH_PEER'] !== '0';
const PEER_LOAD_LIMIT_MS = 60_000;
const START = { x: 20000, y: 15000, z: 0.4 };
const VIEWPORT = { width: 1280, height: 800 };

await build({ configFile: 'vite.bench.config.ts', logLevel: 'warn' });
// The peer's annotations as plain files the preview server serves, as a real fetch.
for (const n of SIZES) for (const kind of KINDS) writeFileSync(`bench/out/dist/bench-annotations-${n}-${kind}.json`, JSON.stringify(benchShapes(n, kind)));
const server = await preview({ configFile: 'vite.bench.config.ts', preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
const base = server.resolvedUrls!.local[0]!;
const browser = await launchChromium(['--enable-precise-memory-info']);

/** JS heap after a full collection: what the page holds, not what it has yet to collect. */
async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.detach();
  return page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN);
}

/** The frame length X such that frames of X or longer fill `share` of the wall time. */
function timeWeighted(frames: number[], share: number): number {
  const s = [...frames].sort((a, b) => b - a);
  const total = s.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (const f of s) {
    acc += f;
    if (acc >= share * total) return f;
  }
  return NaN;
}

/** Share of wall time spent in frames longer than `ms`. */
function timeOver(frames: number[], ms: number): number {
  const total = frames.reduce((a, b) => a + b, 0);
  return frames.filter((f) => f > ms).reduce((a, b) => a + b, 0) / total;
}

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

/** The scripted interaction, run in the page: frame intervals (ms), overlay draw times and LOD modes. */
const INTERACTION = `async (jump, probe) => {
  const frames = [], draws = [], paints = [], modes = {};
  const t0 = performance.now();
  let last = t0;
  await new Promise((done, fail) => {
    const step = (now) => { try {
      const t = (now - t0) / 1000;
      if (t > 5) return done();
      const z = ${START.z} * Math.pow(2, 4 * (1 - Math.cos(2 * Math.PI * t / 5)) / 2);
      jump({ x: ${START.x} + 3000 * Math.sin(2 * Math.PI * t / 2.5), y: ${START.y} + 3000 * Math.cos(2 * Math.PI * t / 2.5) - 3000, z, r: 0 });
      frames.push(now - last);
      last = now;
      const p = probe();
      if (p) {
        draws.push(p.ms);
        paints.push(p.paintMs);
        modes[p.mode] = (modes[p.mode] || 0) + 1;
      }
      requestAnimationFrame(step);
    } catch (e) { fail(e); } };
    requestAnimationFrame(step);
  });
  return { frames: frames.slice(1), draws, paints, modes };
}`;

type Probe = () => { ms: number; mode: string; paintMs: number } | undefined;
interface Run {
  frames: number[];
  draws: number[];
  paints: number[];
  modes: Record<string, number>;
}

/** Runs the interaction twice to warm tiles and code, then measures a third pass. */
async function interact(page: Page, target: 'lamina' | 'peer'): Promise<Run> {
  let run: Run | undefined;
  for (let pass = 0; pass < 3; pass++) {
    // Lamina's viewer lives in shadow roots, which only a locator reaches; the peer's page is
    // busy for long stretches, which a page-level call waits out without a timeout.
    run =
      target === 'peer'
        ? await page.evaluate((src) => {
            const fn = new Function(`return (${src})`)() as (j: (v: unknown) => void, p: Probe) => Promise<Run>;
            const p = (window as unknown as { __peer: { jumpTo(v: unknown): void } }).__peer;
            return fn((v) => p.jumpTo(v), () => undefined);
          }, INTERACTION)
        : await page.locator('lamina-slide-view').evaluate(
            (el, src) => {
              const fn = new Function(`return (${src})`)() as (j: (v: unknown) => void, p: Probe) => Promise<Run>;
              const view = el as unknown as { jumpTo(v: unknown): void; overlayProbe(): { ms: number; mode: string; paintMs: number } | undefined };
              return fn((v) => view.jumpTo(v), () => view.overlayProbe());
            },
            INTERACTION,
            { timeout: 0 },
          );
  }
  return run!;
}

/** Milliseconds from navigation to the first frame painted with all `n` annotations, three opens: the first and the best later one. */
async function opens(page: Page, url: string, painted: string, n: number): Promise<{ first: number; later: number }> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    // A fresh document each time (the same URL with a fragment would only scroll).
    await page.goto('about:blank');
    await page.goto(url);
    const t = await Promise.race([
      page
        .waitForFunction(([name, count]) => (performance.getEntriesByName(name) as PerformanceMark[]).find((m) => m.detail === null || m.detail === count)?.startTime, [painted, n] as const, { timeout: PEER_LOAD_LIMIT_MS, polling: 100 })
        .then((h) => h.jsonValue() as Promise<number>),
      new Promise<number>((r) => setTimeout(() => r(Number.POSITIVE_INFINITY), PEER_LOAD_LIMIT_MS + 5000)),
    ]).catch(() => Number.POSITIVE_INFINITY);
    times.push(t);
    if (!Number.isFinite(t)) break;
    if (process.env['LAMINA_BENCH_PHASES'] === '1') console.log(`  open ${i + 1}: ${await phasesOf(page)}`);
  }
  return { first: times[0]!, later: Math.min(...times.slice(1)) };
}

interface Result {
  opens: { first: number; later: number };
  run?: Run;
  heapMB: number;
  tileMB?: number;
  stalled?: boolean;
  extra?: Record<string, number>;
}

const phase = (what: string): void => {
  if (process.env['LAMINA_BENCH_PHASES'] === '1') console.log(`  ${what}`);
};

/** The viewer's rectangle on Lamina's page, which the peer's page copies. */
let viewerRect = { x: 0, y: 0, width: VIEWPORT.width, height: VIEWPORT.height };

async function lamina(shapes: BenchShape[]): Promise<Result> {
  const ctx = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
  const page = await ctx.newPage();
  const url = `${base}?prerendered=0#/slide/he?x=${START.x}&y=${START.y}&z=${START.z}&r=0`;
  await page.goto(url);
  await page.waitForSelector('lamina-slide-view[annotations-drawn]', { timeout: 120_000 });
  // The slide's own box (the OpenSeadragon element), not the toolbars above it.
  viewerRect = (await page.locator('lamina-slide-view .osd').boundingBox())!;
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
  const times = await opens(page, url, 'lamina:annotations-painted', shapes.length);
  const drawn = await page.locator('lamina-slide-view').getAttribute('annotations-drawn');
  if (drawn !== String(shapes.length)) throw new Error(`Lamina drew ${drawn} of ${shapes.length}`);
  await page.waitForSelector('lamina-slide-view[ready]', { timeout: 120_000 }).catch(() => undefined);
  phase('lamina: interact');
  const run = await interact(page, 'lamina');
  phase('lamina: hit-test');
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
  phase('lamina: commits');
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
  // The overlay's painted tiles live in canvases, outside the JS heap: reported beside it.
  const tileBytes = await page.locator('lamina-slide-view').evaluate((el) => (el as unknown as { overlayProbe(): { tileBytes: number } | undefined }).overlayProbe()?.tileBytes ?? NaN);
  phase('lamina: heap');
  const heap = await heapAfterGc(page);
  await ctx.close();
  return {
    opens: times,
    run,
    heapMB: heap / 1e6,
    tileMB: tileBytes / 1e6,
    extra: {
      writeMedian: pct(writes, 0.5),
      writeP95: pct(writes, 0.95),
      hitMean: hit.reduce((a, b) => a + b, 0) / hit.length,
      hitP95: pct(hit, 0.95),
      commitMedian: pct(commits, 0.5),
      commitP95: pct(commits, 0.95),
    },
  };
}

async function peer(shapes: BenchShape[]): Promise<Result> {
  const ctx = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
  const page: Page = await ctx.newPage();
  const r = viewerRect;
  const url = `${base}bench/peer/index.html?rect=${[r.x, r.y, r.width, r.height].map(Math.round).join(',')}&x=${START.x}&y=${START.y}&z=${START.z}&data=${shapes.length}-${shapes[0]?.type ?? 'point'}`;
  const times = await opens(page, url, 'peer:annotations-painted', shapes.length);
  if (!Number.isFinite(times.first)) {
    await ctx.close().catch(() => undefined);
    return { opens: times, heapMB: NaN, stalled: true };
  }
  const run = await Promise.race([interact(page, 'peer').catch(() => undefined), new Promise<undefined>((res) => setTimeout(() => res(undefined), 120_000))]);
  if (!run || run.frames.length === 0) {
    await ctx.close().catch(() => undefined);
    return { opens: times, heapMB: NaN, stalled: true };
  }
  const heap = await heapAfterGc(page);
  await ctx.close();
  return { opens: times, run, heapMB: heap / 1e6 };
}

const f = (v: number | undefined, d = 1): string => (v === undefined || Number.isNaN(v) ? '—' : Number.isFinite(v) ? v.toFixed(d) : `≥${PEER_LOAD_LIMIT_MS / 1000} s`);
const x = (peerV: number | undefined, ours: number | undefined): string => (peerV === undefined || ours === undefined || !(ours > 0) || Number.isNaN(peerV) ? '' : Number.isFinite(peerV) ? `${(peerV / ours).toFixed(1)}×` : '≥ (peer stalled)');
const modes = (r: Result | undefined): string => {
  if (!r?.run) return '—';
  const total = Object.values(r.run.modes).reduce((a, b) => a + b, 0);
  if (total === 0) return 'every shape, every frame';
  return Object.entries(r.run.modes).map(([m, n]) => `${m} ${Math.round((100 * n) / total)}%`).join(', ');
};
const row = (name: string, ours: string, them: string, ratio = ''): void => console.log(`  ${name.padEnd(44)} ${ours.padStart(16)}  ${them.padStart(26)}  ${ratio}`);

console.log(`\nAnnotations: Lamina vs @annotorious/openseadragon 3.8 — same viewer, slide, tiles (prerendered off on both), canvas drawer, viewer rectangle; headless Chromium ${VIEWPORT.width}×${VIEWPORT.height}, no GPU`);
for (const n of SIZES) {
  for (const kind of KINDS) {
    const shapes = benchShapes(n, kind);
    const ours = await lamina(shapes);
    const them: Result | undefined = WITH_PEER ? await peer(shapes) : undefined;
    const stalled = them?.stalled === true;
    const st = (v: string): string => (stalled && v === '—' ? '≥ (stalled)' : v);
    console.log(`\n${n} ${kind}s, all in view at the start (viewer ${Math.round(viewerRect.width)}×${Math.round(viewerRect.height)} CSS px on both)`);
    row('', 'Lamina', 'Annotorious', 'peer/ours');
    row('navigation → painted, first open ms', f(ours.opens.first, 0), them ? f(them.opens.first, 0) : 'not run', x(them?.opens.first, ours.opens.first));
    row('navigation → painted, later opens ms', f(ours.opens.later, 0), them ? f(them.opens.later, 0) : 'not run', x(them?.opens.later, ours.opens.later));
    const fm = (r: Result | undefined, fn: (fr: number[]) => number, d = 1): string => (r?.run ? f(fn(r.run.frames), d) : r ? st('—') : 'not run');
    row('frame median / p95 ms', `${fm(ours, (fr) => pct(fr, 0.5))} / ${fm(ours, (fr) => pct(fr, 0.95))}`, `${fm(them, (fr) => pct(fr, 0.5))} / ${fm(them, (fr) => pct(fr, 0.95))}`, x(them?.run ? pct(them.run.frames, 0.95) : stalled ? Infinity : undefined, pct(ours.run!.frames, 0.95)));
    row('time-weighted p95 frame ms', fm(ours, (fr) => timeWeighted(fr, 0.05)), fm(them, (fr) => timeWeighted(fr, 0.05)), x(them?.run ? timeWeighted(them.run.frames, 0.05) : stalled ? Infinity : undefined, timeWeighted(ours.run!.frames, 0.05)));
    row('wall time in frames > 2 vsyncs (34 ms)', fm(ours, (fr) => 100 * timeOver(fr, 34), 0) + ' %', fm(them, (fr) => 100 * timeOver(fr, 34), 0) + ' %');
    row('overlay draw median / p95 ms', `${f(pct(ours.run!.draws, 0.5))} / ${f(pct(ours.run!.draws, 0.95))}`, 'not exposed');
    row('  of which painting overlay tiles median / p95 ms', `${f(pct(ours.run!.paints, 0.5))} / ${f(pct(ours.run!.paints, 0.95))}`, '');
    row('level of detail drawn (share of frames)', modes(ours), them ? (them.run ? 'every shape, every frame' : '—') : 'not run');
    row('JS heap after GC MB (Lamina: tile canvases apart)', f(ours.heapMB, 0), them ? st(f(them.heapMB, 0)) : 'not run');
    row('Lamina overlay tile canvases, outside the heap, MB (cap 67, plus up to 4 in spares)', f(ours.tileMB ?? NaN, 0), '—');
    const e = ours.extra!;
    row('hit-test mean / p95 ms', `${f(e['hitMean'], 3)} / ${f(e['hitP95'], 3)}`, 'no storage');
    row('edit → saved median / p95 ms', `${f(e['commitMedian'])} / ${f(e['commitP95'])}`, 'no storage');
    row('  of which one IDB write median / p95 ms', `${f(e['writeMedian'])} / ${f(e['writeP95'])}`, '');
  }
}
await browser.close();
await server.close();
