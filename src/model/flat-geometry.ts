import type { Annotation, Geometry } from './annotation';
import { geometryBounds } from './annotation';
import { MAX_COORD, MAX_VERTICES } from './annotation-schema';
import type { Bounds, Pt } from './geometry';

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
      return;
    case 'region':
      // Counts before what they count: polygons, then per polygon its rings, per ring its points.
      out.push(g.polygons.length);
      for (const poly of g.polygons) {
        out.push(poly.length);
        for (const ring of poly) {
          out.push(ring.length);
          for (const p of ring) out.push(p[0], p[1]);
        }
      }
  }
}

/**
 * Walks a flat region's counts (see flattenGeometry), calling `ring` with the start of each
 * ring's coordinates and its point count; false when the counts do not add up to exactly `n`
 * numbers or break the schema's limits.
 */
function walkRegion(c: FlatCoords, at: number, n: number, ring?: (start: number, points: number, outer: boolean) => void): boolean {
  const end = at + n;
  let i = at;
  const count = (): number => {
    const v = i < end ? c[i++]! : NaN;
    return Number.isInteger(v) ? v : -1;
  };
  const polys = count();
  if (polys < 1) return false;
  let total = 0;
  for (let p = 0; p < polys; p++) {
    const rs = count();
    if (rs < 1) return false;
    for (let r = 0; r < rs; r++) {
      const pts = count();
      if (pts < 3 || i + 2 * pts > end) return false;
      total += pts;
      if (total > MAX_VERTICES) return false;
      ring?.(i, pts, r === 0);
      i += 2 * pts;
    }
  }
  return i === end;
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
    case 'region': {
      const polygons: Pt[][][] = [];
      const ok = walkRegion(c, at, n, (start, points, outer) => {
        const ring: Pt[] = new Array<Pt>(points);
        for (let k = 0; k < points; k++) ring[k] = [c[start + 2 * k]!, c[start + 2 * k + 1]!];
        if (outer) polygons.push([ring]);
        else polygons[polygons.length - 1]!.push(ring);
      });
      return ok ? { type, polygons } : undefined;
    }
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
  region: (n) => n >= 9,
};

/**
 * The same rules as checkGeometry, for `n` numbers from `at` (a unit test holds the two to the
 * same answer for any input). One pass over the typed array, no point arrays.
 */
export function checkFlatGeometry(type: string, c: FlatCoords, at: number, n: number): boolean {
  const ok = FLAT_COUNTS[type];
  if (!ok || !ok(n) || at + n > c.length) return false;
  if (type === 'region') {
    let inRange = true;
    const shaped = walkRegion(c, at, n, (start, points) => {
      for (let k = start; k < start + 2 * points; k++) {
        const v = c[k]!;
        if (!(v >= -MAX_COORD && v <= MAX_COORD)) inRange = false;
      }
    });
    return shaped && inRange;
  }
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
  const span = (from: number, to: number): void => {
    for (let i = from; i < to; i += 2) {
      const x = c[i]!;
      const y = c[i + 1]!;
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  };
  // A region's holes lie inside its outer rings: those give the bounds.
  if (f.type === 'region') walkRegion(c, at, n, (start, points, outer) => outer && span(start, start + 2 * points));
  else span(at, at + n);
  out[0] = minX;
  out[1] = minY;
  out[2] = maxX;
  out[3] = maxY;
  return true;
}

/** An annotation's bounds: read flat when it came from a snapshot, so its geometry stays unbuilt. */
export function annotationBounds(a: Annotation): Bounds {
  const box = [0, 0, 0, 0];
  return flatBounds(a, box) ? { minX: box[0]!, minY: box[1]!, maxX: box[2]!, maxY: box[3]! } : geometryBounds(a.geometry);
}

/** The geometry type of an annotation read flat, without building its geometry; undefined for any other. */
export function flatType(a: Annotation): string | undefined {
  return (a as Holder)[FLAT]?.type;
}

/** The density grid's anchor of an annotation read flat, exactly as anchorOf computes it from the geometry. */
export function flatAnchor(a: Annotation): Pt | undefined {
  const f = (a as Holder)[FLAT];
  if (!f) return undefined;
  const { type, c, at, n } = f;
  if (type === 'point' || type === 'ellipse') return [c[at]!, c[at + 1]!];
  if (type === 'rectangle') return [(c[at]! + c[at + 2]!) / 2, (c[at + 1]! + c[at + 3]!) / 2];
  let from = at;
  let points = n / 2;
  // A region is counted at its first outer ring (as anchorOf does).
  if (type === 'region') {
    points = c[at + 2]!;
    from = at + 3;
  }
  let sx = 0;
  let sy = 0;
  for (let i = from; i < from + 2 * points; i += 2) {
    sx += c[i]!;
    sy += c[i + 1]!;
  }
  return [sx / points, sy / points];
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
