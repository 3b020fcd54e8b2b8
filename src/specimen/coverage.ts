/**
 * Fraction of a pixel (half-size s, at distance d from a line) covered by a band of half-width
 * hw around the line: thin membranes keep their mean stain at every zoom (pyramid consistency).
 */
export function bandCoverage(d: number, hw: number, s: number): number {
  const lo = Math.max(d - s, -hw);
  const hi = Math.min(d + s, hw);
  return hi > lo ? (hi - lo) / (2 * s) : 0;
}

export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
