import type { Annotation, Geometry } from '../model/annotation';
import type { AnnotationClass } from '../model/classes';
import { serializeQuPath } from '../model/formats/qupath';
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
function region(poly: PolygonUm, mpp: number, b: Bounds): Geometry {
  const rings = poly.map((ring) => ring.map(([x, y]) => [round(clamp(x, b.width) / mpp), round(clamp(y, b.height) / mpp)] as [number, number]));
  return { type: 'region', polygons: [rings] };
}

function clamp(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

const hex = (c: readonly [number, number, number]): string => `#${c.map((n) => n.toString(16).padStart(2, '0')).join('')}`;

/** The truth's classes, as Lamina classes (QuPath matches them by name). */
export const TRUTH_CLASS_LIST: readonly AnnotationClass[] = Object.entries(TRUTH_CLASSES).map(([id, c]) => ({ id: `truth-${id}`, name: c.name, colour: hex(c.color), key: 0, tool: id.toLowerCase().includes('mitosis') ? 'point' : 'polygon' }));

/** Regions of the whole slide, and every mitosis in `mitosisArea` (default: the whole section), as annotations in image pixels. */
export function truthAnnotations(truth: GroundTruth, mpp: number, mitosisArea?: RectUm): Annotation[] {
  const spec = truth.scene.spec;
  const b = { width: spec.widthUm, height: spec.heightUm };
  const a = (id: string, cls: keyof typeof TRUTH_CLASSES, geometry: Geometry, label = TRUTH_CLASSES[cls].name): Annotation => ({
    id, slideId: truth.section, classId: `truth-${cls}`, geometry, label, note: '', author: 'ground truth', created: 0, updated: 0, rev: 1,
  });
  const out: Annotation[] = [];
  truth.tumourPolygons().forEach((p, i) => out.push(a(`tumour-${i}`, 'tumour', region(p, mpp, b))));
  truth.necrosisPolygons().forEach((p, i) => out.push(a(`necrosis-${i}`, 'necrosis', region(p, mpp, b))));
  truth.bonePolygons().forEach((p, i) => out.push(a(`bone-${i}`, 'bone', region(p, mpp, b))));
  const area = mitosisArea ?? { x: 0, y: 0, width: spec.widthUm, height: spec.heightUm };
  for (const m of truth.mitoses(area)) {
    const cls = m.atypical ? 'atypicalMitosis' : 'mitosis';
    out.push(a(m.id, cls, { type: 'point', point: [round(m.x / mpp), round(m.y / mpp)] }, `${TRUTH_CLASSES[cls].name}: ${m.form}`));
  }
  return out;
}

/** The same as QuPath GeoJSON, written by Lamina's QuPath adapter (model/formats/qupath.ts). */
export function truthToGeoJson(truth: GroundTruth, mpp: number, mitosisArea?: RectUm): GeoJsonCollection {
  const classOf = (id: string): AnnotationClass | undefined => TRUTH_CLASS_LIST.find((c) => c.id === id);
  return JSON.parse(serializeQuPath(truthAnnotations(truth, mpp, mitosisArea), classOf, mpp)) as GeoJsonCollection;
}
