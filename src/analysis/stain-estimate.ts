import type { StainVectors, Vec3 } from './colour-deconvolution';
import { normalize, od, RUIFROK_H_DAB } from './colour-deconvolution';

/**
 * Stain vectors estimated from an image's own pixels (Macenko et al. 2009, the method behind
 * QuPath's "Estimate stain vectors" for two stains): the optical densities of stained pixels lie
 * near a plane; the extreme angles of their projection on it (robust percentiles) are the two
 * stains. Falls back to Ruifrok–Johnston when too few pixels are stained or the result is not
 * plausible (a "DAB" bluer than the haematoxylin is swapped; vectors with a negative part refused).
 */

export interface Estimate {
  readonly vectors: StainVectors;
  /** Whether the vectors come from the image (false: the defaults). */
  readonly estimated: boolean;
  /** Stained pixels the estimate used. */
  readonly pixels: number;
}

export function estimateStainVectors(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number, opts: { minOd?: number; maxOd?: number; percentile?: number; sample?: number } = {}): Estimate {
  const minOd = opts.minOd ?? 0.15;
  const maxOd = opts.maxOd ?? 2.5;
  const pct = opts.percentile ?? 0.01;
  const step = Math.max(1, Math.floor((width * height) / (opts.sample ?? 200_000)));
  const pts: number[] = [];
  for (let i = 0; i < width * height; i += step) {
    const r = od(rgba[i * 4]!);
    const g = od(rgba[i * 4 + 1]!);
    const b = od(rgba[i * 4 + 2]!);
    const sum = r + g + b;
    if (r < minOd && g < minOd && b < minOd) continue;
    if (sum > 3 * maxOd) continue;
    pts.push(r, g, b);
  }
  const n = pts.length / 3;
  if (n < 500) return { vectors: RUIFROK_H_DAB, estimated: false, pixels: n };
  // Covariance (about the origin, as Macenko: OD is linear in the amounts), and its two leading eigenvectors.
  const c = new Float64Array(9);
  for (let i = 0; i < pts.length; i += 3) {
    const x = pts[i]!;
    const y = pts[i + 1]!;
    const z = pts[i + 2]!;
    c[0]! += x * x; c[1]! += x * y; c[2]! += x * z; c[4]! += y * y; c[5]! += y * z; c[8]! += z * z;
  }
  c[3] = c[1]!; c[6] = c[2]!; c[7] = c[5]!;
  const [e1, e2] = leadingEigenvectors(c);
  const angles: number[] = [];
  for (let i = 0; i < pts.length; i += 3) {
    const p1 = pts[i]! * e1[0] + pts[i + 1]! * e1[1] + pts[i + 2]! * e1[2];
    const p2 = pts[i]! * e2[0] + pts[i + 1]! * e2[1] + pts[i + 2]! * e2[2];
    angles.push(Math.atan2(p2, p1));
  }
  angles.sort((a, b) => a - b);
  const lo = angles[Math.floor(pct * (angles.length - 1))]!;
  const hi = angles[Math.ceil((1 - pct) * (angles.length - 1))]!;
  const along = (t: number): Vec3 => normalize([e1[0] * Math.cos(t) + e2[0] * Math.sin(t), e1[1] * Math.cos(t) + e2[1] * Math.sin(t), e1[2] * Math.cos(t) + e2[2] * Math.sin(t)]);
  let a = along(lo);
  let b = along(hi);
  if (a.some((x) => x < 0) || b.some((x) => x < 0)) return { vectors: RUIFROK_H_DAB, estimated: false, pixels: n };
  // DAB absorbs blue most (its vector's blue part is the larger); haematoxylin red and green.
  if (a[2] > b[2]) [a, b] = [b, a];
  return { vectors: { hematoxylin: a, dab: b }, estimated: true, pixels: n };
}

/** The two leading eigenvectors of a symmetric 3×3 matrix (power iteration with deflation). */
function leadingEigenvectors(m: Float64Array): [Vec3, Vec3] {
  const mul = (v: number[]): number[] => [m[0]! * v[0]! + m[1]! * v[1]! + m[2]! * v[2]!, m[3]! * v[0]! + m[4]! * v[1]! + m[5]! * v[2]!, m[6]! * v[0]! + m[7]! * v[1]! + m[8]! * v[2]!];
  const unit = (v: number[]): number[] => {
    const n = Math.hypot(v[0]!, v[1]!, v[2]!) || 1;
    return v.map((x) => x / n);
  };
  let v1 = unit([1, 1, 1]);
  for (let k = 0; k < 100; k++) v1 = unit(mul(v1));
  const lambda = v1[0]! * mul(v1)[0]! + v1[1]! * mul(v1)[1]! + v1[2]! * mul(v1)[2]!;
  // Deflate: m − λ v1 v1ᵀ, then the next.
  const d = (v: number[]): number[] => {
    const w = mul(v);
    const dot = v1[0]! * v[0]! + v1[1]! * v[1]! + v1[2]! * v[2]!;
    return [w[0]! - lambda * v1[0]! * dot, w[1]! - lambda * v1[1]! * dot, w[2]! - lambda * v1[2]! * dot];
  };
  let v2 = unit([1, -1, 0.5]);
  for (let k = 0; k < 100; k++) v2 = unit(d(v2));
  return [v1 as unknown as Vec3, v2 as unknown as Vec3];
}
