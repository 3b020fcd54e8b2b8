import type { Pixels } from './stain-analysis';

/**
 * What makes a scan look like a scan, in numbers a reviewer measured by eye: the tonal range
 * (how dark the nuclei and how bright the clear spaces are), the pixel noise, and how dark the
 * darkest nuclei are. All on luminance (Rec. 601 weights, 0–255) of screen pixels.
 */
export interface ScanStats {
  /** 1st and 90th percentiles of luminance. */
  readonly p1: number;
  readonly p90: number;
  /** RMS of luminance minus its 3 × 3 mean (sensor noise plus the finest texture). */
  readonly noise: number;
  /** Mean luminance of the darkest 5% of pixels (the darkest nuclei). */
  readonly dark5: number;
}

export function luminance(img: Pixels): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  const d = img.data;
  for (let i = 0; i < n; i++) out[i] = 0.299 * d[i * 4]! + 0.587 * d[i * 4 + 1]! + 0.114 * d[i * 4 + 2]!;
  return out;
}

/**
 * The stats of an image; its tonal figures over the pixels `within` keeps (all if absent), its
 * noise over the whole image.
 */
export function scanStats(img: Pixels, within?: Uint8Array): ScanStats {
  const { width: w, height: h } = img;
  const L = luminance(img);
  const sorted = (within ? L.filter((_, i) => within[i] === 1) : Float32Array.from(L)).sort();
  if (sorted.length === 0) throw new Error('scanStats: the mask keeps no pixels');
  const at = (q: number): number => sorted[Math.floor(q * (sorted.length - 1))]!;
  const k = Math.max(1, Math.floor(sorted.length * 0.05));
  let dark = 0;
  for (let i = 0; i < k; i++) dark += sorted[i]!;
  return { p1: at(0.01), p90: at(0.9), noise: residualNoise(L, w, h), dark5: dark / k };
}

/** Pixel noise over tissue only (3 × 3 mean luminance under 225), for fields with glass in them. */
export function tissueNoise(img: Pixels): number {
  return residualNoise(luminance(img), img.width, img.height, 225);
}

/**
 * RMS of a luminance image minus its 3 × 3 box mean, over interior pixels (only those whose
 * mean is under `tissueBelow`: leaves out the glass of a half-empty field).
 */
export function residualNoise(L: ArrayLike<number>, w: number, h: number, tissueBelow = Infinity): number {
  let sum = 0;
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      let m = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const o = (y + dy) * w + x;
        m += L[o - 1]! + L[o]! + L[o + 1]!;
      }
      if (m / 9 >= tissueBelow) continue;
      const r = L[y * w + x]! - m / 9;
      sum += r * r;
      n++;
    }
  }
  return n ? Math.sqrt(sum / n) : 0;
}

/** Area average over f × f blocks (linear in the stored values): a coarser pyramid level. */
export function boxDownsample(img: Pixels, f: number): Pixels {
  const w = Math.floor(img.width / f);
  const h = Math.floor(img.height / f);
  const out = new Uint8ClampedArray(w * h * 4);
  const inv = 1 / (f * f);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 4; c++) {
        let s = 0;
        for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) s += img.data[((y * f + dy) * img.width + x * f + dx) * 4 + c]!;
        out[(y * w + x) * 4 + c] = s * inv;
      }
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Area average to a pixel f (≥ 1, any real) times as wide, over the square of `size` output
 * pixels from (x0, y0) of the source (clipped to it): a real scan brought to the µm per pixel of
 * a virtual slide's level. Each output pixel weighs the source pixels by how much of each its
 * footprint covers, so the mean of any whole area is kept.
 */
export function areaResample(img: Pixels, f: number, x0 = 0, y0 = 0, size = Infinity): Pixels {
  if (!(f >= 1)) throw new RangeError(`areaResample: factor ${f} is not ≥ 1`);
  const n = Math.max(0, Math.min(size, Math.floor((img.width - x0) / f), Math.floor((img.height - y0) / f)));
  const out = new Uint8ClampedArray(n * n * 4);
  const acc = new Float64Array(4);
  const inv = 1 / (f * f);
  for (let j = 0; j < n; j++) {
    const ya = y0 + j * f;
    const yb = ya + f;
    for (let i = 0; i < n; i++) {
      const xa = x0 + i * f;
      const xb = xa + f;
      acc.fill(0);
      for (let y = Math.floor(ya); y < yb; y++) {
        const wy = Math.min(y + 1, yb) - Math.max(y, ya);
        for (let x = Math.floor(xa); x < xb; x++) {
          const w = wy * (Math.min(x + 1, xb) - Math.max(x, xa));
          const k = (y * img.width + x) * 4;
          for (let c = 0; c < 4; c++) acc[c]! += img.data[k + c]! * w;
        }
      }
      for (let c = 0; c < 4; c++) out[(j * n + i) * 4 + c] = acc[c]! * inv;
    }
  }
  return { width: n, height: n, data: out };
}

/**
 * JPEG's 8 × 8 blocks, as a number: along each axis, the mean luminance step between neighbours
 * across the strongest of the eight grid phases over the mean step at the other seven; the two
 * axes averaged. 1 for an image never compressed. Phase-free, and per axis, since a crop of a
 * real scan need not start on its block grid, and not at the same phase in x and in y.
 */
export function blockEdges(img: Pixels): number {
  const { width: w, height: h } = img;
  const L = luminance(img);
  const sx = new Float64Array(8);
  const nx = new Float64Array(8);
  const sy = new Float64Array(8);
  const ny = new Float64Array(8);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (x + 1 < w) {
        sx[x & 7] = sx[x & 7]! + Math.abs(L[i + 1]! - L[i]!);
        nx[x & 7] = nx[x & 7]! + 1;
      }
      if (y + 1 < h) {
        sy[y & 7] = sy[y & 7]! + Math.abs(L[i + w]! - L[i]!);
        ny[y & 7] = ny[y & 7]! + 1;
      }
    }
  }
  const peakRatio = (sum: Float64Array, n: Float64Array): number => {
    const step = [...sum].map((s, k) => s / Math.max(1, n[k]!));
    const peak = Math.max(...step);
    const rest = (step.reduce((a, b) => a + b, 0) - peak) / 7;
    return rest > 0 ? peak / rest : 1;
  };
  return (peakRatio(sx, nx) + peakRatio(sy, ny)) / 2;
}
