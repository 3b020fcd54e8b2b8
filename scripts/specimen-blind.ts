import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { TileRenderer, tileExtent } from '../src/specimen/render';
import type { SceneSpec } from '../src/specimen/scene';
import type { StainId } from '../src/model/manifest';
import { levelFor, renderRegion } from '../src/specimen/mosaic';
import { areaResample } from '../src/specimen/scan-stats';
import { readPng, writePng } from './png';

/**
 * `npm run specimen:blind [seed] [outDir]`: the set for a blinded realism review. 512 px crops of
 * the virtual slides at 10x, 20x and 40x (1, 0.5 and 0.25 µm/px) in all three stains, and of the
 * real scans in ../shared/reference brought to the same µm per pixel by area averaging,
 * shuffled by the seed into `<outDir>/crops/crop-NN.png`. Which is which goes to
 * `<outDir>/key.json`, apart from the crops: point the reviewer at `crops/` alone and keep the
 * key from them. Without ../shared the real half cannot be made, and the script says so.
 */
const seed0 = Number(process.argv[2] ?? 1);
const out = process.argv[3] ?? 'specimen-out/blind';
const REF = new URL('../../shared/reference/', import.meta.url);
if (!existsSync(REF)) {
  console.error(`specimen:blind needs the real scans in ${REF.pathname} (not in this checkout); nothing written`);
  process.exit(1);
}
const SIZE = 512;
const spec = JSON.parse(readFileSync(new URL('../images/lms-block.scene.json', import.meta.url), 'utf8')) as SceneSpec;

interface Crop {
  readonly what: string;
  readonly width: number;
  readonly data: Uint8ClampedArray;
}
const crops: Crop[] = [];
const renderers = new Map<StainId, TileRenderer>();

function ours(section: StainId, cx: number, cy: number, umPerPx: number): void {
  let r = renderers.get(section);
  if (!r) renderers.set(section, (r = new TileRenderer(spec, section)));
  const level = levelFor(r, umPerPx);
  const { upp } = tileExtent(r.geometry, level, 0, 0);
  const data = renderRegion(r, level, cx - (SIZE / 2) * upp, cy - (SIZE / 2) * upp, SIZE, SIZE);
  crops.push({ what: `virtual ${section} at ${upp} µm/px, centre (${cx}, ${cy}) µm`, width: SIZE, data });
}

function real(file: string, mpp: number, umPerPx: number, x0: number, y0: number): void {
  const img = readPng(new URL(file, REF).pathname);
  const r = areaResample({ width: img.width, height: img.height, data: img.data }, umPerPx / mpp, x0, y0, SIZE);
  crops.push({ what: `real ${file} at ${umPerPx} µm/px from (${x0}, ${y0}) px, ${r.width} px`, width: r.width, data: new Uint8ClampedArray(r.data) });
}

// Virtual: the figures' fields (4, 5, 6, 7) and the figure 5 hot spot, at the powers the
// reviews compare.
ours('he', 6300, 3000, 1);
ours('he', 4992, 5504, 1);
ours('he', 7450, 5300, 0.5);
ours('he', 6150, 2800, 0.5);
ours('he', 7456, 5344, 0.25);
ours('sma', 5900, 4500, 1);
ours('sma', 5900, 4500, 0.5);
ours('ki67', 7500, 5300, 1);
ours('ki67', 7500, 5300, 0.5);
ours('ki67', 7456, 5344, 0.25);
// Real: the same powers, from the tissue of each scan (see ../shared/reference/README.md).
real('he-carcinoma-40x.png', 0.227, 0.25, 200, 200);
real('he-carcinoma-40x.png', 0.227, 0.5, 0, 0);
real('he-skin-20x.png', 0.499, 0.5, 900, 1500);
real('he-skin-20x.png', 0.499, 0.5, 1300, 2300);
real('he-skin-20x.png', 0.499, 1, 200, 800);
real('ki67-carcinoma-40x.png', 0.227, 0.25, 900, 900);
real('ki67-carcinoma-40x.png', 0.227, 0.5, 0, 1000);
real('ki67-carcinoma-40x.png', 0.227, 1, 0, 0);
real('dab-ihc-colon.png', 0.5, 0.5, 0, 0); // (its scale is not given; taken as 20x)

// A seeded Fisher–Yates shuffle, so a review can be reproduced.
let seed = seed0 >>> 0 || 1;
const rnd = (): number => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const order = crops.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(rnd() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/crops`, { recursive: true });
const key: Record<string, string> = {};
order.forEach((k, n) => {
  const c = crops[k]!;
  const name = `crop-${String(n + 1).padStart(2, '0')}.png`;
  writePng(`${out}/crops/${name}`, c.width, c.width, c.data);
  key[name] = c.what;
});
writeFileSync(`${out}/key.json`, `${JSON.stringify(key, null, 1)}\n`);
console.log(`${crops.length} crops in ${out}/crops (seed ${seed0}); the key in ${out}/key.json`);
