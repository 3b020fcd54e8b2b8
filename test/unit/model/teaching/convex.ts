import type { Pt } from '../../../../src/model/geometry';

/** Exact references for area tests, independent of both area methods under test. */

/** The overlap of two convex polygons (Sutherland–Hodgman): an exact reference independent of both area methods. */
export function clipConvex(subject: readonly Pt[], clip: readonly Pt[]): Pt[] {
  const ccw = (r: readonly Pt[]): readonly Pt[] => (r.reduce((s, p, i) => s + p[0] * r[(i + 1) % r.length]![1] - r[(i + 1) % r.length]![0] * p[1], 0) > 0 ? r : [...r].reverse());
  const c = ccw(clip);
  let out: Pt[] = [...subject];
  for (let i = 0; i < c.length && out.length > 0; i++) {
    const a = c[i]!;
    const b = c[(i + 1) % c.length]!;
    const side = (p: Pt): number => (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
    const cut = (p: Pt, q: Pt): Pt => {
      const t = side(p) / (side(p) - side(q));
      return [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
    };
    const input = out;
    out = [];
    input.forEach((q, j) => {
      const p = input[(j + input.length - 1) % input.length]!;
      if (side(q) >= 0) {
        if (side(p) < 0) out.push(cut(p, q));
        out.push(q);
      } else if (side(p) >= 0) out.push(cut(p, q));
    });
  }
  return out;
}

/** The convex hull, counter-clockwise (Andrew's monotone chain). */
export function convexHull(points: readonly Pt[]): Pt[] {
  const ps = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: Pt, a: Pt, b: Pt): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: Pt[]): Pt[] => {
    const h: Pt[] = [];
    for (const p of list) {
      while (h.length >= 2 && cross(h[h.length - 2]!, h[h.length - 1]!, p) <= 0) h.pop();
      h.push(p);
    }
    return h.slice(0, -1);
  };
  return [...half(ps), ...half([...ps].reverse())];
}
