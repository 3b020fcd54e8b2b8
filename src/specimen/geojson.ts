import type { GroundTruth, PolygonUm, RectUm } from './truth';

/**
 * Ground truth as GeoJSON in the form QuPath reads and writes (File › Import objects): features
 * in full-resolution image pixels, `objectType` and a `classification` with name and colour.
 */

export interface GeoJsonFeature {
  readonly type: 'Feature';
  readonly id: string;
  readonly geometry:
    | { readonly type: 'Point'; readonly coordinates: [number, number] }
    | { readonly type: 'Polygon'; readonly coordinates: Array<Array<[number, number]>> };
  readonly properties: {
    readonly objectType: 'annotation';
    readonly name?: string;
    readonly classification: { readonly name: string; readonly color: [number, number, number] };
    readonly isLocked: boolean;
    readonly [key: string]: unknown;
  };
}

export interface GeoJsonCollection {
  readonly type: 'FeatureCollection';
  readonly features: GeoJsonFeature[];
}

export const TRUTH_CLASSES = {
  tumour: { name: 'Tumor', color: [200, 0, 0] as [number, number, number] },
  necrosis: { name: 'Necrosis', color: [90, 60, 30] as [number, number, number] },
  bone: { name: 'Bone', color: [230, 220, 120] as [number, number, number] },
  mitosis: { name: 'Mitosis (typical)', color: [0, 160, 0] as [number, number, number] },
  atypicalMitosis: { name: 'Mitosis (atypical)', color: [255, 0, 200] as [number, number, number] },
};

interface Bounds {
  readonly width: number;
  readonly height: number;
}

/**
 * Outlines that run past the slide's edge (the section's wobble) are clamped onto it: for a
 * shape crossing one straight edge, that is its clip to the slide.
 */
function polygonFeature(id: string, poly: PolygonUm, mpp: number, cls: { name: string; color: [number, number, number] }, b: Bounds): GeoJsonFeature {
  const rings = poly.map((ring) => {
    const pts = ring.map(([x, y]) => [round(clamp(x, b.width) / mpp), round(clamp(y, b.height) / mpp)] as [number, number]);
    if (pts.length > 0) pts.push([pts[0]![0], pts[0]![1]]); // GeoJSON rings are closed
    return pts;
  });
  return {
    type: 'Feature',
    id,
    geometry: { type: 'Polygon', coordinates: rings },
    properties: { objectType: 'annotation', name: cls.name, classification: { ...cls }, isLocked: true },
  };
}

function clamp(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** Regions of the whole slide, and every mitosis in `mitosisArea` (default: the whole section). */
export function truthToGeoJson(truth: GroundTruth, mpp: number, mitosisArea?: RectUm): GeoJsonCollection {
  const features: GeoJsonFeature[] = [];
  const spec = truth.scene.spec;
  const b = { width: spec.widthUm, height: spec.heightUm };
  truth.tumourPolygons().forEach((p, i) => features.push(polygonFeature(`tumour-${i}`, p, mpp, TRUTH_CLASSES.tumour, b)));
  truth.necrosisPolygons().forEach((p, i) => features.push(polygonFeature(`necrosis-${i}`, p, mpp, TRUTH_CLASSES.necrosis, b)));
  truth.bonePolygons().forEach((p, i) => features.push(polygonFeature(`bone-${i}`, p, mpp, TRUTH_CLASSES.bone, b)));
  const area = mitosisArea ?? { x: 0, y: 0, width: spec.widthUm, height: spec.heightUm };
  for (const m of truth.mitoses(area)) {
    const cls = m.atypical ? TRUTH_CLASSES.atypicalMitosis : TRUTH_CLASSES.mitosis;
    features.push({
      type: 'Feature',
      id: m.id,
      geometry: { type: 'Point', coordinates: [round(m.x / mpp), round(m.y / mpp)] },
      properties: { objectType: 'annotation', name: `${cls.name}: ${m.form}`, classification: { ...cls }, isLocked: true, form: m.form },
    });
  }
  return { type: 'FeatureCollection', features };
}
