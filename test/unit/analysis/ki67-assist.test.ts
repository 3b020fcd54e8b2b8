import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POSITIVE_OD, ki67Assist } from '../../../src/analysis/ki67-assist';
import { matchPoints } from '../../../src/model/teaching/point-matching';
import { levelFor, renderRegion } from '../../../src/specimen/mosaic';
import { TileRenderer } from '../../../src/specimen/render';
import type { SceneSpec } from '../../../src/specimen/scene';
import { GroundTruth } from '../../../src/specimen/truth';

/**
 * The assist on a 250 × 250 µm tumour region of the virtual Ki67 slide at 0.5 µm per pixel,
 * against the slide's exact truth (bench/counting.ts reports the same on five larger regions).
 */
const spec = JSON.parse(readFileSync(new URL('../../../images/lms-block.scene.json', import.meta.url), 'utf8')) as SceneSpec;
const UM = 0.5;
const R = { x: 7250, y: 5050, width: 250, height: 250 };
const renderer = new TileRenderer(spec, 'ki67');
const w = Math.round(R.width / UM);
const rgba = renderRegion(renderer, levelFor(renderer, UM), R.x, R.y, w, w);
const truth = new GroundTruth(spec, 'ki67');

describe('Ki67 assist on the virtual slide', () => {
  it('finds most true nuclei where they are, and its index is within 2 points of the truth', () => {
    const a = ki67Assist(rgba, w, w, { pixelUm: UM });
    const tn = truth.viableNuclei(R);
    const m = matchPoints(a.nuclei.map((n) => [R.x + (n.x + 0.5) * UM, R.y + (n.y + 0.5) * UM] as [number, number]), tn.map((n) => [n.x, n.y] as [number, number]), 4);
    expect(m.length / tn.length).toBeGreaterThan(0.75);
    expect(m.length / a.nuclei.length).toBeGreaterThan(0.7);
    expect(Math.abs(a.index - truth.ki67(R).index)).toBeLessThan(0.02);
    // Matched nuclei are called positive or negative as the truth has them.
    const agree = m.filter(([i, j]) => a.nuclei[i]!.positive === tn[j]!.ki67).length;
    expect(agree / m.length).toBeGreaterThan(0.95);
  });

  it('counts faintly brown nuclei as positive by default; a strict threshold misses them', () => {
    const byDefault = ki67Assist(rgba, w, w, { pixelUm: UM });
    const strict = ki67Assist(rgba, w, w, { pixelUm: UM, positiveOd: 3 * DEFAULT_POSITIVE_OD });
    expect(byDefault.nuclei.length).toBe(strict.nuclei.length);
    expect(byDefault.index - strict.index).toBeGreaterThan(0.08);
  });
});
