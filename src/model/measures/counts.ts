import type { Annotation, RegionPolygons } from '../annotation';
import { containsPoint } from '../annotation';
import type { Pt } from '../geometry';
import { overlap } from '../teaching/region-overlap';

/**
 * Counts taken from a slide's annotations: mitoses in high-power fields, a Ki67 index in
 * regions, the necrotic share of a tumour. Pure: the panel recomputes them from the store on
 * every change, so a moved field or a deleted mark is counted at once.
 */

export interface Circle {
  readonly center: Pt;
  /** Image pixels. */
  readonly r: number;
}

export interface FieldCount {
  readonly typical: number;
  readonly atypical: number;
}

/**
 * Mitoses per field: each mark counted once, in the first field that holds it (fields that
 * overlap, after the user moved one, never count a cell twice).
 */
export function countInFields(fields: readonly Circle[], marks: ReadonlyArray<{ readonly at: Pt; readonly atypical: boolean }>): FieldCount[] {
  const out = fields.map(() => ({ typical: 0, atypical: 0 }));
  for (const m of marks) {
    const i = fields.findIndex((f) => (m.at[0] - f.center[0]) ** 2 + (m.at[1] - f.center[1]) ** 2 <= f.r * f.r);
    if (i < 0) continue;
    if (m.atypical) out[i]!.atypical++;
    else out[i]!.typical++;
  }
  return out;
}

export interface Ki67Count {
  readonly positive: number;
  readonly negative: number;
  /** positive / (positive + negative); NaN with nothing counted. */
  readonly index: number;
  /** Fewer nuclei than a reliable index needs (500: the usual minimum in the literature). */
  readonly tooFew: boolean;
}

export const KI67_MIN_NUCLEI = 500;

/** Positive and negative nuclei inside any of the regions (each counted once). */
export function ki67InRegions(regions: readonly Annotation[], nuclei: ReadonlyArray<{ readonly at: Pt; readonly positive: boolean }>): Ki67Count {
  let positive = 0;
  let negative = 0;
  for (const n of nuclei) {
    if (!regions.some((r) => containsPoint(r.geometry, n.at[0], n.at[1]))) continue;
    if (n.positive) positive++;
    else negative++;
  }
  const total = positive + negative;
  return { positive, negative, index: total > 0 ? positive / total : NaN, tooFew: total < KI67_MIN_NUCLEI };
}

export interface NecrosisShare {
  /** Necrotic area within the tumour over the tumour's area, 0–1. */
  readonly share: number;
  readonly necroticPx2: number;
  readonly tumourPx2: number;
  /** The areas are the scanline measure's (the clipping library failed or disagreed). */
  readonly approximate: boolean;
}

/**
 * The share of the tumour covered by necrosis, by polygon boolean operations (holes — viable
 * cuffs round vessels — count as tumour, not necrosis; overlapping outlines count once).
 */
export function necrosisShare(necroses: RegionPolygons, tumour: RegionPolygons): NecrosisShare | { readonly problem: string } {
  if (tumour.length === 0) return { problem: 'there is no tumour outline to measure against' };
  const o = overlap(necroses, tumour);
  if (o.problem !== undefined) return { problem: o.problem };
  return { share: o.key > 0 ? o.both / o.key : NaN, necroticPx2: o.both, tumourPx2: o.key, approximate: o.approximate };
}

/** An area annotation as polygons (points and lines have none). */
export function asRegion(a: Annotation, ellipse: (cx: number, cy: number, rx: number, ry: number) => Pt[]): RegionPolygons {
  const g = a.geometry;
  switch (g.type) {
    case 'region':
      return g.polygons;
    case 'polygon':
    case 'freehand':
      return [[g.points.slice()]];
    case 'rectangle':
      return [[[g.min, [g.max[0], g.min[1]], g.max, [g.min[0], g.max[1]]]]];
    case 'ellipse':
      return [[ellipse(g.center[0], g.center[1], g.rx, g.ry)]];
    default:
      return [];
  }
}
