/**
 * Colour deconvolution (Ruifrok & Johnston, 2001): a transmitted-light pixel's optical density
 * per channel, −log10(I / I0), is a sum of each stain's amount times its OD vector; inverting
 * the 3×3 matrix of stain vectors gives the amounts. Pure: typed arrays in, typed arrays out.
 */

export type Vec3 = readonly [number, number, number];

export interface StainVectors {
  /** Haematoxylin's optical-density direction (unit length). */
  readonly hematoxylin: Vec3;
  readonly dab: Vec3;
}

/** Ruifrok–Johnston's H-DAB vectors: the default when an image gives too little to estimate from. */
export const RUIFROK_H_DAB: StainVectors = {
  hematoxylin: normalize([0.65, 0.7, 0.29]),
  dab: normalize([0.27, 0.57, 0.78]),
};

export function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

/** The inverse of the matrix whose rows are the stain vectors (the third: their cross product). */
function unmixing(v: StainVectors): Float64Array {
  const a = v.hematoxylin;
  const b = v.dab;
  const c = normalize(cross(a, b));
  // Rows a, b, c; solve od = ca·a + cb·b + cc·c for (ca, cb, cc) with the inverse of [a b c]ᵀ.
  const m = [a[0], b[0], c[0], a[1], b[1], c[1], a[2], b[2], c[2]];
  const det = m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!);
  const inv = new Float64Array(9);
  inv[0] = (m[4]! * m[8]! - m[5]! * m[7]!) / det;
  inv[1] = (m[2]! * m[7]! - m[1]! * m[8]!) / det;
  inv[2] = (m[1]! * m[5]! - m[2]! * m[4]!) / det;
  inv[3] = (m[5]! * m[6]! - m[3]! * m[8]!) / det;
  inv[4] = (m[0]! * m[8]! - m[2]! * m[6]!) / det;
  inv[5] = (m[2]! * m[3]! - m[0]! * m[5]!) / det;
  inv[6] = (m[3]! * m[7]! - m[4]! * m[6]!) / det;
  inv[7] = (m[1]! * m[6]! - m[0]! * m[7]!) / det;
  inv[8] = (m[0]! * m[4]! - m[1]! * m[3]!) / det;
  return inv;
}

/** Optical density of an 8-bit channel value against a white of 255 (1 is the floor: no infinite OD). */
export function od(value: number, white = 255): number {
  return -Math.log10(Math.max(1, value) / white);
}

/**
 * Haematoxylin and DAB amounts of every pixel of an RGBA image (`rgba`, `width` × `height`):
 * two Float32Arrays of optical density along each stain's vector.
 */
export function deconvolve(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, v: StainVectors = RUIFROK_H_DAB): { h: Float32Array; dab: Float32Array } {
  const n = width * height;
  const inv = unmixing(v);
  const lut = new Float64Array(256);
  for (let i = 0; i < 256; i++) lut[i] = od(i);
  const h = new Float32Array(n);
  const dab = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = lut[rgba[i * 4]!]!;
    const g = lut[rgba[i * 4 + 1]!]!;
    const b = lut[rgba[i * 4 + 2]!]!;
    // inv is the inverse of M = [a b c] (stain vectors as columns): amounts = inv · od.
    h[i] = Math.max(0, inv[0]! * r + inv[1]! * g + inv[2]! * b);
    dab[i] = Math.max(0, inv[3]! * r + inv[4]! * g + inv[5]! * b);
  }
  return { h, dab };
}
