import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { parseManifest } from '../src/model/manifest';
import { TileRenderer } from '../src/specimen/render';
import type { SceneSpec } from '../src/specimen/scene';
import { renderRegion } from '../src/specimen/mosaic';
import { GroundTruth } from '../src/specimen/truth';
import { truthToGeoJson } from '../src/specimen/geojson';
import type { GeoJsonCollection } from '../src/specimen/geojson';

/**
 * `npm run specimen:export -- <slide> <out> [--level L] [--region x,y,w,h]`
 *
 * Writes <out>.tif (tiled pyramidal TIFF, JPEG tiles, pixel size in the resolution tags, which
 * QuPath and OpenSlide-based viewers read), <out>.dzi with <out>_files/ (Deep Zoom), and
 * <out>.geojson (the ground truth in that image's pixel coordinates, for QuPath's
 * File › Import objects). --level picks the resolution (default 14 = 1 µm/px; 16 is full
 * resolution, 1.2 gigapixels, and takes minutes); --region is in slide µm.
 */
const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const [slideId, out] = positional;
if (!slideId || !out) {
  console.error('usage: npm run specimen:export -- <slide: he|sma|ki67> <out path without extension> [--level L] [--region x,y,w,h]');
  process.exit(2);
}
const manifest = parseManifest(JSON.parse(readFileSync(new URL('../images/case.json', import.meta.url), 'utf8')));
if (manifest.error !== undefined) throw new Error(manifest.error);
const slide = manifest.value.slides.find((s) => s.id === slideId);
if (!slide || slide.source.kind !== 'virtual') {
  console.error(`no virtual slide "${slideId}" (have: ${manifest.value.slides.map((s) => s.id).join(', ')})`);
  process.exit(2);
}
const spec = JSON.parse(readFileSync(new URL('../images/lms-block.scene.json', import.meta.url), 'utf8')) as SceneSpec;
const r = new TileRenderer(spec, slide.source.section);
const level = Number(flag('--level') ?? 14);
if (!Number.isInteger(level) || level < 8 || level > r.geometry.maxLevel) {
  console.error(`--level must be an integer from 8 to ${r.geometry.maxLevel}`);
  process.exit(2);
}
const upp = r.geometry.mpp * 2 ** (r.geometry.maxLevel - level);
const region = (flag('--region') ?? `0,0,${spec.widthUm},${spec.heightUm}`).split(',').map(Number);
if (region.length !== 4 || region.some((v) => !Number.isFinite(v) || v < 0)) {
  console.error('--region must be x,y,width,height in µm');
  process.exit(2);
}
const [rx, ry, rw, rh] = region as [number, number, number, number];
const width = Math.round(rw / upp);
const height = Math.round(rh / upp);
console.log(`rendering ${slide.name}: ${width}×${height} px at ${upp} µm/px…`);
const t0 = performance.now();
const rgba = renderRegion(r, level, rx, ry, width, height);
console.log(`rendered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
mkdirSync(dirname(out), { recursive: true });
const image = (): ReturnType<typeof sharp> => sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), { raw: { width, height, channels: 4 }, limitInputPixels: false }).removeAlpha();
const pxPerMm = 1000 / upp;
await image()
  .tiff({ tile: true, tileWidth: 256, tileHeight: 256, pyramid: true, compression: 'jpeg', quality: 90, xres: pxPerMm, yres: pxPerMm, resolutionUnit: 'cm' })
  .toFile(`${out}.tif`);
console.log(`wrote ${out}.tif`);
await image().jpeg({ quality: 90 }).tile({ size: 254, overlap: 1, layout: 'dz' }).toFile(`${out}.dz`);
console.log(`wrote ${out}.dzi and ${out}_files/`);

// Ground truth in this image's pixels: shift by the region, scale by the level.
const truth = new GroundTruth(spec, slide.source.section);
const full = truthToGeoJson(truth, upp, { x: rx, y: ry, width: rw, height: rh });
const shift = (p: [number, number]): [number, number] => [Math.round((p[0] - rx / upp) * 100) / 100, Math.round((p[1] - ry / upp) * 100) / 100];
const gj: GeoJsonCollection = {
  type: 'FeatureCollection',
  features: full.features.map((f) =>
    f.geometry.type === 'Point'
      ? { ...f, geometry: { type: 'Point', coordinates: shift(f.geometry.coordinates) } }
      : { ...f, geometry: { type: 'Polygon', coordinates: f.geometry.coordinates.map((ring) => ring.map(shift)) } },
  ),
};
writeFileSync(`${out}.geojson`, JSON.stringify(gj));
console.log(`wrote ${out}.geojson (${gj.features.length} objects)`);
