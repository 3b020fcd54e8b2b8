import { readFileSync } from 'node:fs';
import { builtRenderer } from './built-renderer';
import type { SceneSpec } from '../src/specimen/scene';
import type { StainId } from '../src/model/manifest';

/**
 * Tile render time per pyramid level, single thread: the same pure function the workers run,
 * built as the app ships it (see built-renderer.ts). Tiles are sampled across the whole section
 * (tissue and glass alike), after a warm-up.
 */
const { TileRenderer, tileExtent, STATISTICAL_UPP } = await builtRenderer();
const spec = JSON.parse(readFileSync(new URL('../images/lms-block.scene.json', import.meta.url), 'utf8')) as SceneSpec;
const sections = (process.argv[2]?.split(',') ?? ['he', 'sma', 'ki67']) as StainId[];
const perLevel = Number(process.argv[3] ?? 40);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

for (const section of sections) {
  const r = new TileRenderer(spec, section);
  const g = r.geometry;
  const t0 = performance.now();
  r.render(8, 0, 0); // measures the low-level colour table once
  const tableMs = performance.now() - t0;
  const out = new Uint8ClampedArray(256 * 256 * 4); // as the workers do: one buffer, reused
  // Warm-up (JIT): tiles over every kind of tissue (tumour, necrosis, bone, marrow, fat), so
  // no region's code is first compiled while being measured.
  for (const level of [15, 13]) {
    const { upp } = tileExtent(g, level, 0, 0);
    for (let w = 0; w < 30; w++) {
      const c = Math.floor((((w * 0.381966 + 0.13) % 1) * g.width * g.mpp) / upp / g.tileSize);
      const rr = Math.floor((((w * 0.5698403 + 0.41) % 1) * g.height * g.mpp) / upp / g.tileSize);
      r.render(level, c, rr, out);
    }
  }
  console.log(`\n${section}: statistical colour table ${tableMs.toFixed(0)} ms (once per worker)`);
  console.log('level  µm/px   kind        tiles  median  p95     max   (ms)');
  for (let level = g.maxLevel; level >= 8; level--) {
    const { upp } = tileExtent(g, level, 0, 0);
    const cols = Math.ceil(g.width / 2 ** (g.maxLevel - level) / g.tileSize);
    const rows = Math.ceil(g.height / 2 ** (g.maxLevel - level) / g.tileSize);
    const times: number[] = [];
    let worst = { ms: 0, col: 0, row: 0 };
    const n = Math.min(perLevel, cols * rows);
    for (let k = 0; k < n; k++) {
      // A low-discrepancy walk over the level's tiles.
      const c = Math.floor(((k * 0.618034 + 0.31) % 1) * cols);
      const rr = Math.floor(((k * 0.7548777 + 0.17) % 1) * rows);
      const s = performance.now();
      r.render(level, c, rr, out);
      const ms = performance.now() - s;
      times.push(ms);
      if (ms > worst.ms) worst = { ms, col: c, row: rr };
    }
    times.sort((a, b) => a - b);
    const kind = upp <= STATISTICAL_UPP ? 'cells' : 'statistical';
    const at = `slowest at (${((worst.col + 0.5) * 256 * upp).toFixed(0)}, ${((worst.row + 0.5) * 256 * upp).toFixed(0)}) µm`;
    console.log(
      `${String(level).padStart(5)}  ${upp.toFixed(2).padStart(6)}  ${kind.padEnd(11)} ${String(n).padStart(5)}  ${pct(times, 0.5).toFixed(1).padStart(6)}  ${pct(times, 0.95).toFixed(1).padStart(6)}  ${times[times.length - 1]!.toFixed(1).padStart(6)}   ${at}`,
    );
  }
}
