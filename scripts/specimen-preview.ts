import { mkdirSync, readFileSync } from 'node:fs';
import { TileRenderer } from '../src/specimen/render';
import type { SceneSpec } from '../src/specimen/scene';
import { parseManifest } from '../src/model/manifest';
import type { StainId } from '../src/model/manifest';
import { levelFor, renderRegion } from '../src/specimen/mosaic';
import { GroundTruth } from '../src/specimen/truth';
import { writePng } from './png';

/**
 * `npm run specimen:preview [outDir]`: PNGs of each figure's field at the figure's magnification,
 * a few full-resolution (40x) crops, and figure 5 with its true mitoses ringed — so anyone can
 * look at the virtual slides without running the app.
 */
const out = process.argv[2] ?? 'specimen-out/preview';
mkdirSync(out, { recursive: true });
const spec = JSON.parse(readFileSync(new URL('../images/lms-block.scene.json', import.meta.url), 'utf8')) as SceneSpec;
const parsed = parseManifest(JSON.parse(readFileSync(new URL('../images/case.json', import.meta.url), 'utf8')));
if (parsed.error !== undefined) throw new Error(parsed.error);
const manifest = parsed.value;
const renderers = new Map<string, TileRenderer>();
const rendererFor = (section: StainId): TileRenderer => {
  let r = renderers.get(section);
  if (!r) renderers.set(section, (r = new TileRenderer(spec, section)));
  return r;
};

function shot(name: string, section: StainId, cxUm: number, cyUm: number, umPerPx: number, w: number, h: number): Uint8ClampedArray {
  const r = rendererFor(section);
  const level = levelFor(r, umPerPx);
  const upp = r.geometry.mpp * 2 ** (r.geometry.maxLevel - level);
  const t0 = performance.now();
  const px = renderRegion(r, level, cxUm - (w / 2) * upp, cyUm - (h / 2) * upp, w, h);
  writePng(`${out}/${name}.png`, w, h, px);
  console.log(`${out}/${name}.png  ${section} ${w}×${h} at ${upp} µm/px (${(performance.now() - t0).toFixed(0)} ms)`);
  return px;
}

for (const f of manifest.figures) {
  const slide = manifest.slides.find((s) => s.id === f.slide)!;
  if (slide.source.kind !== 'virtual') continue;
  // The figure's field at its objective (40x = 0.25 µm/px), 1200 px wide.
  shot(`figure-${f.number}`, slide.source.section, f.centerUm[0], f.centerUm[1], 10 / f.objective, 1200, 800);
}
const hot = spec.mitoses.hotSpot;
shot('crop-40x-hotspot-he', 'he', hot.cx, hot.cy, 0.25, 800, 800);
shot('crop-40x-necrosis-border-he', 'he', spec.necrosis[0]!.cx - spec.necrosis[0]!.rx, spec.necrosis[0]!.cy, 0.25, 800, 800);
shot('crop-40x-bone-he', 'he', 2000, 3000, 0.25, 800, 800);
shot('crop-40x-ki67', 'ki67', hot.cx, hot.cy, 0.25, 800, 800);
shot('crop-40x-sma', 'sma', 5900, 4500, 0.25, 800, 800);

// Figure 5 with every true mitosis ringed (green typical, magenta atypical).
const f5 = manifest.figures.find((f) => f.number === 5);
if (f5) {
  const upp = 10 / f5.objective;
  const w = 1200;
  const h = 800;
  const px = shot('figure-5-truth', 'he', f5.centerUm[0], f5.centerUm[1], upp, w, h);
  const x0 = f5.centerUm[0] - (w / 2) * upp;
  const y0 = f5.centerUm[1] - (h / 2) * upp;
  const truth = new GroundTruth(spec, 'he');
  const ms = truth.mitoses({ x: x0, y: y0, width: w * upp, height: h * upp });
  for (const m of ms) {
    const cx = (m.x - x0) / upp;
    const cy = (m.y - y0) / upp;
    const colour = m.atypical ? [255, 0, 200] : [0, 170, 0];
    for (let a = 0; a < 360; a += 2) {
      for (const rr of [16, 17]) {
        const x = Math.round(cx + rr * Math.cos((a * Math.PI) / 180));
        const y = Math.round(cy + rr * Math.sin((a * Math.PI) / 180));
        if (x < 0 || y < 0 || x >= w || y >= h) continue;
        const o = (y * w + x) * 4;
        px[o] = colour[0]!;
        px[o + 1] = colour[1]!;
        px[o + 2] = colour[2]!;
      }
    }
  }
  writePng(`${out}/figure-5-truth.png`, w, h, px);
  console.log(`  ${ms.length} mitoses in figure 5's field (${ms.filter((m) => m.atypical).length} atypical)`);
}
