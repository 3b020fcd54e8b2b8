import { difference, intersection, union } from 'polyclip-ts';
import type { Geom } from 'polyclip-ts';
import type { RegionPolygons } from '../annotation';
import type { Pt } from '../geometry';
import { area } from '../geometry';
import { scanlineOverlap } from './scanline-overlap';
import type { Areas } from './scanline-overlap';

/**
 * Areas of two regions and of their overlap (image px²), for IoU and Dice. Trainees draw
 * freehand, so outlines cross themselves, parts overlap and holes stray outside their outer
 * ring; a shoelace sum over the raw rings would count all of that wrong. Each region is first
 * made clean with polyclip-ts (see clean()): overlapping parts count once, self-crossing rings
 * are read by the non-zero rule, holes are cut to their outer ring.
 *
 * polyclip-ts 0.16 is not to be trusted alone. It throws on some inputs ("Unable to complete
 * output ring", luizbarboza/polyclip-ts#5), even two plain overlapping triangles, and on a
 * few scribbles it returns a wrong area without a word (an independent grid count agreed with
 * the scanlines, not with it). So every result is checked against the same areas measured by
 * scanlines (scanline-overlap.ts: ~5 ms for small outlines, ~60 ms for two of 3,000 points);
 * where polyclip throws or disagrees by more than 0.1 %, the scanlines' areas are used and
 * marked approximate. Measured: 1 in 100 random 8-point scribbles; none of 80 traced outlines
 * of 200–1,000 points; but 7 in 20 of 2,000-point outlines traced with a ±10 px zigzag (and
 * 17 in 20 at 3,000 points, ±20 px), where polyclip also takes 0.7–1.7 s.
 */

export type Overlap =
  | { readonly answer: number; readonly key: number; readonly both: number; readonly approximate: boolean; readonly problem?: undefined }
  | { readonly problem: string };

type MultiPoly = Array<Array<Array<[number, number]>>>;

/** A region as polyclip wants it; rings of fewer than 3 points (a slip of the mouse) are dropped, with their holes if outer. */
function toMultiPoly(polys: RegionPolygons): MultiPoly | string {
  const out: MultiPoly = [];
  for (const poly of polys) {
    for (const ring of poly) for (const p of ring) if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) return 'has a point that is not a pair of finite numbers';
    if (!poly[0] || poly[0].length < 3) continue;
    out.push(poly.filter((r) => r.length >= 3).map((r) => r.map((p: Pt): [number, number] => [p[0], p[1]])));
  }
  return out;
}

/** Area of polyclip's output: outer rings counter-clockwise, holes inside them, nothing overlapping. */
function multiArea(mp: MultiPoly): number {
  let sum = 0;
  for (const poly of mp) poly.forEach((ring, k) => (sum += k === 0 ? area(ring) : -area(ring)));
  return Math.max(0, sum);
}

/**
 * The region as polyclip's clean output: each ring resolved on its own first (a self-crossing
 * ring by the non-zero rule), then each part is its outer ring less its holes, one hole at a
 * time, then the parts are joined. That is what the scanlines measure, and the way polyclip-ts
 * 0.16 failed least on random scribbles (4 of 400, against 25 for one union of every ring;
 * subtracting several holes in one call gave a wrong area).
 */
function clean(mp: MultiPoly): MultiPoly {
  const parts: MultiPoly[] = [];
  for (const [outer, ...holes] of mp) {
    let part = union([outer!]) as MultiPoly;
    for (const h of holes) {
      const hole = union([h]) as MultiPoly;
      if (part.length > 0 && hole.length > 0) part = difference(part as Geom, hole as Geom) as MultiPoly;
    }
    if (part.length > 0) parts.push(part);
  }
  if (parts.length <= 1) return parts[0] ?? [];
  return union(parts[0] as Geom, ...(parts.slice(1) as Geom[])) as MultiPoly;
}

function exactOverlap(a: MultiPoly, k: MultiPoly): Areas {
  const ca = clean(a);
  const ck = clean(k);
  const both = ca.length === 0 || ck.length === 0 ? 0 : multiArea(intersection(ca as Geom, ck as Geom) as MultiPoly);
  return { answer: multiArea(ca), key: multiArea(ck), both };
}

/** Whether two measurements of the same areas agree to 0.1 % of the larger region. */
function agree(p: Areas, q: Areas): boolean {
  const tolerance = 1e-3 * Math.max(p.answer, p.key, q.answer, q.key) + 1e-9;
  return Math.abs(p.answer - q.answer) <= tolerance && Math.abs(p.key - q.key) <= tolerance && Math.abs(p.both - q.both) <= tolerance;
}

/** The areas, or what made them impossible; never throws. */
export function overlap(answer: RegionPolygons, key: RegionPolygons): Overlap {
  const a = toMultiPoly(answer);
  if (typeof a === 'string') return { problem: `The answer ${a}.` };
  const k = toMultiPoly(key);
  if (typeof k === 'string') return { problem: `The key ${k}.` };
  const scanned = scanlineOverlap(a, k);
  let exact: Areas | undefined;
  try {
    exact = exactOverlap(a, k);
  } catch {
    exact = undefined;
  }
  const r = exact !== undefined && agree(exact, scanned) ? exact : scanned;
  // Rounding must not make the overlap larger than either region (IoU would pass Dice).
  return { answer: r.answer, key: r.key, both: Math.min(r.both, r.answer, r.key), approximate: r === scanned };
}
