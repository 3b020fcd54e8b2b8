import { describe, expect, it } from 'vitest';
import { TileRenderer } from '../../../src/specimen/render';
import { Scene } from '../../../src/specimen/scene';
import { SectionArtefacts } from '../../../src/specimen/section-artefacts';
import { sectionSalt } from '../../../src/specimen/cells';
import { odOf } from '../../../src/specimen/stain-analysis';
import { patchAt, spec } from './pixels';

/**
 * A microtome's marks, measured on rendered H&E pixels (the artefacts' own geometry only says
 * where to look): a knife line torn thin, and chatter's bands.
 */
const scene = new Scene(spec);
const marks = new SectionArtefacts(spec.widthUm, spec.heightUm, sectionSalt('he'), scene.shape);
const r = new TileRenderer(spec, 'he');
const white = r.stains.white;
const od = (d: Uint8ClampedArray, i: number): number => odOf(d[i * 4]!, white[0]) + odOf(d[i * 4 + 1]!, white[1]) + odOf(d[i * 4 + 2]!, white[2]);

/** A point on the knife line inside the section's tumour, found by walking the section. */
function onTrack(): [number, number] {
  for (let y = 1500; y < 6500; y += 20)
    for (let x = 3000; x < 9500; x += 20) if (marks.trackDistance(x, y) < 10 && scene.regionAt(x, y) === 1) return [x, y];
  throw new Error('the knife line misses the tumour');
}

describe('section artefacts', () => {
  it('a knife line: at 10x torn thin along most of it (the tissue within 1 µm holds under 0.6× the stain 6-12 µm away), and uneven, not ruled (stretches of it p90 ≥ 2× p10)', () => {
    const [x, y] = onTrack();
    const N = 600;
    const p = patchAt(r, 14, x, y, N);
    // Per 25 µm stretch along the track: the stain on it against beside it.
    const near = new Map<number, number>();
    const nn = new Map<number, number>();
    let far = 0;
    let nf = 0;
    const c = Math.cos(marks.cutAngle);
    const sn = Math.sin(marks.cutAngle);
    for (let i = 0; i < N * N; i++) {
      const X = p.x0 + ((i % N) + 0.5) * p.upp;
      const Y = p.y0 + (Math.floor(i / N) + 0.5) * p.upp;
      const d = marks.trackDistance(X, Y);
      if (d < 1) {
        const k = Math.floor((X * c + Y * sn) / 25);
        near.set(k, (near.get(k) ?? 0) + od(p.data, i));
        nn.set(k, (nn.get(k) ?? 0) + 1);
      } else if (d > 6 && d < 12) {
        far += od(p.data, i);
        nf++;
      }
    }
    const ratios = [...near.keys()].filter((k) => nn.get(k)! >= 30).map((k) => near.get(k)! / nn.get(k)! / (far / nf));
    ratios.sort((a, b) => a - b);
    expect(ratios.length).toBeGreaterThan(15);
    // An even track: every stretch at about 0.33 (p90 / p10 about 1.1). This one: most torn,
    // some barely touched (0.51 median, p90 / p10 3.1).
    expect(ratios[ratios.length >> 1]).toBeLessThan(0.6);
    expect(ratios[Math.floor(ratios.length * 0.9)]! / ratios[Math.floor(ratios.length * 0.1)]!).toBeGreaterThan(2);
  }, 30_000);

  it('chatter: where the section chattered, stain follows the bands, the thick half ≥ 1.08× the thin half', () => {
    // A chattered stretch of tumour at 2.5x, folded by the bands' phase: thick half against thin.
    const p = patchAt(r, 12, 5200, 2300, 512);
    let thick = 0;
    let thin = 0;
    for (let i = 0; i < 512 * 512; i++) {
      const X = p.x0 + ((i % 512) + 0.5) * p.upp;
      const Y = p.y0 + (Math.floor(i / 512) + 0.5) * p.upp;
      if (scene.regionAt(X, Y) !== 1) continue;
      const ph = marks.chatterPhase(X, Y);
      if (ph > 0.05 && ph < 0.45) thick += od(p.data, i);
      else if (ph > 0.55 && ph < 0.95) thin += od(p.data, i);
    }
    // 1.12 with bands that come and go along their length (1.22 when they were even
    // everywhere, which read as corduroy), 1.00 without chatter.
    expect(thick / thin).toBeGreaterThan(1.08);
  }, 30_000);
});
