import { describe, expect, it } from 'vitest';
import { TileRenderer } from '../../../src/specimen/render';
import { Scene } from '../../../src/specimen/scene';
import { SectionArtefacts } from '../../../src/specimen/section-artefacts';
import { sectionSalt } from '../../../src/specimen/cells';
import { odOf } from '../../../src/specimen/stain-analysis';
import { patchAt, quantile, spec } from './pixels';

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
    // some barely touched (0.29 median, p90 / p10 9.7; 0.51 and 3.1 when it was only torn thin).
    expect(ratios[ratios.length >> 1]).toBeLessThan(0.6);
    expect(ratios[Math.floor(ratios.length * 0.9)]! / ratios[Math.floor(ratios.length * 0.1)]!).toBeGreaterThan(2);
  }, 30_000);

  it('the knife line tears the tissue through: most of its middle is bare glass (over 0.3 of it within 0.4 µm of its centre, along three stretches of it), not a pale stroke with the nuclei showing through', () => {
    // At 40x, three 250 µm stretches of the track through tumour. (0.12 when 12-34% of the
    // tissue stayed in the track; 0.42 torn through, with stretches where the nick skipped.)
    const [x0, y0] = onTrack();
    const N = 1000;
    const c = Math.cos(marks.cutAngle);
    const sn = Math.sin(marks.cutAngle);
    let centre = 0;
    let bare = 0;
    for (let k = 0; k < 3; k++) {
      const p = patchAt(r, 16, x0 + k * 400 * c, y0 + k * 400 * sn, N);
      for (let i = 0; i < N * N; i++) {
        const X = p.x0 + ((i % N) + 0.5) * p.upp;
        const Y = p.y0 + (Math.floor(i / N) + 0.5) * p.upp;
        if (scene.regionAt(X, Y) !== 1 || marks.trackDistance(X, Y) >= 0.4) continue;
        centre++;
        if (od(p.data, i) < 0.1) bare++;
      }
    }
    expect(centre).toBeGreaterThan(3000);
    expect(bare / centre).toBeGreaterThan(0.3);
  }, 60_000);

  it('the tear drags the tissue beside the track forwards along the cut and pulls it towards the track, without folding it over itself', () => {
    // Offsets across 10 µm either side of the track at 200 points along 2000 µm of it.
    const [x0, y0] = onTrack();
    const c = Math.cos(marks.cutAngle);
    const sn = Math.sin(marks.cutAngle);
    const step = 0.05;
    const n = Math.round(20 / step);
    const dx = new Float32Array(n);
    const dy = new Float32Array(n);
    const beside: number[] = [];
    let folds = 0;
    let backwards = 0;
    let beyond = 0;
    let pulled = 0;
    for (let k = 0; k < 200; k++) {
      // A line of points across the track (one pixel row of a tile turned across it).
      const ux = x0 + k * 10 * c;
      const uy = y0 + k * 10 * sn;
      const t0 = marks.trackOffset(ux, uy);
      const px = ux - (t0 + 10) * -sn;
      const py = uy - (t0 + 10) * c;
      // tearOffsets lays pixels on an axis-aligned grid: sample one pixel at a time.
      let last = -Infinity;
      for (let m = 0; m < n; m++) {
        const X = px + m * step * -sn;
        const Y = py + m * step * c;
        marks.tearOffsets(X - 0.0025, Y - 0.0025, 0.005, 1, 1, dx.subarray(m), dy.subarray(m), 1);
        const t = marks.trackOffset(X, Y);
        const across = -dx[m]! * sn + dy[m]! * c;
        const along = dx[m]! * c + dy[m]! * sn;
        if (along > 1e-6) backwards++;
        if (Math.abs(t) > 2 * 2.2 + 6 + 0.5 && (dx[m] !== 0 || dy[m] !== 0)) beyond++;
        // The source point's position across the cut must keep its order (outside the bare
        // middle, where anything shown is torn out anyway).
        if (Math.abs(t) > 4.5) {
          const src = t + across;
          if (src < last - 1e-6) folds++;
          last = src;
        }
        if (Math.abs(t) > 1.5 && Math.abs(t) < 2.5) {
          beside.push(-along);
          if (Math.abs(t + across) < Math.abs(t) - 0.05) pulled++;
        }
      }
    }
    expect(folds).toBe(0);
    expect(backwards).toBe(0);
    expect(beyond).toBe(0);
    // 1.5-2.5 µm beside the track the tissue is dragged a median ≥ 0.35 µm along the cut (0.49
    // here), and mostly comes from nearer the track.
    expect(quantile(beside, 0.5)).toBeGreaterThan(0.35);
    expect(pulled / beside.length).toBeGreaterThan(0.5);
  });

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
