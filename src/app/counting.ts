import type { Annotation } from '../model/annotation';
import { containsPoint } from '../model/annotation';
import type { RegionPolygons } from '../model/annotation';
import { ellipsePolygon } from '../model/geometry';
import type { Pt } from '../model/geometry';
import type { SlideInfo } from '../model/manifest';
import { asRegion, countInFields, ki67InRegions, necrosisShare } from '../model/measures/counts';
import type { Circle, FieldCount, Ki67Count, NecrosisShare } from '../model/measures/counts';
import { HPF_CLASS, KI67_CLASSES, KI67_REGION_CLASS, MITOSIS_CLASSES, NECROSIS_CLASS, TUMOUR_REGION_CLASS } from '../model/measures/counting-classes';
import { convertPer10Hpf, FNCLCC_FIELD_MM2, perMm2 } from '../model/measures/hpf';
import { matchPoints } from '../model/teaching/point-matching';
import { GroundTruth } from '../specimen/truth';
import type { SceneEntry } from './case-data';
import type { SlideSession } from './slide-session';

/**
 * The counts of one slide, read from its annotations: the high-power fields (ellipses of the
 * High-power field class) and the mitoses in them, the Ki67 regions and the nuclei marked in
 * them, the tumour regions and the necroses. On a virtual slide, the same counts from the
 * ground truth, and which marks the truth confirms.
 */

export interface MitoticSummary {
  readonly fields: ReadonlyArray<Circle & { readonly id: string }>;
  readonly perField: readonly FieldCount[];
  readonly total: number;
  readonly atypical: number;
  /** Each field's area, mm² (they are laid out equal; a field resized by hand counts its own). */
  readonly areaMm2: number;
  readonly perMm2: number;
  /** The count over these fields, as it would be over 10 FNCLCC fields of 0.1734 mm². */
  readonly per10Fnclcc: number;
}

const circleOf = (a: Annotation): (Circle & { id: string }) | undefined => {
  const g = a.geometry;
  return g.type === 'ellipse' ? { id: a.id, center: g.center, r: (g.rx + g.ry) / 2 } : undefined;
};

export function mitoticSummary(s: SlideSession, mpp: number): MitoticSummary {
  const all = s.store.all();
  const fields = all.filter((a) => a.classId === HPF_CLASS.id).map(circleOf).filter((c): c is Circle & { id: string } => !!c);
  const marks = all.flatMap((a) =>
    a.geometry.type === 'point' && (a.classId === MITOSIS_CLASSES.typical || a.classId === MITOSIS_CLASSES.atypical) ? [{ at: a.geometry.point as Pt, atypical: a.classId === MITOSIS_CLASSES.atypical }] : [],
  );
  const perField = countInFields(fields, marks);
  const total = perField.reduce((n, f) => n + f.typical + f.atypical, 0);
  const atypical = perField.reduce((n, f) => n + f.atypical, 0);
  const areas = fields.map((f) => (Math.PI * (f.r * mpp) ** 2) / 1e6);
  const areaMm2 = areas.length ? areas.reduce((a, b) => a + b, 0) / areas.length : 0;
  return {
    fields,
    perField,
    total,
    atypical,
    areaMm2,
    perMm2: perMm2(total, fields.length, areaMm2),
    per10Fnclcc: fields.length ? convertPer10Hpf((total * 10) / fields.length, areaMm2, FNCLCC_FIELD_MM2) : NaN,
  };
}

export function ki67Summary(s: SlideSession): Ki67Count & { readonly regions: number } {
  const all = s.store.all();
  const regions = all.filter((a) => a.classId === KI67_REGION_CLASS.id);
  const nuclei = all.flatMap((a) => (a.geometry.type === 'point' && (a.classId === KI67_CLASSES.positive || a.classId === KI67_CLASSES.negative) ? [{ at: a.geometry.point as Pt, positive: a.classId === KI67_CLASSES.positive }] : []));
  return { ...ki67InRegions(regions, nuclei), regions: regions.length };
}

const regions = (list: readonly Annotation[]): RegionPolygons => list.flatMap((a) => asRegion(a, ellipsePolygon));

export function necrosisSummary(s: SlideSession): NecrosisShare | { readonly problem: string } {
  const all = s.store.all();
  return necrosisShare(regions(all.filter((a) => a.classId === NECROSIS_CLASS)), regions(all.filter((a) => a.classId === TUMOUR_REGION_CLASS.id)));
}

/** The ground truth's answers for the same fields and regions, on the case's virtual slides. */
export class TruthCounts {
  private constructor(
    private readonly truth: GroundTruth,
    private readonly mpp: number,
  ) {}

  static of(slide: SlideInfo, scenes: ReadonlyMap<string, SceneEntry>): TruthCounts | undefined {
    if (slide.source.kind !== 'virtual') return undefined;
    const scene = scenes.get(slide.source.scene);
    return scene ? new TruthCounts(new GroundTruth(scene.spec, slide.source.section), slide.mpp) : undefined;
  }

  /** True mitoses in each field (image pixels), counted once, and which of the user's marks they confirm. */
  mitoses(m: MitoticSummary, marks: ReadonlyArray<{ readonly id: string; readonly at: Pt }>, radiusUm = 5): { perField: number[]; total: number; atypical: number; missed: Pt[]; extra: string[] } {
    const circles = m.fields.map((f) => ({ x: f.center[0] * this.mpp, y: f.center[1] * this.mpp, r: f.r * this.mpp }));
    const perField = circles.map(() => 0);
    const inAny: Array<{ at: Pt; atypical: boolean }> = [];
    if (circles.length) {
      const minX = Math.min(...circles.map((c) => c.x - c.r));
      const minY = Math.min(...circles.map((c) => c.y - c.r));
      const maxX = Math.max(...circles.map((c) => c.x + c.r));
      const maxY = Math.max(...circles.map((c) => c.y + c.r));
      for (const t of this.truth.mitoses({ x: minX, y: minY, width: maxX - minX, height: maxY - minY })) {
        const i = circles.findIndex((c) => (t.x - c.x) ** 2 + (t.y - c.y) ** 2 <= c.r * c.r);
        if (i < 0) continue;
        perField[i]!++;
        inAny.push({ at: [t.x / this.mpp, t.y / this.mpp], atypical: t.atypical });
      }
    }
    const inFields = marks.filter((k) => m.fields.some((f) => (k.at[0] - f.center[0]) ** 2 + (k.at[1] - f.center[1]) ** 2 <= f.r * f.r));
    const pairs = matchPoints(inFields.map((k) => k.at), inAny.map((t) => t.at), radiusUm / this.mpp);
    const matchedMarks = new Set(pairs.map(([a]) => a));
    const matchedTruth = new Set(pairs.map(([, t]) => t));
    return {
      perField,
      total: inAny.length,
      atypical: inAny.filter((t) => t.atypical).length,
      missed: inAny.filter((_, i) => !matchedTruth.has(i)).map((t) => t.at),
      extra: inFields.filter((_, i) => !matchedMarks.has(i)).map((k) => k.id),
    };
  }

  /** The true Ki67 index of the tumour nuclei inside the regions. */
  ki67(regionsList: readonly Annotation[]): { positive: number; negative: number; index: number } {
    let positive = 0;
    let negative = 0;
    for (const r of regionsList) {
      const b = boundsOf(r);
      for (const n of this.truth.viableNuclei({ x: b.minX * this.mpp, y: b.minY * this.mpp, width: (b.maxX - b.minX) * this.mpp, height: (b.maxY - b.minY) * this.mpp })) {
        const at: Pt = [n.x / this.mpp, n.y / this.mpp];
        if (!inside(r, at)) continue;
        // A nucleus in two overlapping regions counts once: only in the first that holds it.
        if (regionsList.slice(0, regionsList.indexOf(r)).some((q) => inside(q, at))) continue;
        if (n.ki67) positive++;
        else negative++;
      }
    }
    return { positive, negative, index: positive + negative ? positive / (positive + negative) : NaN };
  }

  /** The true necrotic share of the tumour regions (necroses with their viable cuffs as holes). */
  necrosis(tumour: readonly Annotation[]): NecrosisShare | { readonly problem: string } {
    const necroses = this.truth.necrosisPolygons().map((poly) => poly.map((ring) => ring.map(([x, y]) => [x / this.mpp, y / this.mpp] as Pt)));
    return necrosisShare(necroses, regions(tumour));
  }
}

function boundsOf(a: Annotation): { minX: number; minY: number; maxX: number; maxY: number } {
  const ring = asRegion(a, ellipsePolygon).flatMap((p) => p[0] ?? []);
  return { minX: Math.min(...ring.map((p) => p[0])), minY: Math.min(...ring.map((p) => p[1])), maxX: Math.max(...ring.map((p) => p[0])), maxY: Math.max(...ring.map((p) => p[1])) };
}

function inside(a: Annotation, p: Pt): boolean {
  return containsPoint(a.geometry, p[0], p[1]);
}
