/**
 * Plane geometry on annotation shapes, in full-resolution image pixels. Pure; no DOM.
 */

export type Pt = readonly [number, number];

export interface Bounds {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/**
 * Signed area by the shoelace formula (positive for counter-clockwise in y-up axes).
 * Coordinates are taken relative to the first vertex: slide coordinates run to 10⁵ and the
 * products of large numbers would otherwise eat the precision of small shapes.
 */
export function signedArea(ring: readonly Pt[]): number {
  if (ring.length < 3) return 0;
  const [ox, oy] = ring[0]!;
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += (ring[j]![0] - ox) * (ring[i]![1] - oy) - (ring[i]![0] - ox) * (ring[j]![1] - oy);
  }
  return a / 2;
}

export function area(ring: readonly Pt[]): number {
  return Math.abs(signedArea(ring));
}

/** Area centroid; falls back to the vertex mean for degenerate (zero-area) rings. */
export function centroid(ring: readonly Pt[]): Pt {
  const a = signedArea(ring);
  if (ring.length === 0) return [0, 0];
  if (Math.abs(a) < 1e-12) {
    let x = 0;
    let y = 0;
    for (const p of ring) {
      x += p[0];
      y += p[1];
    }
    return [x / ring.length, y / ring.length];
  }
  const [ox, oy] = ring[0]!;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xj = ring[j]![0] - ox;
    const yj = ring[j]![1] - oy;
    const xi = ring[i]![0] - ox;
    const yi = ring[i]![1] - oy;
    const f = xj * yi - xi * yj;
    cx += (xj + xi) * f;
    cy += (yj + yi) * f;
  }
  return [ox + cx / (6 * a), oy + cy / (6 * a)];
}

/** Even–odd rule; points exactly on an edge may fall either way. */
export function pointInPolygon(x: number, y: number, ring: readonly Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function bounds(points: readonly Pt[]): Bounds {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

export function distance(a: Pt, b: Pt): number {
  return Math.sqrt((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2);
}

export function pathLength(points: readonly Pt[]): number {
  let l = 0;
  for (let i = 1; i < points.length; i++) l += distance(points[i - 1]!, points[i]!);
  return l;
}

/** Distance from p to the segment ab. */
export function distanceToSegment(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  return distance(p, [a[0] + t * dx, a[1] + t * dy]);
}

/**
 * Ramer–Douglas–Peucker simplification: drops points closer than `tolerance` to the line of
 * their neighbours, so a long freehand stroke keeps its shape with few vertices.
 * Iterative (no recursion limit on long strokes); keeps the first and last points.
 */
export function simplify(points: readonly Pt[], tolerance: number): Pt[] {
  if (points.length <= 2) return points.slice();
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack: Array<[number, number]> = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [s, e] = stack.pop()!;
    let maxD = -1;
    let idx = -1;
    for (let i = s + 1; i < e; i++) {
      const d = distanceToSegment(points[i]!, points[s]!, points[e]!);
      if (d > maxD) {
        maxD = d;
        idx = i;
      }
    }
    if (idx >= 0 && maxD > tolerance) {
      keep[idx] = 1;
      stack.push([s, idx], [idx, e]);
    }
  }
  return points.filter((_, i) => keep[i] === 1);
}

/** An ellipse as a polygon (for area, hit tests and export). */
export function ellipsePolygon(cx: number, cy: number, rx: number, ry: number, n = 64): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i < n; i++) {
    const t = (i / n) * Math.PI * 2;
    out.push([cx + rx * Math.cos(t), cy + ry * Math.sin(t)]);
  }
  return out;
}

export function isFinitePoint(p: unknown): p is Pt {
  return Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}
