import type { Annotation, Geometry } from './annotation';
import { MAX_COORD, MAX_VERTICES } from './annotation';
import type { Bounds, Pt } from './geometry';

/**
 * Geometry stored flat: x, y, x, y … (points, polygons, freehand, lines), min then max
 * (rectangles), or centre, rx, ry (ellipses), as numbers in a Float64Array.
 *
 * Opening a slide with 100k polygons would otherwise build ~1M little [x, y] arrays before the
 * first frame, most of them for shapes nobody zooms into. An annotation read flat gets its
 * geometry built on first use; its bounds and density anchor are known from the start.
 */

export function flattenGeometry(g: Geometry, out: number[]): void {
  switch (g.type) {
    case 'point':
      out.push(g.point[0], g.point[1]);
      return;
    case 'polygon':
    case 'freehand':
    case 'line':
      for (const p of g.points) out.push(p[0], p[1]);
      return;
    case 'rectangle':
      out.push(g.min[0], g.min[1], g.max[0], g.max[1]);
      return;
    case 'ellipse':
      out.push(g.center[0], g.center[1], g.rx, g.ry);
  }
}

export function unflattenGeometry(type: string, c: Float64Array, at: number, n: number): Geometry | undefined {
  const pts = (): Pt[] => {
    const list: Pt[] = new Array<Pt>(n >> 1);
    for (let i = 0; i < n; i += 2) list[i >> 1] = [c[at + i]!, c[at + i + 1]!];
    return list;
  };
  switch (type) {
    case 'point':
      return n === 2 ? { type, point: [c[at]!, c[at + 1]!] } : undefined;
    case 'polygon':
    case 'freehand':
      return n % 2 === 0 ? { type, points: pts() } : undefined;
    case 'line': {
      const p = pts();
      return n === 4 ? { type, points: [p[0]!, p[1]!] } : undefined;
    }
    case 'rectangle':
      return n === 4 ? { type, min: [c[at]!, c[at + 1]!], max: [c[at + 2]!, c[at + 3]!] } : undefined;
    case 'ellipse':
      return n === 4 ? { type, center: [c[at]!, c[at + 1]!], rx: c[at + 2]!, ry: c[at + 3]! } : undefined;
    default:
      return undefined;
  }
}

const FLAT_COUNTS: Record<string, (n: number) => boolean> = {
  point: (n) => n === 2,
  polygon: (n) => n % 2 === 0 && n >= 6 && n <= 2 * MAX_VERTICES,
  freehand: (n) => n % 2 === 0 && n >= 6 && n <= 2 * MAX_VERTICES,
  line: (n) => n === 4,
  rectangle: (n) => n === 4,
  ellipse: (n) => n === 4,
};

/**
 * The same rules as checkGeometry, for `n` numbers from `at` (a unit test holds the two to the
 * same answer for any input). One pass over the typed array, no point arrays.
 */
export function checkFlatGeometry(type: string, c: Float64Array, at: number, n: number): boolean {
  const ok = FLAT_COUNTS[type];
  if (!ok || !ok(n) || at + n > c.length) return false;
  const coords = type === 'ellipse' ? 2 : n;
  for (let i = at; i < at + coords; i++) {
    const v = c[i]!;
    if (!(v >= -MAX_COORD && v <= MAX_COORD)) return false; // also false for NaN
  }
  if (type === 'ellipse') {
    const rx = c[at + 2]!;
    const ry = c[at + 3]!;
    return rx > 0 && ry > 0 && rx <= MAX_COORD && ry <= MAX_COORD;
  }
  return true;
}

/** What is known of a flat geometry without building it. */
export interface FlatSummary {
  readonly bounds: Bounds;
  /** The density grid's anchor, computed exactly as anchorOf computes it from the geometry. */
  readonly anchor: Pt;
}

interface Flat extends FlatSummary {
  readonly type: string;
  readonly c: Float64Array;
  readonly at: number;
  readonly n: number;
  g: Geometry | undefined;
}

const flats = new WeakMap<object, Flat>();

/** One getter shared by every flat annotation, so they all keep one hidden class. */
function geometryGetter(this: object): Geometry {
  const f = flats.get(this)!;
  return (f.g ??= unflattenGeometry(f.type, f.c, f.at, f.n)!);
}

function summarise(type: string, c: Float64Array, at: number, n: number): FlatSummary {
  if (type === 'ellipse') {
    const [x, y, rx, ry] = [c[at]!, c[at + 1]!, c[at + 2]!, c[at + 3]!];
    return { bounds: { minX: x - rx, minY: y - ry, maxX: x + rx, maxY: y + ry }, anchor: [x, y] };
  }
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let sx = 0;
  let sy = 0;
  for (let i = at; i < at + n; i += 2) {
    const x = c[i]!;
    const y = c[i + 1]!;
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
    sx += x;
    sy += y;
  }
  const bounds = { minX, minY, maxX, maxY };
  if (type === 'point') return { bounds, anchor: [c[at]!, c[at + 1]!] };
  if (type === 'rectangle') return { bounds, anchor: [(c[at]! + c[at + 2]!) / 2, (c[at + 1]! + c[at + 3]!) / 2] };
  return { bounds, anchor: [sx / (n / 2), sy / (n / 2)] };
}

/**
 * Gives `fields` (everything of an annotation but its geometry) a geometry read from flat
 * numbers, built on first access. The property is own and enumerable, so spreading, JSON and
 * structured clone all see an ordinary annotation. The numbers must have passed
 * checkFlatGeometry.
 */
export function withFlatGeometry(fields: Omit<Annotation, 'geometry'>, type: string, c: Float64Array, at: number, n: number): Annotation {
  const s = summarise(type, c, at, n);
  flats.set(fields, { type, c, at, n, g: undefined, bounds: s.bounds, anchor: s.anchor });
  Object.defineProperty(fields, 'geometry', { get: geometryGetter, enumerable: true, configurable: true });
  return fields as Annotation;
}

/** Bounds and anchor of an annotation read flat, or undefined for any other annotation. */
export function flatSummary(a: Annotation): FlatSummary | undefined {
  return flats.get(a);
}
