import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { ki67Assist } from '../src/analysis/ki67-assist';
import { parseManifest } from '../src/model/manifest';
import { matchPoints } from '../src/model/teaching/point-matching';
import { levelFor, renderRegion } from '../src/specimen/mosaic';
import { TileRenderer } from '../src/specimen/render';
import type { SceneSpec } from '../src/specimen/scene';
import { GroundTruth } from '../src/specimen/truth';

/**
 * `npm run measure -- ki67 --slide ki67 --region x,y,w,h [--od 0.3] [--um 0.5]`
 * `npm run measure -- ki67 --png path.png --um 0.227`  (any image: no truth)
 * `npm run measure -- mitoses --slide he --region x,y,w,h`
 *
 * The counting code the app runs, from the command line, printing JSON: the Ki67 assist's
 * nuclei, index and stain vectors, and on the case's virtual slides the ground truth for the
 * same region (true index; nuclei matched to true ones within 4 µm: recall and precision).
 * Regions are in the slide's full-resolution image pixels. --um is the pixel size analysed
 * (0.5 µm, as QuPath's positive cell detection asks by default).
 */
const [what, ...rest] = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};
const fail = (msg: string): never => {
  console.error(msg);
  process.exit(2);
};

function virtual(slideId: string): { r: TileRenderer; truth: GroundTruth; mpp: number } {
  const manifest = parseManifest(JSON.parse(readFileSync(new URL('../images/case.json', import.meta.url), 'utf8')));
  if (manifest.error !== undefined) throw new Error(manifest.error);
  const slide = manifest.value.slides.find((s) => s.id === slideId);
  if (!slide || slide.source.kind !== 'virtual') return fail(`no virtual slide "${slideId}"`);
  const spec = JSON.parse(readFileSync(new URL('../images/lms-block.scene.json', import.meta.url), 'utf8')) as SceneSpec;
  return { r: new TileRenderer(spec, slide.source.section), truth: new GroundTruth(spec, slide.source.section), mpp: slide.mpp };
}

function region(): [number, number, number, number] {
  const v = (flag('--region') ?? '').split(',').map(Number);
  if (v.length !== 4 || v.some((n) => !Number.isFinite(n) || n < 0)) return fail('--region x,y,width,height in the slide\'s image pixels');
  return v as [number, number, number, number];
}

const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

if (what === 'ki67') {
  const positiveOd = flag('--od') === undefined ? undefined : Number(flag('--od'));
  const png = flag('--png');
  if (png) {
    const img = PNG.sync.read(readFileSync(png));
    const um = Number(flag('--um') ?? NaN);
    if (!(um > 0)) fail('--um: the image\'s µm per pixel');
    const t0 = performance.now();
    const a = ki67Assist(img.data, img.width, img.height, { pixelUm: um, ...(positiveOd !== undefined ? { positiveOd } : {}) });
    console.log(JSON.stringify({ image: png, width: img.width, height: img.height, ms: round(performance.now() - t0, 0), nuclei: a.nuclei.length, positive: a.positive, negative: a.negative, index: round(a.index), vectors: a.vectors, estimated: a.estimated, positiveOd: a.positiveOd }, null, 1));
  } else {
    const { r, truth, mpp } = virtual(flag('--slide') ?? 'ki67');
    const [x, y, w, h] = region();
    const um = Number(flag('--um') ?? 0.5);
    const level = levelFor(r, um);
    const scale = 2 ** (r.geometry.maxLevel - level); // full-res px per analysed px
    const pw = Math.round(w / scale);
    const ph = Math.round(h / scale);
    const t0 = performance.now();
    const rgba = renderRegion(r, level, x * mpp, y * mpp, pw, ph);
    const t1 = performance.now();
    const a = ki67Assist(rgba, pw, ph, { pixelUm: mpp * scale, ...(positiveOd !== undefined ? { positiveOd } : {}) });
    const t2 = performance.now();
    const rectUm = { x: x * mpp, y: y * mpp, width: w * mpp, height: h * mpp };
    const trueNuclei = truth.viableNuclei(rectUm);
    const t = truth.ki67(rectUm);
    // Matched within 4 µm, one to one, in µm.
    const found = a.nuclei.map((n) => [(x + n.x * scale) * mpp, (y + n.y * scale) * mpp] as [number, number]);
    const matches = matchPoints(found, trueNuclei.map((n) => [n.x, n.y] as [number, number]), 4);
    const agree = matches.filter(([i, k]) => a.nuclei[i]!.positive === trueNuclei[k]!.ki67).length;
    console.log(
      JSON.stringify(
        {
          region: { x, y, w, h, um: round(mpp * scale) },
          ms: { render: round(t1 - t0, 0), assist: round(t2 - t1, 0) },
          assist: { nuclei: a.nuclei.length, positive: a.positive, negative: a.negative, index: round(a.index), vectors: a.vectors, estimated: a.estimated, positiveOd: a.positiveOd },
          truth: { nuclei: trueNuclei.length, positive: t.positive, negative: t.negative, index: round(t.index) },
          detection: { matched: matches.length, recall: round(matches.length / trueNuclei.length), precision: round(matches.length / a.nuclei.length), positivityAgreement: round(agree / Math.max(1, matches.length)) },
        },
        null,
        1,
      ),
    );
  }
} else if (what === 'mitoses') {
  const { truth, mpp } = virtual(flag('--slide') ?? 'he');
  const [x, y, w, h] = region();
  const m = truth.mitoses({ x: x * mpp, y: y * mpp, width: w * mpp, height: h * mpp });
  const areaMm2 = (w * h * mpp * mpp) / 1e6;
  console.log(JSON.stringify({ region: { x, y, w, h }, truth: { mitoses: m.length, atypical: m.filter((q) => q.atypical).length, perMm2: round(m.length / areaMm2, 2), points: m.map((q) => ({ x: round(q.x / mpp, 1), y: round(q.y / mpp, 1), form: q.form })) } }, null, 1));
} else fail('usage: npm run measure -- ki67|mitoses --slide <id> --region x,y,w,h   (or ki67 --png <file> --um <µm/px>)');
