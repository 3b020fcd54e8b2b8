import type { Rgb } from './stain';

/**
 * Measuring stains in an RGB image: optical density, stain vectors (Macenko's method) and
 * colour deconvolution. Used to calibrate the virtual stains against real scans.
 */

export interface Pixels {
  readonly width: number;
  readonly height: number;
  /** RGBA */
  readonly data: ArrayLike<number>;
}

/** Per-channel 99.5th percentile of bright pixels: the scanner's white (glass) level. */
export function whiteLevel(img: Pixels): Rgb {
  const n = img.width * img.height;
  const hist = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)];
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) hist[k]![img.data[i * 4 + k]!]!++;
  const pick = (h: Uint32Array): number => {
    let acc = 0;
    for (let v = 255; v >= 0; v--) {
      acc += h[v]!;
      if (acc >= n * 0.005) return v;
    }
    return 255;
  };
  return [pick(hist[0]!), pick(hist[1]!), pick(hist[2]!)];
}

export function odOf(v: number, white: number): number {
  return -Math.log10(Math.max(1, Math.min(v, white)) / white);
}

function normalize(v: number[]): [number, number, number] {
  const n = Math.hypot(v[0]!, v[1]!, v[2]!) || 1;
  return [v[0]! / n, v[1]! / n, v[2]! / n];
}

/** Top two eigenvectors of a symmetric 3×3 matrix by power iteration with deflation. */
function topEigen(m: number[][]): Array<[number, number, number]> {
  const out: Array<[number, number, number]> = [];
  const a = m.map((r) => [...r]);
  for (let e = 0; e < 2; e++) {
    let v = normalize([1, 0.7 + e, 0.3]);
    let lambda = 0;
    for (let it = 0; it < 200; it++) {
      const w = [0, 1, 2].map((i) => a[i]![0]! * v[0] + a[i]![1]! * v[1] + a[i]![2]! * v[2]);
      lambda = Math.hypot(w[0]!, w[1]!, w[2]!);
      v = normalize(w);
    }
    out.push(v);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) a[i]![j] = a[i]![j]! - lambda * v[i]! * v[j]!;
  }
  return out;
}

/**
 * Macenko et al. (2009): project tissue ODs on the plane of the two main eigenvectors and take
 * the robust extreme angles as the two stain vectors. Returns [first, second] ordered so that the
 * first is the bluer one (haematoxylin).
 */
export function macenkoVectors(img: Pixels, white: Rgb, odThreshold = 0.15, percentile = 0.01): [Rgb, Rgb] {
  const n = img.width * img.height;
  const ods: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = odOf(img.data[i * 4]!, white[0]);
    const g = odOf(img.data[i * 4 + 1]!, white[1]);
    const b = odOf(img.data[i * 4 + 2]!, white[2]);
    if (r > odThreshold && g > odThreshold && b > odThreshold) ods.push(r, g, b);
  }
  const m = ods.length / 3;
  const cov = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  for (let i = 0; i < m; i++) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) cov[a]![b] = cov[a]![b]! + ods[i * 3 + a]! * ods[i * 3 + b]!;
  const [e1, e2] = topEigen(cov) as [[number, number, number], [number, number, number]];
  // The principal vector points into positive OD.
  if (e1[0] + e1[1] + e1[2] < 0) e1.forEach((_, k) => (e1[k] = -e1[k]!));
  const angles: number[] = [];
  for (let i = 0; i < m; i++) {
    const o = [ods[i * 3]!, ods[i * 3 + 1]!, ods[i * 3 + 2]!];
    angles.push(Math.atan2(o[0]! * e2[0] + o[1]! * e2[1] + o[2]! * e2[2], o[0]! * e1[0] + o[1]! * e1[1] + o[2]! * e1[2]));
  }
  angles.sort((a, b) => a - b);
  const lo = angles[Math.floor(percentile * angles.length)]!;
  const hi = angles[Math.floor((1 - percentile) * angles.length)]!;
  const vec = (t: number): Rgb => normalize([0, 1, 2].map((k) => Math.cos(t) * e1[k]! + Math.sin(t) * e2[k]!));
  const a = vec(lo);
  const b = vec(hi);
  // Haematoxylin absorbs red more than eosin or DAB do, relative to blue.
  return a[0] / a[2] > b[0] / b[2] ? [a, b] : [b, a];
}

function invert3(m: number[][]): number[][] {
  const [a, b, c] = m as [number[], number[], number[]];
  const det = a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) - a[1]! * (b[0]! * c[2]! - b[2]! * c[0]!) + a[2]! * (b[0]! * c[1]! - b[1]! * c[0]!);
  const inv = [
    [b[1]! * c[2]! - b[2]! * c[1]!, a[2]! * c[1]! - a[1]! * c[2]!, a[1]! * b[2]! - a[2]! * b[1]!],
    [b[2]! * c[0]! - b[0]! * c[2]!, a[0]! * c[2]! - a[2]! * c[0]!, a[2]! * b[0]! - a[0]! * b[2]!],
    [b[0]! * c[1]! - b[1]! * c[0]!, a[1]! * c[0]! - a[0]! * c[1]!, a[0]! * b[1]! - a[1]! * b[0]!],
  ];
  return inv.map((r) => r.map((v) => v / det));
}

export interface StainAmounts {
  /** Mean amount (OD along the unit stain vector) over tissue pixels, per stain. */
  readonly mean: [number, number];
  /**
   * Mean amount over the pixels where each stain dominates (above `stainedAt` and above the other
   * stain): how dark nuclei and how deep cytoplasm are, whatever the tissue's composition.
   */
  readonly stainedMean: [number, number];
  /** Fraction of pixels counted as tissue. */
  readonly tissueFraction: number;
}

/**
 * M⁻¹ for two stain vectors and their cross product as the residual: OD = C · M, rows of M the
 * stain vectors, so C = OD · M⁻¹.
 */
function unmixing(s1: Rgb, s2: Rgb): number[][] {
  const s3 = normalize([s1[1] * s2[2] - s1[2] * s2[1], s1[2] * s2[0] - s1[0] * s2[2], s1[0] * s2[1] - s1[1] * s2[0]]);
  return invert3([[...s1], [...s2], [...s3]]);
}

/**
 * Which pixels the second stain dominates (1) and which not (0), by the same deconvolution as
 * meanStainAmounts: its amount over `stainedAt` and at least the first's.
 */
export function dominatedBy2(img: Pixels, white: Rgb, s1: Rgb, s2: Rgb, stainedAt = 0.15): Uint8Array {
  const inv = unmixing(s1, s2);
  const n = img.width * img.height;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const o0 = odOf(img.data[i * 4]!, white[0]);
    const o1 = odOf(img.data[i * 4 + 1]!, white[1]);
    const o2 = odOf(img.data[i * 4 + 2]!, white[2]);
    const a = o0 * inv[0]![0]! + o1 * inv[1]![0]! + o2 * inv[2]![0]!;
    const b = o0 * inv[0]![1]! + o1 * inv[1]![1]! + o2 * inv[2]![1]!;
    out[i] = b > stainedAt && b >= a ? 1 : 0;
  }
  return out;
}

/**
 * Colour deconvolution (Ruifrok & Johnston) with two stain vectors and their cross product as
 * the residual; averages over tissue pixels (total OD above a threshold).
 */
export function meanStainAmounts(img: Pixels, white: Rgb, s1: Rgb, s2: Rgb, odThreshold = 0.15, stainedAt = 0.15): StainAmounts {
  const inv = unmixing(s1, s2);
  const n = img.width * img.height;
  let c1 = 0;
  let c2 = 0;
  let count = 0;
  let p1 = 0;
  let p2 = 0;
  let n1 = 0;
  let n2 = 0;
  for (let i = 0; i < n; i++) {
    const o = [odOf(img.data[i * 4]!, white[0]), odOf(img.data[i * 4 + 1]!, white[1]), odOf(img.data[i * 4 + 2]!, white[2])];
    if (o[0]! + o[1]! + o[2]! < odThreshold) continue;
    count++;
    const a = Math.max(0, o[0]! * inv[0]![0]! + o[1]! * inv[1]![0]! + o[2]! * inv[2]![0]!);
    const b = Math.max(0, o[0]! * inv[0]![1]! + o[1]! * inv[1]![1]! + o[2]! * inv[2]![1]!);
    c1 += a;
    c2 += b;
    if (a > stainedAt && a > b) {
      p1 += a;
      n1++;
    }
    if (b > stainedAt && b >= a) {
      p2 += b;
      n2++;
    }
  }
  return {
    mean: [count ? c1 / count : 0, count ? c2 / count : 0],
    stainedMean: [n1 ? p1 / n1 : 0, n2 ? p2 / n2 : 0],
    tissueFraction: count / n,
  };
}
