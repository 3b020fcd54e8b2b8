import { gaussian, maxFilter, otsu } from './filters';

/**
 * Nuclei found in haematoxylin and DAB optical-density images: both stains mark nuclei in a
 * Ki67 slide (blue negatives, brown positives), so their sum, smoothed at about a nucleus's
 * width, has one peak per nucleus. Peaks above a threshold (Otsu's, or higher) and farther apart
 * than a nucleus's radius are nuclei; each is positive when the smoothed DAB there passes the
 * positivity threshold the user sets.
 */

export interface NucleusOptions {
  /** µm per pixel of the images. */
  readonly pixelUm: number;
  /** Smoothing, µm (about half a nucleus's width). */
  readonly sigmaUm?: number;
  /** Two nuclei are never closer than this, µm. */
  readonly minDistanceUm?: number;
  /** DAB optical density at and above which a nucleus is positive. */
  readonly positiveOd: number;
  /** Smoothing along the local fibre direction, µm: a spindle nucleus then has one peak. */
  readonly alongUm?: number;
  /** With `alongUm`: the smoothing where there is no fibre direction (round nuclei), µm. */
  readonly roundSigmaUm?: number;
  /** Least summed optical density for a peak to be a nucleus (the image's Otsu split if higher). */
  readonly minOd?: number;
}

/** Summed haematoxylin + DAB optical density a nucleus's centre reaches at least (background is below). */
const DEFAULT_MIN_OD = 0.12;

export interface Nucleus {
  /** Pixel position in the image. */
  readonly x: number;
  readonly y: number;
  /** Smoothed DAB optical density at the nucleus. */
  readonly dab: number;
  readonly positive: boolean;
}

export function findNuclei(h: Float32Array, dab: Float32Array, width: number, height: number, o: NucleusOptions): { nuclei: Nucleus[]; threshold: number } {
  const sigma = (o.sigmaUm ?? 1.25) / o.pixelUm;
  const minDist = (o.minDistanceUm ?? 3.5) / o.pixelUm;
  const n = width * height;
  const sum = new Float32Array(n);
  for (let i = 0; i < n; i++) sum[i] = h[i]! + dab[i]!;
  const smooth = o.alongUm ? orientedSmooth(sum, width, height, sigma, o.alongUm / o.pixelUm, (o.roundSigmaUm ?? 1.25) / o.pixelUm) : gaussian(sum, width, height, sigma);
  const dabSmooth = gaussian(dab, width, height, sigma * 0.75);
  let max = 0;
  for (let i = 0; i < n; i++) if (smooth[i]! > max) max = smooth[i]!;
  // A fixed floor, not Otsu's split: in a Ki67 field the strongly brown nuclei pull Otsu's
  // threshold above the pale blue negatives, which then go uncounted (the index drifts to 100%).
  const threshold = o.minOd ?? (max > 0 ? Math.min(DEFAULT_MIN_OD, otsu(smooth, max)) : DEFAULT_MIN_OD);
  const peaks = maxFilter(smooth, width, height, Math.max(1, Math.floor(minDist / 2)));
  const cand: number[] = [];
  for (let i = 0; i < n; i++) if (smooth[i]! >= threshold && smooth[i] === peaks[i]) cand.push(i);
  // Strongest first; a candidate within minDist of one kept is the same nucleus (a plateau, a lobe).
  cand.sort((a, b) => smooth[b]! - smooth[a]!);
  const cell = Math.max(1, minDist);
  const grid = new Map<number, Array<[number, number]>>();
  const key = (gx: number, gy: number): number => gy * 65536 + gx;
  const nuclei: Nucleus[] = [];
  for (const i of cand) {
    const x = i % width;
    const y = (i / width) | 0;
    const gx = Math.floor(x / cell);
    const gy = Math.floor(y / cell);
    let near = false;
    for (let dy = -1; dy <= 1 && !near; dy++)
      for (let dx = -1; dx <= 1 && !near; dx++)
        for (const [px, py] of grid.get(key(gx + dx, gy + dy)) ?? []) if ((px - x) ** 2 + (py - y) ** 2 < minDist * minDist) near = true;
    if (near) continue;
    const list = grid.get(key(gx, gy)) ?? [];
    list.push([x, y]);
    grid.set(key(gx, gy), list);
    const d = dabSmooth[i]!;
    nuclei.push({ x, y, dab: d, positive: d >= o.positiveOd });
  }
  return { nuclei, threshold };
}

/** Orientations the along-fibre kernel is made for (over 180°), and its lengths (by coherence). */
const ANGLES = 16;
const LENGTHS = 4;

/**
 * Smooths by `sigma`, then along the local fibre direction (the structure tensor's, over about
 * four nucleus lengths) by up to `along` pixels, scaled by how coherent that direction is: a
 * spindle nucleus becomes one elongated blob with one peak, its neighbours side by side stay
 * apart, and where there is no direction (nuclei cut across) the smoothing is `roundSigma`'s.
 * The kernels are precomputed per direction and length, as whole-pixel offsets.
 */
function orientedSmooth(src: Float32Array, width: number, height: number, sigma: number, along: number, roundSigma: number): Float32Array {
  const base = gaussian(src, width, height, sigma);
  const round = gaussian(src, width, height, roundSigma);
  const n = width * height;
  const jxx = new Float32Array(n);
  const jxy = new Float32Array(n);
  const jyy = new Float32Array(n);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const gx = (base[i + 1]! - base[i - 1]!) / 2;
      const gy = (base[i + width]! - base[i - width]!) / 2;
      jxx[i] = gx * gx;
      jxy[i] = gx * gy;
      jyy[i] = gy * gy;
    }
  }
  // The tensor is smoothed over ~4 nucleus lengths: on a grid 4 times coarser, 16 times cheaper.
  const q = 4;
  const cw = Math.ceil(width / q);
  const chh = Math.ceil(height / q);
  const coarse = (f: Float32Array): Float32Array => {
    const o = new Float32Array(cw * chh);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) o[((y / q) | 0) * cw + ((x / q) | 0)]! += f[y * width + x]!;
    return gaussian(o, cw, chh, (4 * along) / q);
  };
  const axx = coarse(jxx);
  const axy = coarse(jxy);
  const ayy = coarse(jyy);
  // kernels[a * LENGTHS + l]: [dx, dy, weight] triples along direction a at length l.
  const kernels: Array<{ dx: Int32Array; dy: Int32Array; w: Float32Array }> = [];
  for (let a = 0; a < ANGLES; a++) {
    const th = (a / ANGLES) * Math.PI;
    for (let l = 0; l < LENGTHS; l++) {
      const sa = Math.max(0.5, (along * (l + 1)) / LENGTHS);
      const k = Math.ceil(3 * sa);
      const dx = new Int32Array(2 * k + 1);
      const dy = new Int32Array(2 * k + 1);
      const w = new Float32Array(2 * k + 1);
      for (let t = -k; t <= k; t++) {
        dx[t + k] = Math.round(t * Math.cos(th));
        dy[t + k] = Math.round(t * Math.sin(th));
        w[t + k] = Math.exp((-t * t) / (2 * sa * sa));
      }
      kernels.push({ dx, dy, w });
    }
  }
  const out = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const ci = ((y / q) | 0) * cw + ((x / q) | 0);
      const a = axx[ci]!;
      const b = axy[ci]!;
      const c = ayy[ci]!;
      const tr = a + c;
      const coh = tr > 1e-12 ? Math.sqrt((a - c) ** 2 + 4 * b * b) / tr : 0;
      const l = Math.min(LENGTHS - 1, Math.floor(coh * LENGTHS));
      // Without a direction (nuclei cut across, round tumour cells) the isotropic smoothing,
      // blended into the oriented one as the direction firms up.
      const m = Math.min(1, 2 * coh);
      if (m === 0) {
        out[i] = round[i]!;
        continue;
      }
      // The gradient's dominant direction is across the fibres; nuclei lie along them.
      let th = 0.5 * Math.atan2(2 * b, a - c) + Math.PI / 2;
      th = ((th % Math.PI) + Math.PI) % Math.PI;
      const kern = kernels[(Math.round((th / Math.PI) * ANGLES) % ANGLES) * LENGTHS + l]!;
      let acc = 0;
      let ws = 0;
      for (let t = 0; t < kern.w.length; t++) {
        const xx = x + kern.dx[t]!;
        const yy = y + kern.dy[t]!;
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        const wt = kern.w[t]!;
        acc += wt * base[yy * width + xx]!;
        ws += wt;
      }
      out[i] = m * (acc / ws) + (1 - m) * round[i]!;
    }
  }
  return out;
}
