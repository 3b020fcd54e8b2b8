import sceneJson from '../../../images/lms-block.scene.json';
import type { SceneSpec } from '../../../src/specimen/scene';
import type { TileRenderer } from '../../../src/specimen/render';
import { renderRegion } from '../../../src/specimen/mosaic';
import type { Rgb } from '../../../src/specimen/stain';
import { odOf } from '../../../src/specimen/stain-analysis';

/**
 * Pixel measures for the histology tests: what a reader of the image sees, measured on rendered
 * pixels (never on the generator's own records), so a test fails when a feature stops showing.
 */
export const spec = sceneJson as SceneSpec;

export interface Patch {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
  /** Scene µm of the top-left corner and µm per pixel. */
  readonly x0: number;
  readonly y0: number;
  readonly upp: number;
}

/** A size × size px patch at `level` centred on (x, y) µm. */
export function patchAt(r: TileRenderer, level: number, x: number, y: number, size: number): Patch {
  const upp = r.geometry.mpp * 2 ** (r.geometry.maxLevel - level);
  const x0 = x - (size / 2) * upp;
  const y0 = y - (size / 2) * upp;
  return { width: size, height: size, data: renderRegion(r, level, x0, y0, size, size), x0, y0, upp };
}

export function luma(p: { data: ArrayLike<number> }, i: number): number {
  return 0.299 * p.data[i * 4]! + 0.587 * p.data[i * 4 + 1]! + 0.114 * p.data[i * 4 + 2]!;
}

/**
 * Amounts of two stains per pixel by colour deconvolution with the given vectors (and their
 * cross product as the residual): [first, second] as two arrays.
 */
export function deconvolve(p: Patch, white: Rgb, s1: Rgb, s2: Rgb): [Float32Array, Float32Array] {
  const s3 = [s1[1] * s2[2] - s1[2] * s2[1], s1[2] * s2[0] - s1[0] * s2[2], s1[0] * s2[1] - s1[1] * s2[0]];
  const m = [[...s1], [...s2], s3] as number[][];
  const det = m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) - m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) + m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  const inv = (r: number, c: number): number => {
    const a = m[(c + 1) % 3]!;
    const b = m[(c + 2) % 3]!;
    return (a[(r + 1) % 3]! * b[(r + 2) % 3]! - a[(r + 2) % 3]! * b[(r + 1) % 3]!) / det;
  };
  const I = [0, 1, 2].map((r) => [0, 1, 2].map((c) => inv(r, c)));
  const n = p.width * p.height;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const o = [odOf(p.data[i * 4]!, white[0]), odOf(p.data[i * 4 + 1]!, white[1]), odOf(p.data[i * 4 + 2]!, white[2])];
    a[i] = o[0]! * I[0]![0]! + o[1]! * I[1]![0]! + o[2]! * I[2]![0]!;
    b[i] = o[0]! * I[0]![1]! + o[1]! * I[1]![1]! + o[2]! * I[2]![1]!;
  }
  return [a, b];
}

/** The q-quantile of a list (the value at rank ⌊q·(n − 1)⌋ of the sorted copy). */
export function quantile(xs: readonly number[], q: number): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;
}

/** Mean and standard deviation of `values` over each labelled component (index 0 unused). */
export function componentStats(labels: Int32Array, sizes: readonly number[], values: ArrayLike<number>): { mean: Float64Array; sd: Float64Array } {
  const sum = new Float64Array(sizes.length);
  const sq = new Float64Array(sizes.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!l) continue;
    sum[l] = sum[l]! + values[i]!;
    sq[l] = sq[l]! + values[i]! * values[i]!;
  }
  const mean = new Float64Array(sizes.length);
  const sd = new Float64Array(sizes.length);
  for (let l = 1; l < sizes.length; l++) {
    mean[l] = sum[l]! / sizes[l]!;
    sd[l] = Math.sqrt(Math.max(0, sq[l]! / sizes[l]! - mean[l]! * mean[l]!));
  }
  return { mean, sd };
}

/** 4-connected components of a mask: a label per pixel (0 = background) and each one's size. */
export function components(mask: Uint8Array, w: number, h: number): { labels: Int32Array; sizes: number[] } {
  const labels = new Int32Array(w * h);
  const sizes = [0];
  const stack: number[] = [];
  for (let s = 0; s < w * h; s++) {
    if (!mask[s] || labels[s]) continue;
    const id = sizes.length;
    sizes.push(0);
    labels[s] = id;
    stack.push(s);
    while (stack.length) {
      const i = stack.pop()!;
      sizes[id]!++;
      const x = i % w;
      const y = (i - x) / w;
      for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]] as const) {
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const j = ny * w + nx;
        if (mask[j] && !labels[j]) {
          labels[j] = id;
          stack.push(j);
        }
      }
    }
  }
  return { labels, sizes };
}

/** Area of the convex hull of a set of pixel centres (monotone chain), in px². */
export function hullArea(pts: ReadonlyArray<readonly [number, number]>): number {
  const p = [...pts].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p.length;
  const cross = (o: readonly [number, number], a: readonly [number, number], b: readonly [number, number]): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<readonly [number, number]> = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: Array<readonly [number, number]> = [];
  for (let k = p.length - 1; k >= 0; k--) {
    const q = p[k]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  const hull = [...lower.slice(0, -1), ...upper.slice(0, -1)];
  let a = 0;
  for (let k = 0; k < hull.length; k++) {
    const [x1, y1] = hull[k]!;
    const [x2, y2] = hull[(k + 1) % hull.length]!;
    a += x1 * y2 - x2 * y1;
  }
  // A pixel centre hull misses half a pixel all round: add the perimeter's half-pixel band.
  return Math.abs(a) / 2 + hull.length / 2;
}

/**
 * Single nuclei of a patch: components of haematoxylin above `threshold` that do not touch the
 * patch's edge and are convex enough (solidity ≥ 0.85) to be one nucleus, not two touching.
 * Areas in µm².
 */
export function singleNuclei(p: Patch, H: Float32Array, threshold: number): number[] {
  const { width: w, height: h } = p;
  const mask = new Uint8Array(w * h);
  for (let i = 0; i < H.length; i++) mask[i] = H[i]! > threshold ? 1 : 0;
  const { labels, sizes } = components(mask, w, h);
  const pts: Array<Array<[number, number]>> = sizes.map(() => []);
  const edge = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!l) continue;
    const x = i % w;
    const y = (i - x) / w;
    if (x === 0 || y === 0 || x === w - 1 || y === h - 1) edge.add(l);
    pts[l]!.push([x, y]);
  }
  const out: number[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const area = sizes[l]! * p.upp * p.upp;
    if (edge.has(l) || area < 4) continue;
    if (sizes[l]! / hullArea(pts[l]!) < 0.85) continue;
    out.push(area);
  }
  return out;
}

/** The pixels `pass` accepts joined (4-connected) to `seed`, in a size × size image. */
export function flood(size: number, seed: number, pass: (k: number) => boolean): Uint8Array {
  const mask = new Uint8Array(size * size);
  const stack = [seed];
  mask[seed] = 1;
  while (stack.length) {
    const k = stack.pop()!;
    const x = k % size;
    for (const n of [x > 0 ? k - 1 : -1, x < size - 1 ? k + 1 : -1, k - size, k + size]) {
      if (n < 0 || n >= size * size || mask[n] || !pass(n)) continue;
      mask[n] = 1;
      stack.push(n);
    }
  }
  return mask;
}

/**
 * Minor over major axis of a region (from its second moments), and its pixel count; with
 * `spanRows`, each row counts every pixel between its first and last in the mask (holes and
 * bays filled, as red cells in a lumen).
 */
export function axisRatio(mask: Uint8Array, size: number, spanRows = false): { ratio: number; n: number } {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let y = 0; y < size; y++) {
    let a = -1;
    let b = -1;
    for (let x = 0; x < size; x++) {
      if (!mask[y * size + x]) continue;
      if (a < 0) a = x;
      b = x;
    }
    for (let x = a; a >= 0 && x <= b; x++) {
      if (!spanRows && !mask[y * size + x]) continue;
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
  }
  if (n === 0) return { ratio: NaN, n };
  const cxx = sxx / n - (sx / n) ** 2;
  const cyy = syy / n - (sy / n) ** 2;
  const cxy = sxy / n - (sx / n) * (sy / n);
  const t = Math.sqrt(((cxx - cyy) / 2) ** 2 + cxy * cxy);
  return { ratio: Math.sqrt(((cxx + cyy) / 2 - t) / ((cxx + cyy) / 2 + t)), n };
}
