import * as v from 'valibot';
import type { Annotation, Geometry } from './annotation';

/**
 * The one schema of an annotation record. The same checks run before a record is written (the
 * editor refuses an edit that breaks them, the repository refuses to store one), when it is
 * read back (IndexedDB, the journal, another tab) and when it comes from a file: a record that
 * was saved can always be loaded.
 */

/** Largest coordinate we accept: far beyond any slide, far below float trouble. */
export const MAX_COORD = 1e7;
export const MAX_VERTICES = 100_000;

/** Text limits in characters (UTF-16 code units, as `maxlength` counts them). */
export const LIMITS = {
  id: 200,
  label: 200,
  note: 10_000,
  author: 200,
} as const;

const coord = v.pipe(
  v.number('must be a finite number'),
  v.finite('must be a finite number'),
  v.minValue(-MAX_COORD, `is too far out (beyond ${MAX_COORD} px)`),
  v.maxValue(MAX_COORD, `is too far out (beyond ${MAX_COORD} px)`),
);
const point = v.strictTuple([coord, coord], 'must be two finite numbers');
const RADII = 'ellipse radii must be positive finite numbers';
const radius = v.pipe(v.number(RADII), v.finite(RADII), v.gtValue(0, RADII), v.maxValue(MAX_COORD, RADII));
const path = (min: number): v.GenericSchema<unknown, Array<[number, number]>> =>
  v.pipe(v.array(point, 'must be a list of points'), v.minLength(min, `needs at least ${min} points`), v.maxLength(MAX_VERTICES, `has more than ${MAX_VERTICES} points`));

export const GeometrySchema = v.variant(
  'type',
  [
    v.object({ type: v.literal('point'), point }),
    v.object({ type: v.picklist(['polygon', 'freehand']), points: path(3) }),
    v.object({ type: v.literal('line'), points: v.strictTuple([point, point], 'a line has exactly 2 points') }),
    v.object({ type: v.literal('rectangle'), min: point, max: point }),
    v.object({ type: v.literal('ellipse'), center: point, rx: radius, ry: radius }),
    v.object({
      type: v.literal('region'),
      polygons: v.pipe(
        v.array(v.pipe(v.array(path(3), 'must be a list of rings'), v.minLength(1, 'needs an outer ring')), 'must be a list of polygons'),
        v.minLength(1, 'needs at least one polygon'),
        v.check((polys) => polys.reduce((n, poly) => n + poly.reduce((m, r) => m + r.length, 0), 0) <= MAX_VERTICES, `has more than ${MAX_VERTICES} points`),
      ),
    }),
  ],
  (issue) => (typeof issue.input === 'object' && issue.input !== null ? `unknown shape type "${String((issue.input as { type?: unknown }).type)}"` : issue.kind === 'schema' && issue.expected === 'Object' ? 'must be an object' : `unknown shape type "${String(issue.input)}"`),
);

/** valibot reports a missing key with the object's message: say which it is. */
function objectIssue(issue: v.ObjectIssue): string {
  return issue.expected === 'Object' ? 'must be an object' : 'is missing';
}

const shortId = v.pipe(v.string('must be text'), v.minLength(1, 'must not be empty'), v.maxLength(LIMITS.id, `must be at most ${LIMITS.id} characters`));
const text = (max: number): v.GenericSchema<unknown, string> => v.pipe(v.string('must be text'), v.maxLength(max, (i) => `must be text of at most ${max} characters (it has ${String(i.received).replace(/\D/g, '')})`));
const finite = v.pipe(v.number('must be a number'), v.finite('must be a finite number'));

/** Everything but the geometry (packed snapshots check geometry in bulk, see flat-geometry.ts). */
export const FieldsSchema = v.object(
  {
  id: shortId,
  slideId: shortId,
  classId: shortId,
  label: text(LIMITS.label),
  note: text(LIMITS.note),
  author: text(LIMITS.author),
  created: finite,
  updated: finite,
  rev: finite,
  },
  objectIssue,
);

export const AnnotationSchema = v.object({ ...FieldsSchema.entries, geometry: GeometrySchema }, objectIssue);

export type ParseResult<T> = { readonly value: T; readonly error?: undefined } | { readonly value?: undefined; readonly error: string };

/**
 * "annotation.note: must be text of at most …": the first problem, where it is. A point in a list
 * is named by its number, as a person counts, and a coordinate as x or y.
 */
export function describeIssue(prefix: string, issues: readonly v.BaseIssue<unknown>[]): string {
  const i = issues[0]!;
  const keys = (i.path ?? []).map((p) => p.key);
  let where = '';
  keys.forEach((k, n) => {
    // Only the last key can be a coordinate: earlier numbers count points, rings and parts.
    const coordinate = typeof k === 'number' && n === keys.length - 1 && n > 0 && (typeof keys[n - 1] === 'number' || ['point', 'center', 'min', 'max'].includes(String(keys[n - 1])));
    where += coordinate ? `.${k === 0 ? 'x' : 'y'}` : typeof k === 'number' ? `[${k + 1}]` : `.${String(k)}`;
  });
  if (!prefix) where = where.replace(/^\./, '');
  return `${prefix}${where}${prefix || where ? ': ' : ''}${i.message}`;
}

/** Parses a stored, received or imported annotation record; never half-applies. */
export function parseAnnotation(input: unknown): ParseResult<Annotation> {
  const r = v.safeParse(AnnotationSchema, input);
  return r.success ? { value: r.output as Annotation } : { error: describeIssue('annotation', r.issues) };
}

/** A message when the geometry is not acceptable, else undefined. */
export function checkGeometry(g: unknown): string | undefined {
  const r = v.safeParse(GeometrySchema, g);
  return r.success ? undefined : describeIssue('geometry', r.issues);
}

/** A message when the fields (all but geometry) are not acceptable, else undefined. */
export function checkFields(o: unknown): string | undefined {
  const r = v.safeParse(FieldsSchema, o);
  return r.success ? undefined : describeIssue('annotation', r.issues);
}

/**
 * FieldsSchema's answer without building issues or output: a packed snapshot checks 100k
 * records as it opens, and the schema costs ~0.9 µs a record (90 ms of a 600 ms open) where this
 * costs a tenth. A property test holds the two to the same answer for any input.
 */
export function fieldsValid(o: Record<string, unknown>): boolean {
  const id = (x: unknown): boolean => typeof x === 'string' && x.length > 0 && x.length <= LIMITS.id;
  const txt = (x: unknown, max: number): boolean => typeof x === 'string' && x.length <= max;
  const num = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);
  return (
    id(o['id']) && id(o['slideId']) && id(o['classId']) &&
    txt(o['label'], LIMITS.label) && txt(o['note'], LIMITS.note) && txt(o['author'], LIMITS.author) &&
    num(o['created']) && num(o['updated']) && num(o['rev'])
  );
}

const coordOk = (v: unknown): boolean => typeof v === 'number' && v >= -MAX_COORD && v <= MAX_COORD; // false for NaN
const pointOk = (p: unknown): boolean => Array.isArray(p) && p.length === 2 && coordOk(p[0]) && coordOk(p[1]);
const radiusOk = (v: unknown): boolean => typeof v === 'number' && v > 0 && v <= MAX_COORD;
function pathOk(points: unknown, min: number): number {
  if (!Array.isArray(points) || points.length < min) return -1;
  for (const p of points) if (!pointOk(p)) return -1;
  return points.length;
}

/**
 * GeometrySchema's answer in one tight pass (an import checks 100k shapes; the schema costs
 * ~4 µs a polygon). A property test holds the two to the same answer for any input; where
 * this says no, the schema is asked for its message.
 */
export function geometryValid(g: unknown): boolean {
  if (typeof g !== 'object' || g === null) return false;
  const o = g as Record<string, unknown>;
  switch (o['type']) {
    case 'point':
      return pointOk(o['point']);
    case 'polygon':
    case 'freehand': {
      const n = pathOk(o['points'], 3);
      return n >= 0 && n <= MAX_VERTICES;
    }
    case 'line':
      return pathOk(o['points'], 2) === 2;
    case 'rectangle':
      return pointOk(o['min']) && pointOk(o['max']);
    case 'ellipse':
      return pointOk(o['center']) && radiusOk(o['rx']) && radiusOk(o['ry']);
    case 'region': {
      const polys = o['polygons'];
      if (!Array.isArray(polys) || polys.length < 1) return false;
      let total = 0;
      for (const poly of polys) {
        if (!Array.isArray(poly) || poly.length < 1) return false;
        for (const ring of poly) {
          const n = pathOk(ring, 3);
          if (n < 0 || n > MAX_VERTICES) return false;
          total += n;
        }
      }
      return total <= MAX_VERTICES;
    }
    default:
      return false;
  }
}

/** AnnotationSchema's answer, fast (see geometryValid): for many annotations at once. */
export function annotationValid(a: unknown): boolean {
  return typeof a === 'object' && a !== null && !Array.isArray(a) && fieldsValid(a as Record<string, unknown>) && geometryValid((a as { geometry?: unknown }).geometry);
}

/** The message for an annotation that would break the schema once this patch is applied, if any. */
export function checkPatch(a: Annotation, patch: Partial<Pick<Annotation, 'label' | 'note' | 'classId' | 'author'>> & { geometry?: Geometry }): string | undefined {
  return parseAnnotation({ ...a, ...patch }).error;
}
