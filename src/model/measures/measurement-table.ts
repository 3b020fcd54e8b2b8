import type { Annotation } from '../annotation';
import { areaUm2, isArea, lengthUm } from '../annotation';
import type { AnnotationClass } from '../classes';

/**
 * Every annotation's measurements in µm, one row each, for the panel's table and its CSV: a
 * line's length, a closed shape's area and perimeter (a point has none).
 */

export interface MeasurementRow {
  readonly id: string;
  readonly className: string;
  readonly shape: string;
  readonly label: string;
  readonly lengthUm?: number;
  readonly areaUm2?: number;
  readonly perimeterUm?: number;
}

export function measurementRows(annotations: readonly Annotation[], classOf: (id: string) => AnnotationClass | undefined, mpp: number): MeasurementRow[] {
  return annotations.map((a) => {
    const g = a.geometry;
    const base = { id: a.id, className: classOf(a.classId)?.name ?? a.classId, shape: g.type, label: a.label };
    if (g.type === 'line') return { ...base, lengthUm: lengthUm(g, mpp) };
    if (isArea(g)) return { ...base, areaUm2: areaUm2(g, mpp), perimeterUm: lengthUm(g, mpp) };
    return base;
  });
}

/** A CSV field: quoted when it holds a separator, a quote or a line break; a leading = + - @ is defused for spreadsheets. */
function field(v: string | number | undefined): string {
  if (v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : '';
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function measurementsCsv(rows: readonly MeasurementRow[]): string {
  const head = ['id', 'class', 'shape', 'label', 'length_um', 'area_um2', 'perimeter_um'];
  return [head.join(','), ...rows.map((r) => [r.id, r.className, r.shape, r.label, r.lengthUm, r.areaUm2, r.perimeterUm].map(field).join(','))].join('\r\n') + '\r\n';
}
