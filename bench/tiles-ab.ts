import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SceneSpec } from '../src/specimen/scene';
import type { StainId } from '../src/model/manifest';
import { builtRenderer } from './built-renderer';

/**
 * Tile render cost of two or more checkouts of the renderer, measured in one process with the
 * same tiles in turn (who goes first alternates), so machine load falls on all alike. Prints
 * CPU ms per tile (median/p95/max; wall time in brackets) and each tree's ratio to the first.
 * On a shared, loaded machine the wall times of runs minutes apart are not comparable; these are.
 * Each tree's renderer is built by Vite as the app ships it (see built-renderer.ts).
 *
 *   npx tsx bench/tiles-ab.ts /tmp/spec-base,. he 40
 */
const roots = (process.argv[2] ?? '.').split(',').map((r) => new URL(`${r.replace(/\/$/, '')}/`, `file://${process.cwd()}/`));
const section = (process.argv[3] ?? 'he') as StainId;
const perLevel = Number(process.argv[4] ?? 40);
const mods = [];
for (const r of roots) mods.push(await builtRenderer(fileURLToPath(r)));
const spec = JSON.parse(readFileSync(new URL('images/lms-block.scene.json', roots[0]), 'utf8')) as SceneSpec;
const renderers = mods.map((m) => new m.TileRenderer(spec, section));
const g = renderers[0]!.geometry;
const out = new Uint8ClampedArray(256 * 256 * 4);

// Warm-up as bench/tiles.ts: the colour table, then tiles over every kind of tissue.
for (const r of renderers) {
  r.render(8, 0, 0);
  for (const level of [15, 13]) {
    const upp = g.mpp * 2 ** (g.maxLevel - level);
    for (let w = 0; w < 30; w++) {
      const c = Math.floor((((w * 0.381966 + 0.13) % 1) * g.width * g.mpp) / upp / g.tileSize);
      const rr = Math.floor((((w * 0.5698403 + 0.41) % 1) * g.height * g.mpp) / upp / g.tileSize);
      r.render(level, c, rr, out);
    }
  }
}

const pct = (s: number[], p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
const stats = (a: number[]): number[] => {
  a.sort((x, y) => x - y);
  return [pct(a, 0.5), pct(a, 0.95), a[a.length - 1]!];
};
const totals = renderers.map(() => 0);
console.log(`${section}: CPU ms per tile median/p95/max [wall], × ratio to the first; trees ${roots.map((r) => r.pathname).join(' | ')}`);
for (let level = g.maxLevel; level >= 8; level--) {
  const cols = Math.ceil(g.width / 2 ** (g.maxLevel - level) / g.tileSize);
  const rows = Math.ceil(g.height / 2 ** (g.maxLevel - level) / g.tileSize);
  const n = Math.min(perLevel, cols * rows);
  const cpu = renderers.map(() => [] as number[]);
  const wall = renderers.map(() => [] as number[]);
  for (let k = 0; k < n; k++) {
    const c = Math.floor(((k * 0.618034 + 0.31) % 1) * cols);
    const rr = Math.floor(((k * 0.7548777 + 0.17) % 1) * rows);
    for (let j = 0; j < renderers.length; j++) {
      const t = (j + k) % renderers.length;
      const u0 = process.cpuUsage();
      const w0 = performance.now();
      renderers[t]!.render(level, c, rr, out);
      const w1 = performance.now();
      const u = process.cpuUsage(u0);
      cpu[t]!.push((u.user + u.system) / 1000);
      wall[t]!.push(w1 - w0);
    }
  }
  cpu.forEach((a, j) => (totals[j] = totals[j]! + a.reduce((x, y) => x + y, 0)));
  const cs = cpu.map(stats);
  const ws = wall.map(stats);
  const cells = cs.map((c, j) => {
    const ratio = j ? ` ×${c.map((v, q) => (v / cs[0]![q]!).toFixed(2)).join('/')}` : '';
    return `${c.map((v) => v.toFixed(1)).join('/')} [${ws[j]!.map((v) => v.toFixed(1)).join('/')}]${ratio}`;
  });
  console.log(`${String(level).padStart(3)}  ${cells.join('   ')}`);
}
console.log(`total CPU ms ${totals.map((t) => t.toFixed(0)).join(' | ')}; ratio to the first ${totals.map((t) => (t / totals[0]!).toFixed(3)).join(' | ')}`);
