import { describe, expect, it } from 'vitest';
import { TileRenderer } from '../../../src/specimen/render';
import { HE_STAINS } from '../../../src/specimen/stain';
import { TUMOUR, newFascicle } from '../../../src/specimen/scene';
import type { Vessel } from '../../../src/specimen/scene';
import { beyondLumen, newOvalPoint } from '../../../src/specimen/vessel-shape';
import { axisRatio, components, deconvolve, flood, luma, patchAt, spec } from './pixels';

/**
 * Vessels as a pathologist sees them at 40x, measured on H&E pixels: a wall of smooth muscle
 * deeper pink than the tumour round it, and a lining of separate endothelial nuclei close
 * together (a lumen drawn with a few dashes round it fails).
 */
const he = new TileRenderer(spec, 'he');

function tumourVessels(n: number, capillaries = false): Vessel[] {
  const out: Vessel[] = [];
  for (let j = 8; j < 40 && out.length < n; j++) {
    for (let i = 8; i < 40 && out.length < n; i++) {
      const v = he.scene.vesselAt(i, j);
      if (v && (capillaries ? v.r < 6.5 : v.r > 8) && he.scene.regionAt(v.x, v.y) === TUMOUR && he.scene.regionAt(v.x + v.wall + 25, v.y) === TUMOUR) out.push(v);
    }
  }
  return out;
}

/**
 * Share of a vessel's inner lumen that red cells cover at 40x: red pixels (red well over green)
 * in the plain oval shrunk by 0.5 µm and a seventh of its radius (the outline wanders).
 */
function redShareOfLumen(v: Vessel): number {
  const o = newOvalPoint();
  const size = Math.ceil((v.r * 2 + 4) / 0.25);
  const p = patchAt(he, 16, v.x, v.y, size);
  let red = 0;
  let n = 0;
  for (let i = 0; i < size * size; i++) {
    const d = beyondLumen(v, p.x0 + ((i % size) + 0.5) * p.upp - v.x, p.y0 + (Math.floor(i / size) + 0.5) * p.upp - v.y, o);
    if (d > -(0.5 + v.r * 0.15)) continue;
    n++;
    if (p.data[i * 4]! - p.data[i * 4 + 1]! > 90) red++;
  }
  return red / n;
}

describe('vessels', () => {
  const vessels = tumourVessels(5);
  it('have a wall deeper pink than the tumour (eosin ≥ 1.15×) and a lining of endothelial nuclei, one per 16 µm of lumen or closer', () => {
    expect(vessels.length).toBe(5);
    for (const v of vessels) {
      const size = Math.ceil(((v.wall + 24) * 2) / 0.25);
      const p = patchAt(he, 16, v.x, v.y, size);
      const [H, E] = deconvolve(p, HE_STAINS.white, HE_STAINS.hematoxylin, HE_STAINS.eosin);
      // Radial eosin profiles in 24 sectors (nuclei left out): the wall's media is the deepest
      // pink ring in every direction, however the vessel's oval is squeezed. (Distances are
      // from the lumen's oval, so d = r on its outline and d = wall at the wall's end.)
      const o = newOvalPoint();
      const SECTORS = 24;
      const BINS = Math.ceil(v.wall - v.r * 0.8) + 1;
      const sum = new Float64Array(SECTORS * BINS);
      const cnt = new Float64Array(SECTORS * BINS);
      let tissue = 0;
      let nt = 0;
      const lining = new Uint8Array(H.length);
      for (let py = 0; py < size; py++) {
        for (let px = 0; px < size; px++) {
          const i = py * size + px;
          const dx = p.x0 + (px + 0.5) * p.upp - v.x;
          const dy = p.y0 + (py + 0.5) * p.upp - v.y;
          const d = v.r + beyondLumen(v, dx, dy, o);
          if (d >= v.r * 0.82 && d <= v.r * 1.16 + 1.5 && H[i]! > 0.2) lining[i] = 1;
          if (H[i]! > 0.12) continue;
          if (d >= v.r * 0.8 && d < v.wall) {
            const k = Math.min(SECTORS - 1, Math.floor(((o.theta + Math.PI) / (2 * Math.PI)) * SECTORS)) * BINS + Math.floor(d - v.r * 0.8);
            sum[k] = sum[k]! + E[i]!;
            cnt[k] = cnt[k]! + 1;
          } else if (d >= v.wall + 6 && d <= v.wall + 22) {
            tissue += E[i]!;
            nt++;
          }
        }
      }
      const peaks: number[] = [];
      for (let s = 0; s < SECTORS; s++) {
        let best = 0;
        // Rings two bins (2 µm) wide, so one bright fibril cannot make a wall.
        for (let k = 0; k + 1 < BINS; k++) {
          const a = s * BINS + k;
          if (cnt[a]! + cnt[a + 1]! < 20) continue;
          best = Math.max(best, (sum[a]! + sum[a + 1]!) / (cnt[a]! + cnt[a + 1]!));
        }
        peaks.push(best);
      }
      peaks.sort((a, b) => a - b);
      const ratio = peaks[SECTORS >> 1]! / (tissue / nt);
      expect(ratio, `wall eosin over the tumour's at (${v.x.toFixed(0)}, ${v.y.toFixed(0)})`).toBeGreaterThan(1.15);
      const { sizes } = components(lining, size, size);
      const nuclei = sizes.filter((s) => s * p.upp * p.upp >= 1.5).length;
      expect(nuclei, `endothelial nuclei at (${v.x.toFixed(0)}, ${v.y.toFixed(0)})`).toBeGreaterThanOrEqual((Math.PI * v.r * (1 + v.asp)) / 16);
    }
  }, 60_000);

  it('are lined by nuclei at uneven gaps, not a ring of beads: the gaps between endothelial nuclei round a lumen vary (coefficient of variation ≥ 0.75 pooled over vessels; 0.66 with one nucleus per cell, evenly spaced)', () => {
    // A section cuts through the nucleus of only some endothelial cells, anywhere along each:
    // one nucleus per cell, evenly spaced, drew each lumen as a ring of beads. The lining's
    // nuclei: haematoxylin-dominated blobs within 1.5 µm of the lumen's outline, each at the
    // angle of its centroid round the vessel.
    const gaps: number[] = [];
    for (const v of tumourVessels(18)) {
      const size = Math.ceil(((v.r * Math.max(1, v.asp) + 6) * 2) / 0.25);
      const p = patchAt(he, 16, v.x, v.y, size);
      const [H] = deconvolve(p, HE_STAINS.white, HE_STAINS.hematoxylin, HE_STAINS.eosin);
      const o = newOvalPoint();
      const lining = new Uint8Array(H.length);
      const theta = new Float64Array(H.length);
      for (let i = 0; i < H.length; i++) {
        const dx = p.x0 + ((i % size) + 0.5) * p.upp - v.x;
        const dy = p.y0 + (Math.floor(i / size) + 0.5) * p.upp - v.y;
        const d = beyondLumen(v, dx, dy, o);
        theta[i] = o.theta;
        if (d >= -1.5 && d <= 1.5 && H[i]! > 0.25) lining[i] = 1;
      }
      const { labels, sizes } = components(lining, size, size);
      // Mean angle of each blob of 2 µm² or more (as a unit vector, so blobs across ±π agree).
      const cx = new Float64Array(sizes.length);
      const cy = new Float64Array(sizes.length);
      for (let i = 0; i < labels.length; i++) {
        const l = labels[i]!;
        if (!l) continue;
        cx[l] = cx[l]! + Math.cos(theta[i]!);
        cy[l] = cy[l]! + Math.sin(theta[i]!);
      }
      const angles: number[] = [];
      for (let k = 1; k < sizes.length; k++) if (sizes[k]! * p.upp * p.upp >= 2) angles.push(Math.atan2(cy[k]!, cx[k]!));
      if (angles.length < 3) continue;
      angles.sort((a, b) => a - b);
      for (let k = 0; k < angles.length; k++) gaps.push(k + 1 < angles.length ? angles[k + 1]! - angles[k]! : angles[0]! + 2 * Math.PI - angles[k]!);
    }
    const mean = gaps.reduce((a, g) => a + g, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length);
    // (0.91 over 22 gaps; 0.66 over 84 with a nucleus at every cell.)
    expect(gaps.length).toBeGreaterThan(15);
    expect(sd / mean).toBeGreaterThanOrEqual(0.75);
  }, 60_000);

  it('capillaries have no muscular media: the eosin just outside the lining is within 1.12× that of the tumour (median)', () => {
    const caps = tumourVessels(8, true);
    expect(caps.length).toBe(8);
    const o = newOvalPoint();
    const ratios = caps.map((v) => {
      const size = Math.ceil(((v.wall + 24) * 2) / 0.25);
      const p = patchAt(he, 16, v.x, v.y, size);
      const [H, E] = deconvolve(p, HE_STAINS.white, HE_STAINS.hematoxylin, HE_STAINS.eosin);
      let ring = 0;
      let nr = 0;
      let tissue = 0;
      let nt = 0;
      for (let i = 0; i < H.length; i++) {
        // Nuclei (the endothelium's, pericytes', the tumour's) left out: cytoplasm and matrix only.
        if (H[i]! > 0.12) continue;
        const d = v.r + beyondLumen(v, p.x0 + ((i % size) + 0.5) * p.upp - v.x, p.y0 + (Math.floor(i / size) + 0.5) * p.upp - v.y, o);
        if (d > v.r * 1.15 + 0.8 && d < v.r * 1.15 + 2.6) {
          ring += E[i]!;
          nr++;
        } else if (d >= v.wall + 6 && d <= v.wall + 22) {
          tissue += E[i]!;
          nt++;
        }
      }
      return ring / nr / (tissue / nt);
    });
    // (With an arteriole's media round every lumen, capillaries too wore a pink band: median 1.19.)
    ratios.sort((a, b) => a - b);
    expect(ratios[ratios.length >> 1], ratios.map((r) => r.toFixed(2)).join(', ')).toBeLessThan(1.12);
  }, 60_000);
  it('capillaries are packed with red cells, not a white ring round one: where they hold any, red covers a mean 60% or more of the lumen at 40x', () => {
    // (Red read as the slit test below reads it.)
    const caps = tumourVessels(12, true);
    expect(caps.length).toBe(12);
    const shares = caps.map(redShareOfLumen);
    // Over those holding any red (some capillaries are empty, as in a real section): 0.98
    // packed; 0.38 with a 7 µm disc or two drawn whole in each.
    const holding = shares.filter((s) => s > 0.05);
    expect(holding.length).toBeGreaterThanOrEqual(6);
    expect(holding.reduce((a, b) => a + b, 0) / holding.length, shares.map((r) => r.toFixed(2)).join(', ')).toBeGreaterThanOrEqual(0.6);
  }, 60_000);
  it('packed capillaries wear no pale halo: between their red cells and the tissue, the plasma and lining are no paler than the tissue round them (median step in grey levels under 0)', () => {
    // Luminance of the pixels within 1.2 µm either side of the plain oval that are neither red
    // cells nor nuclei (the sliver of plasma, the endothelium's cytoplasm), against the tissue
    // 6-22 µm beyond the wall's outer edge (nuclei left out there too).
    const caps = tumourVessels(12, true);
    const o = newOvalPoint();
    const steps: number[] = [];
    for (const v of caps) {
      const size = Math.ceil(((v.wall + 24) * 2) / 0.25);
      const p = patchAt(he, 16, v.x, v.y, size);
      const [H] = deconvolve(p, HE_STAINS.white, HE_STAINS.hematoxylin, HE_STAINS.eosin);
      let red = 0;
      let band = 0;
      let nb = 0;
      let tissue = 0;
      let nt = 0;
      for (let i = 0; i < H.length; i++) {
        if (H[i]! > 0.12) continue;
        const d = beyondLumen(v, p.x0 + ((i % size) + 0.5) * p.upp - v.x, p.y0 + (Math.floor(i / size) + 0.5) * p.upp - v.y, o);
        const isRed = p.data[i * 4]! - p.data[i * 4 + 1]! > 90;
        if (d < -1.5 && isRed) red++;
        if (Math.abs(d) < 1.2 && !isRed) {
          band += luma(p, i);
          nb++;
        } else if (d >= v.wall - v.r + 6 && d <= v.wall - v.r + 22) {
          tissue += luma(p, i);
          nt++;
        }
      }
      if (red > 20) steps.push(band / nb - tissue / nt);
    }
    expect(steps.length).toBeGreaterThanOrEqual(6);
    steps.sort((a, b) => a - b);
    // -6.8 over 8 capillaries; +5.4 with a plasma sliver 0.25-0.85 µm deep and a lining paler
    // than the tumour (eosin 0.26), which blind readers saw as a white ring round a red cell.
    expect(steps[steps.length >> 1], steps.map((r) => r.toFixed(1)).join(', ')).toBeLessThan(0);
  }, 60_000);
  it('larger vessels are empty or hold many red cells, not one or two: under a quarter of their lumens at 40x hold red over 2-25% of their area', () => {
    // Lumens of vessels over the capillaries' size.
    const big: Vessel[] = [];
    for (let j = 4; j < 60 && big.length < 24; j++)
      for (let i = 4; i < 60 && big.length < 24; i++) {
        const v = he.scene.vesselAt(i, j);
        if (v && v.r >= 8 && v.r < 20 && he.scene.regionAt(v.x, v.y) === TUMOUR) big.push(v);
      }
    expect(big.length).toBe(24);
    const shares = big.map(redShareOfLumen);
    // None of 24 now (10 empty, the rest 0.34-0.87 red); 0.42 when every lumen held discs of
    // 7 µm settled over 35-100% of it, which a narrow or slit lumen clipped to one or two.
    const few = shares.filter((s) => s > 0.02 && s < 0.25).length / shares.length;
    expect(few, shares.map((s) => s.toFixed(2)).join(', ')).toBeLessThan(0.25);
  }, 60_000);
  it('run with their fascicle: in fascicles cut along, lumens are slits (median minor/major axis of the open lumen under 0.62)', () => {
    // The lumen measured on 20x pixels: the region of plasma and red cells joined to the
    // brightest open pixel near the centre, its moments taken over the pixels it spans row by row.
    // Round holes in fascicles cut along, each in a ring free of cells, read as punched, not as
    // vessels running with the muscle.
    const f = newFascicle();
    const aspects: number[] = [];
    for (let j = 6; j < 44 && aspects.length < 30; j++)
      for (let i = 6; i < 44 && aspects.length < 30; i++) {
        const v = he.scene.vesselAt(i, j);
        if (!v || v.r < 7 || he.scene.regionAt(v.x, v.y) !== TUMOUR) continue;
        he.scene.fascicle(v.x, v.y, f, true);
        if (f.transverse || f.oblique > 0 || f.edge < v.wall) continue;
        const size = Math.ceil((v.wall * 2 + 8) / 0.5);
        const p = patchAt(he, 15, v.x, v.y, size);
        const c = size >> 1;
        // Open lumen: pale plasma, or red cells (red well over green). Seeded at the brightest
        // pixel near the centre, or a red one there (a lumen filled with blood has no pale one).
        const open = (k: number): boolean => luma(p, k) > 200 || p.data[k * 4]! - p.data[k * 4 + 1]! > 90;
        let seed = -1;
        for (let dy = -3; dy <= 3; dy++)
          for (let dx = -3; dx <= 3; dx++) {
            const k = (c + dy) * size + c + dx;
            if (open(k) && (seed < 0 || luma(p, k) > luma(p, seed))) seed = k;
          }
        if (seed < 0) continue;
        const lumen = axisRatio(flood(size, seed, open), size, true);
        if (lumen.n < 30) continue;
        aspects.push(lumen.ratio);
      }
    // Over 30 vessels: ovals of 0.55-0.95 at any angle measure a median 0.74; slits along the
    // fascicle at 0.28-0.65, 0.57. (14 vessels, which a change of fascicle layout reshuffles,
    // gave medians from 0.51 to 0.62 for the same slits.)
    expect(aspects.length).toBeGreaterThanOrEqual(20);
    aspects.sort((a, b) => a - b);
    expect(aspects[aspects.length >> 1], aspects.map((a) => a.toFixed(2)).join(', ')).toBeLessThan(0.62);
  }, 60_000);
});
