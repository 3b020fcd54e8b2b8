import type { Annotation } from '../model/annotation';
import { containsPoint } from '../model/annotation';
import { HPF_CLASS, KI67_CLASSES, KI67_REGION_CLASS, MITOSIS_CLASSES, NECROSIS_CLASS, TUMOUR_REGION_CLASS } from '../model/measures/counting-classes';
import { asRegion, necrosisShare } from '../model/measures/counts';
import { ellipsePolygon } from '../model/geometry';

/**
 * The counts a slide's shapes carry into QuPath GeoJSON as measurements, named as QuPath names
 * its own where it has them: a high-power field's mitoses, a Ki67 region's positive and negative
 * nuclei and positive %, a tumour region's necrotic %.
 */
export function countMeasurements(all: readonly Annotation[]): (a: Annotation) => Record<string, number> | undefined {
  const points = (ids: readonly string[]) => all.filter((p) => p.geometry.type === 'point' && ids.includes(p.classId));
  const mitoses = points([MITOSIS_CLASSES.typical, MITOSIS_CLASSES.atypical]);
  const nuclei = points([KI67_CLASSES.positive, KI67_CLASSES.negative]);
  const necroses = all.filter((n) => n.classId === NECROSIS_CLASS).flatMap((n) => asRegion(n, ellipsePolygon));
  const inside = (a: Annotation, p: Annotation): boolean => p.geometry.type === 'point' && containsPoint(a.geometry, p.geometry.point[0], p.geometry.point[1]);
  return (a): Record<string, number> | undefined => {
    if (a.classId === HPF_CLASS.id) {
      const m = mitoses.filter((p) => inside(a, p));
      return { Mitoses: m.length, 'Atypical mitoses': m.filter((p) => p.classId === MITOSIS_CLASSES.atypical).length };
    }
    if (a.classId === KI67_REGION_CLASS.id) {
      const n = nuclei.filter((p) => inside(a, p));
      const pos = n.filter((p) => p.classId === KI67_CLASSES.positive).length;
      return { 'Num Positive': pos, 'Num Negative': n.length - pos, 'Positive %': n.length ? (100 * pos) / n.length : NaN };
    }
    if (a.classId === TUMOUR_REGION_CLASS.id) {
      const s = necrosisShare(necroses, asRegion(a, ellipsePolygon));
      return 'problem' in s ? undefined : { 'Necrosis %': 100 * s.share };
    }
    return undefined;
  };
}
