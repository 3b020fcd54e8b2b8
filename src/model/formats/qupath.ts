import * as v from 'valibot';
import { eduNote } from './qupath-edu';
import type { Annotation, Geometry } from '../annotation';
import { areaUm2, lengthUm } from '../annotation';
import { describeIssue, MAX_COORD } from '../annotation-schema';
import type { ParseResult } from '../annotation-schema';
import type { AnnotationClass } from '../classes';
import type { Pt } from '../geometry';
import { ellipsePolygon } from '../geometry';
import type { ImportedShape, ReadFile } from './imported';
import { SkipTally } from './imported';
import { parseJsonTolerant } from './tolerant-json';
import { colourToHex, hexToRgb } from './colour';

/**
 * QuPath GeoJSON (File › Import / Export objects, QuPath 0.4–0.6): a FeatureCollection, or a
 * bare list of Features, in full-resolution image pixels. Read: annotations of any geometry
 * QuPath writes; detections, cells and tiles are left out and counted. Written: what QuPath reads
 * back — a classification with a colour, closed rings, one-part multipolygons as Polygons —
 * with what QuPath has no field for (note, author, times, the exact shape) in `metadata`.
 */

export const QUPATH_FORMAT = 'QuPath GeoJSON';

/** Metadata keys Lamina writes; QuPath keeps them (Annotations › Metadata) and gives them back. */
const META = { shape: 'lamina.shape', ellipse: 'lamina.ellipse', note: 'lamina.note', author: 'lamina.author', created: 'lamina.created', updated: 'lamina.updated' } as const;

/**
 * Coordinates are checked by one tight loop inside the schema (a custom check): the schema's own
 * number pipes cost ~15 µs a ten-vertex polygon, which at 100k features was most of an import.
 * `depth` is how many lists wrap a position: 0 a Point, 1 a ring or line, 2 a polygon, 3 a multipolygon.
 */
function coordinateProblem(value: unknown, depth: number, min: number): string | undefined {
  const visit = (v: unknown, d: number, path: string): string | undefined => {
    if (!Array.isArray(v)) return `${path}: is not an array`;
    if (d === 0) {
      if (v.length < 2) return `${path}: needs x and y`;
      if (v.length > 3) return `${path}: has more than x, y and z`;
      for (let k = 0; k < 2; k++) {
        const n = v[k] as unknown;
        if (typeof n !== 'number' || !Number.isFinite(n)) return `${path}${k === 0 ? '.x' : '.y'}: must be a finite number`;
        if (Math.abs(n) > MAX_COORD) return `${path}${k === 0 ? '.x' : '.y'}: is too far out (beyond ${MAX_COORD} px)`;
      }
      return undefined;
    }
    const need = d === 1 ? min : 1;
    if (v.length < need) return `${path}: needs at least ${need} ${d === 1 ? 'positions' : d === 2 ? 'ring' : 'polygon'}`;
    for (let i = 0; i < v.length; i++) {
      const p = visit(v[i], d - 1, `${path}[${i + 1}]`);
      if (p) return p;
    }
    return undefined;
  };
  return visit(value, depth, 'coordinates');
}

const coordinates = <T>(depth: number, min = 1): v.GenericSchema<unknown, T> =>
  v.pipe(
    v.unknown(),
    v.rawCheck(({ dataset, addIssue }) => {
      const problem = coordinateProblem(dataset.value, depth, min);
      if (problem) addIssue({ message: problem.replace(/^coordinates(\S*): /, (_m, at: string) => (at ? `${at}: ` : '')) });
    }),
    v.transform((x) => x as T),
  );
const position = coordinates<number[]>(0);

const GeometrySchema = v.variant(
  'type',
  [
    v.object({ type: v.literal('Point'), coordinates: position }),
    v.object({ type: v.literal('MultiPoint'), coordinates: coordinates<number[][]>(1) }),
    v.object({ type: v.literal('LineString'), coordinates: coordinates<number[][]>(1, 2) }),
    v.object({ type: v.literal('MultiLineString'), coordinates: coordinates<number[][][]>(2, 2) }),
    v.object({ type: v.literal('Polygon'), coordinates: coordinates<number[][][]>(2, 3) }),
    v.object({ type: v.literal('MultiPolygon'), coordinates: coordinates<number[][][][]>(3, 3) }),
    v.object({ type: v.literal('GeometryCollection'), geometries: v.array(v.unknown(), 'is not an array') }),
  ],
  (i) =>
    typeof i.input === 'string' || typeof i.input === 'number'
      ? `unknown geometry type "${String(i.input)}"`
      : typeof i.input === 'object' && i.input !== null
        ? `unknown geometry type "${String((i.input as { type?: unknown }).type)}"`
        : 'must be an object',
);

const rgb = v.union([v.tuple([v.number(), v.number(), v.number()]), v.number()]);
const ClassificationSchema = v.union([v.object({ names: v.array(v.string()), color: v.optional(rgb) }), v.object({ name: v.string(), color: v.optional(rgb) })], 'must have a name or names');

// v.object keeps only these keys: nothing in a file (`__proto__` included) reaches anything else.
const PropertiesSchema = v.object({
  objectType: v.optional(v.string()),
  object_type: v.optional(v.string()),
  name: v.optional(v.nullable(v.string('must be text'))),
  classification: v.optional(v.nullable(ClassificationSchema)),
  isLocked: v.optional(v.unknown()),
  isEllipse: v.optional(v.unknown()),
  // Measurements are recomputed by Lamina; whatever they hold (NaN written bare, strings) is fine.
  measurements: v.optional(v.unknown()),
  metadata: v.optional(v.nullable(v.record(v.string(), v.unknown()))),
});

const FeatureSchema = v.object(
  {
    type: v.literal('Feature', 'must be "Feature"'),
    id: v.optional(v.union([v.string(), v.number()])),
    geometry: v.optional(v.nullable(GeometrySchema)),
    properties: v.optional(v.nullable(PropertiesSchema)),
  },
  'must be an object',
);

type Feature = v.InferOutput<typeof FeatureSchema>;

/** Reads QuPath GeoJSON text into shapes; a clear error naming the feature, or nothing at all. */
export function parseQuPath(text: string): ParseResult<ReadFile> {
  const json = parseJsonTolerant(text);
  return json.error !== undefined ? { error: `Not a QuPath GeoJSON file: ${json.error}.` } : readQuPath(json.value);
}

/** The same, from JSON already parsed (tolerantly: see tolerant-json.ts). */
export function readQuPath(value: unknown): ParseResult<ReadFile> {
  const list = featuresOf(value);
  if (!list) return { error: 'Not a QuPath GeoJSON file: expected a FeatureCollection, a Feature or a list of Features.' };
  const shapes: ImportedShape[] = [];
  const skipped = new SkipTally();
  const notes = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const r = v.safeParse(FeatureSchema, list[i]);
    if (!r.success) return { error: `feature ${i + 1}: ${describeIssue('', r.issues).replace(/coordinates: ([.[])/, 'coordinates$1')}` };
    const f = r.output;
    const kind = (f.properties?.objectType ?? f.properties?.object_type ?? (typeof f.id === 'string' && f.id.startsWith('Path') ? legacyType(f.id) : 'annotation')).toLowerCase();
    if (kind !== 'annotation' && kind !== 'unknown') {
      skipped.add(`QuPath ${kind} objects (analysis results, not annotations)`);
      continue;
    }
    if (!f.geometry) {
      skipped.add('features without a geometry');
      continue;
    }
    const geoms = toGeometries(f, skipped, notes);
    for (const [k, geometry] of geoms.entries()) shapes.push(shapeOf(f, geometry, geoms.length > 1 ? k : undefined));
  }
  return { value: { format: QUPATH_FORMAT, shapes, skipped: skipped.list(), notes: [...notes] } };
}

function featuresOf(json: unknown): unknown[] | undefined {
  if (Array.isArray(json)) return json;
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as { type?: unknown; features?: unknown };
  if (o.type === 'FeatureCollection' && Array.isArray(o.features)) return o.features;
  if (o.type === 'Feature') return [json];
  return undefined;
}

/** QuPath 0.2 put the object's class in `id`. */
function legacyType(id: string): string {
  return id === 'PathAnnotationObject' ? 'annotation' : id === 'PathDetectionObject' ? 'detection' : id === 'PathCellObject' ? 'cell' : id === 'PathTileObject' ? 'tile' : 'annotation';
}

const xy = (p: readonly number[]): Pt => [p[0]!, p[1]!];

/** A ring without its closing repeat (GeoJSON rings end where they start). */
function openRing(ring: readonly number[][]): Pt[] {
  const a = ring[0]!;
  const b = ring[ring.length - 1]!;
  const n = ring.length > 3 && a[0] === b[0] && a[1] === b[1] ? ring.length - 1 : ring.length;
  const pts = new Array<Pt>(n);
  // Positions of two numbers are already the points Lamina keeps; a third (z) is dropped.
  for (let i = 0; i < n; i++) {
    const q = ring[i]!;
    pts[i] = q.length === 2 ? (q as unknown as Pt) : [q[0]!, q[1]!];
  }
  return pts;
}

function toGeometries(f: Feature, skipped: SkipTally, notes: Set<string>): Geometry[] {
  const g = f.geometry!;
  const meta = f.properties?.metadata ?? {};
  switch (g.type) {
    case 'Point':
      return [{ type: 'point', point: xy(g.coordinates) }];
    case 'MultiPoint':
      if (g.coordinates.length > 1) notes.add('QuPath point sets (MultiPoint) became one point annotation per point.');
      return g.coordinates.map((p) => ({ type: 'point', point: xy(p) }));
    case 'LineString':
      if (g.coordinates.length === 2) return [{ type: 'line', points: [xy(g.coordinates[0]!), xy(g.coordinates[1]!)] }];
      skipped.add('open polylines of more than two points (Lamina measures straight lines)');
      return [];
    case 'MultiLineString':
      skipped.add('multi-part lines');
      return [];
    case 'GeometryCollection':
      skipped.add('geometry collections');
      return [];
    case 'Polygon':
      return [areaGeometry([g.coordinates], meta, f.properties?.isEllipse === true)];
    case 'MultiPolygon':
      return [areaGeometry(g.coordinates, meta, false)];
  }
}

/** One polygon with no holes is a polygon (or the rectangle, ellipse or freehand it was drawn as); else a region. */
function areaGeometry(polys: readonly (readonly number[][][])[], meta: Record<string, unknown>, isEllipse: boolean): Geometry {
  const open = polys.map((rs) => rs.map(openRing));
  if (open.length > 1 || open[0]!.length > 1) return { type: 'region', polygons: open };
  const ring = open[0]![0]!;
  const shape = meta[META.shape];
  const ellipse = typeof meta[META.ellipse] === 'string' ? (meta[META.ellipse] as string).split(' ').map(Number) : undefined;
  if (ellipse && ellipse.length === 4 && ellipse.every(Number.isFinite)) return { type: 'ellipse', center: [ellipse[0]!, ellipse[1]!], rx: ellipse[2]!, ry: ellipse[3]! };
  const b = boundsOf(ring);
  if (isEllipse && b.maxX > b.minX && b.maxY > b.minY) return { type: 'ellipse', center: [(b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2], rx: (b.maxX - b.minX) / 2, ry: (b.maxY - b.minY) / 2 };
  if (shape === 'rectangle' || (shape === undefined && isAxisRectangle(ring))) return { type: 'rectangle', min: [b.minX, b.minY], max: [b.maxX, b.maxY] };
  return { type: shape === 'freehand' ? 'freehand' : 'polygon', points: ring };
}

function boundsOf(ring: readonly Pt[]): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of ring) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return { minX, minY, maxX, maxY };
}

/** QuPath's rectangles arrive as four-corner polygons: each corner on the bounding box's corners. */
function isAxisRectangle(ring: readonly Pt[]): boolean {
  if (ring.length !== 4) return false;
  const b = boundsOf(ring);
  if (!(b.maxX > b.minX && b.maxY > b.minY)) return false;
  const corners = new Set(ring.map(([x, y]) => `${x === b.minX ? 0 : x === b.maxX ? 1 : 9},${y === b.minY ? 0 : y === b.maxY ? 1 : 9}`));
  return corners.size === 4 && ![...corners].some((c) => c.includes('9'));
}

function shapeOf(f: Feature, geometry: Geometry, part: number | undefined): ImportedShape {
  // Assigned field by field: at 100k features, conditional spreads were a quarter of the read.
  const p = f.properties;
  const meta = p?.metadata;
  const out: { -readonly [K in keyof ImportedShape]: ImportedShape[K] } = { geometry, label: p?.name ?? '', note: '' };
  const id = f.id === undefined ? undefined : String(f.id);
  if (id !== undefined && !id.startsWith('Path')) out.sourceId = part === undefined ? id : `${id}-${part + 1}`;
  const c = p?.classification;
  if (c) {
    out.className = 'name' in c ? c.name : c.names.join(': ');
    if (c.color !== undefined) {
      const colour = colourToHex(c.color);
      if (colour) out.classColour = colour;
    }
  }
  if (meta) {
    const note = meta[META.note];
    if (typeof note === 'string') out.note = note;
    else {
      // A QuPath Edu file's explanation and answer, kept as the note.
      const edu = eduNote(meta);
      if (edu !== undefined) out.note = edu;
    }
    const author = meta[META.author];
    if (typeof author === 'string') out.author = author;
    const created = typeof meta[META.created] === 'string' ? Date.parse(meta[META.created] as string) : NaN;
    if (Number.isFinite(created)) out.created = created;
    const updated = typeof meta[META.updated] === 'string' ? Date.parse(meta[META.updated] as string) : NaN;
    if (Number.isFinite(updated)) out.updated = updated;
  }
  return out;
}

/** Closed ring, as GeoJSON wants it. */
const closed = (ring: readonly Pt[]): number[][] => [...ring.map((p) => [p[0], p[1]]), [ring[0]![0], ring[0]![1]]];

function featureGeometry(g: Geometry): { geometry: Record<string, unknown>; shape?: string; ellipse?: string } {
  switch (g.type) {
    case 'point':
      return { geometry: { type: 'Point', coordinates: [g.point[0], g.point[1]] } };
    case 'line':
      return { geometry: { type: 'LineString', coordinates: g.points.map((p) => [p[0], p[1]]) } };
    case 'polygon':
    case 'freehand':
      return { geometry: { type: 'Polygon', coordinates: [closed(g.points)] }, ...(g.type === 'freehand' ? { shape: 'freehand' } : {}) };
    case 'rectangle': {
      const [x0, y0] = g.min;
      const [x1, y1] = g.max;
      return { geometry: { type: 'Polygon', coordinates: [closed([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])] }, shape: 'rectangle' };
    }
    case 'ellipse':
      return { geometry: { type: 'Polygon', coordinates: [closed(ellipsePolygon(g.center[0], g.center[1], g.rx, g.ry))] }, shape: 'ellipse', ellipse: `${g.center[0]} ${g.center[1]} ${g.rx} ${g.ry}` };
    case 'region':
      // One part is a Polygon, as QuPath writes it.
      return g.polygons.length === 1
        ? { geometry: { type: 'Polygon', coordinates: g.polygons[0]!.map(closed) } }
        : { geometry: { type: 'MultiPolygon', coordinates: g.polygons.map((poly) => poly.map(closed)) } };
  }
}

/**
 * The annotations as QuPath GeoJSON text. Classes by name with their colour; measurements in
 * µm from `mpp`; note, author and times in metadata (QuPath has no fields for them).
 */
export function serializeQuPath(
  annotations: readonly Annotation[],
  classOf: (id: string) => AnnotationClass | undefined,
  mpp: number,
  /** Counts to carry with a shape (a field's mitoses, a region's Ki67 index), as QuPath measurements. */
  extra?: (a: Annotation) => Readonly<Record<string, number>> | undefined,
): string {
  const features = annotations.map((a) => {
    const { geometry, shape, ellipse } = featureGeometry(a.geometry);
    const cls = classOf(a.classId);
    const metadata: Record<string, string> = {};
    if (shape) metadata[META.shape] = shape;
    if (ellipse) metadata[META.ellipse] = ellipse;
    if (a.note) metadata[META.note] = a.note;
    metadata[META.author] = a.author;
    metadata[META.created] = new Date(a.created).toISOString();
    metadata[META.updated] = new Date(a.updated).toISOString();
    const g = a.geometry;
    const own = g.type === 'line' ? { 'Length µm': lengthUm(g, mpp) } : g.type === 'point' ? undefined : { 'Area µm^2': areaUm2(g, mpp), 'Perimeter µm': lengthUm(g, mpp) };
    const counted = extra?.(a);
    const measurements = own || counted ? { ...own, ...counted } : undefined;
    return {
      type: 'Feature',
      id: a.id,
      geometry,
      properties: {
        objectType: 'annotation',
        ...(a.label ? { name: a.label } : {}),
        // QuPath wants a colour with every classification.
        classification: { name: cls?.name ?? a.classId, color: hexToRgb(cls?.colour ?? '#808080') },
        ...(shape === 'ellipse' ? { isEllipse: true } : {}),
        ...(measurements ? { measurements } : {}),
        metadata,
      },
    };
  });
  return JSON.stringify({ type: 'FeatureCollection', features });
}
