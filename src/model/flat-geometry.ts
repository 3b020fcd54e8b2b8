import type { Annotation, Geometry } from './annotation';
import { MAX_COORD, MAX_VERTICES } from './annotation-schema';
import type { Pt } from './geometry';

/**
 * Geometry stored flat: x, y, x, y … (points, polygons, freehand, lines), min then max
 * (rectangles), or centre, rx, ry (ellipses), as numbers in a typed array.
 *
 * Opening a slide with 100k polygons would otherwise build ~1M little [x, y] arrays before the
 * first frame, most of them for shapes nobody zooms into. An annotation read flat gets its
 * geometry built on first use; its bounds and density anchor are known from the start.
 */

/** Single precision where that loses nothing (see storage/snapshot). */
export type FlatCoords = Float64Array | Float32Array;

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

export function unflattenGeometry(type: string, c: FlatCoords, at: number, n: number): Geometry | undefined {
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
export function checkFlatGeometry(type: string, c: FlatCoords, at: number, n: number): boolean {
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

interface Flat {
  readonly type: string;
  readonly c: FlatCoords;
  readonly at: number;
  readonly n: number;
  g: Geometry | undefined;
}

/**
 * Where an annotation read flat keeps its numbers: a non-enumerable symbol property, which
 * spreading, JSON and structured clone all skip (a WeakMap cost twice as much at 100k).
 */
const FLAT = Symbol('flat geometry');
type Holder = { [FLAT]?: Flat };

/** One getter shared by every flat annotation, so they all keep one hidden class. */
function geometryGetter(this: Holder): Geometry {
  const f = this[FLAT]!;
  return (f.g ??= unflattenGeometry(f.type, f.c, f.at, f.n)!);
}

/**
 * Writes minX, minY, maxX, maxY of an annotation read flat into `out` and returns true, without
 * building its geometry or allocating (bounds kept per annotation made 100k opens spend more
 * time in the garbage collector than reading); false for any other annotation.
 */
export function flatBounds(a: Annotation, out: Float64Array | number[]): boolean {
  const f = (a as Holder)[FLAT];
  if (!f) return false;
  const { c, at, n } = f;
  if (f.type === 'ellipse') {
    out[0] = c[at]! - c[at + 2]!;
    out[1] = c[at + 1]! - c[at + 3]!;
    out[2] = c[at]! + c[at + 2]!;
    out[3] = c[at + 1]! + c[at + 3]!;
    return true;
  }
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = at; i < at + n; i += 2) {
    const x = c[i]!;
    const y = c[i + 1]!;
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  out[0] = minX;
  out[1] = minY;
  out[2] = maxX;
  out[3] = maxY;
  return true;
}

/** The density grid's anchor of an annotation read flat, exactly as anchorOf computes it from the geometry. */
export function flatAnchor(a: Annotation): Pt | undefined {
  const f = (a as Holder)[FLAT];
  if (!f) return undefined;
  const { type, c, at, n } = f;
  if (type === 'point' || type === 'ellipse') return [c[at]!, c[at + 1]!];
  if (type === 'rectangle') return [(c[at]! + c[at + 2]!) / 2, (c[at + 1]! + c[at + 3]!) / 2];
  let sx = 0;
  let sy = 0;
  for (let i = at; i < at + n; i += 2) {
    sx += c[i]!;
    sy += c[i + 1]!;
  }
  return [sx / (n / 2), sy / (n / 2)];
}

/**
 * Gives `fields` (everything of an annotation but its geometry) a geometry read from flat
 * numbers, built on first access. The property is own and enumerable, so spreading, JSON and
 * structured clone all see an ordinary annotation. The numbers must have passed
 * checkFlatGeometry.
 */
export function withFlatGeometry(fields: Omit<Annotation, 'geometry'>, type: string, c: FlatCoords, at: number, n: number): Annotation {
  Object.defineProperty(fields, 'geometry', { get: geometryGetter, enumerable: true, configurable: true });
  Object.defineProperty(fields, FLAT, { value: { type, c, at, n, g: undefined }, writable: true });
  return fields as Annotation;
}
