import type { Bounds, Pt } from './geometry';
import { area, bounds, ellipsePolygon, isFinitePoint, pathLength } from './geometry';

/**
 * Annotations belong to a slide and live in its full-resolution image pixels, so they line up
 * in every figure view of that slide and in compare mode.
 */

export type Geometry =
  | { readonly type: 'point'; readonly point: Pt }
  | { readonly type: 'polygon'; readonly points: readonly Pt[] }
  | { readonly type: 'freehand'; readonly points: readonly Pt[] }
  | { readonly type: 'rectangle'; readonly min: Pt; readonly max: Pt }
  | { readonly type: 'ellipse'; readonly center: Pt; readonly rx: number; readonly ry: number }
  | { readonly type: 'line'; readonly points: readonly [Pt, Pt] };

export type GeometryType = Geometry['type'];

export interface Annotation {
  readonly id: string;
  readonly slideId: string;
  readonly classId: string;
  readonly geometry: Geometry;
  /** Short text drawn beside the shape. */
  readonly label: string;
  /** Plain text; never parsed as HTML. */
  readonly note: string;
  readonly author: string;
  /** ms since the epoch */
  readonly created: number;
  readonly updated: number;
  /** Increases by one with every saved edit; used to refuse overwriting another tab's newer edit. */
  readonly rev: number;
}

/** Largest coordinate we accept: far beyond any slide, far below float trouble. */
export const MAX_COORD = 1e7;
export const MAX_TEXT = 10_000;
export const MAX_VERTICES = 100_000;

/** The outline used for hit tests, areas and drawing (points and lines have none). */
export function outline(g: Geometry): Pt[] {
  switch (g.type) {
    case 'point':
      return [g.point];
    case 'polygon':
    case 'freehand':
      return g.points.slice();
    case 'rectangle':
      return [g.min, [g.max[0], g.min[1]], g.max, [g.min[0], g.max[1]]];
    case 'ellipse':
      return ellipsePolygon(g.center[0], g.center[1], g.rx, g.ry);
    case 'line':
      return g.points.slice();
  }
}

export function isArea(g: Geometry): boolean {
  return g.type === 'polygon' || g.type === 'freehand' || g.type === 'rectangle' || g.type === 'ellipse';
}

export function geometryBounds(g: Geometry): Bounds {
  switch (g.type) {
    case 'ellipse':
      return { minX: g.center[0] - g.rx, minY: g.center[1] - g.ry, maxX: g.center[0] + g.rx, maxY: g.center[1] + g.ry };
    case 'point':
      return { minX: g.point[0], minY: g.point[1], maxX: g.point[0], maxY: g.point[1] };
    case 'rectangle':
      return bounds([g.min, g.max]);
    default:
      // No outline copy: this runs for every shape when a slide opens.
      return bounds(g.points);
  }
}

/** Area in µm² (0 for points and lines). */
export function areaUm2(g: Geometry, mpp: number): number {
  if (g.type === 'ellipse') return Math.PI * g.rx * g.ry * mpp * mpp;
  return isArea(g) ? area(outline(g)) * mpp * mpp : 0;
}

/** Length in µm of a line (the ruler) or perimeter of a shape. */
export function lengthUm(g: Geometry, mpp: number): number {
  if (g.type === 'line') return pathLength(g.points) * mpp;
  const o = outline(g);
  return o.length > 1 ? (pathLength(o) + pathLength([o[o.length - 1]!, o[0]!])) * mpp : 0;
}

/** The geometry with every point mapped by `p` (and an ellipse's radii by `len`). */
function mapGeometry(g: Geometry, p: (q: Pt) => Pt, len: (v: number) => number = (v) => v): Geometry {
  switch (g.type) {
    case 'point':
      return { type: 'point', point: p(g.point) };
    case 'polygon':
    case 'freehand':
      return { type: g.type, points: g.points.map(p) };
    case 'rectangle':
      return { type: 'rectangle', min: p(g.min), max: p(g.max) };
    case 'ellipse':
      return { type: 'ellipse', center: p(g.center), rx: len(g.rx), ry: len(g.ry) };
    case 'line':
      return { type: 'line', points: [p(g.points[0]), p(g.points[1])] };
  }
}

export function translate(g: Geometry, dx: number, dy: number): Geometry {
  return mapGeometry(g, (p) => [p[0] + dx, p[1] + dy]);
}

/**
 * The geometry with every number rounded to single precision, as QuPath keeps its ROIs: at
 * 40,000 px that is 1/256 px, far below anything drawn, and packed snapshots of such shapes
 * store half the bytes (storage/snapshot). The editor stores what it draws this way.
 */
export function singlePrecision(g: Geometry): Geometry {
  return mapGeometry(g, (q) => [Math.fround(q[0]), Math.fround(q[1])], Math.fround);
}

/**
 * Validates geometry from anywhere untrusted (a file, a stored record, another tab):
 * finite coordinates within ±MAX_COORD, enough vertices, not too many. Returns a message or
 * undefined.
 */
export function checkGeometry(g: unknown): string | undefined {
  if (typeof g !== 'object' || g === null) return 'geometry must be an object';
  const o = g as Record<string, unknown>;
  const pt = (p: unknown, what: string): string | undefined => {
    if (!isFinitePoint(p)) return `${what} must be two finite numbers`;
    if (Math.abs(p[0]) > MAX_COORD || Math.abs(p[1]) > MAX_COORD) return `${what} is too far out (beyond ${MAX_COORD} px)`;
    return undefined;
  };
  const pts = (min: number): string | undefined => {
    if (!Array.isArray(o['points'])) return 'points must be a list';
    const list = o['points'] as unknown[];
    if (list.length < min) return `a ${String(o['type'])} needs at least ${min} points`;
    if (list.length > MAX_VERTICES) return `too many points (${list.length} > ${MAX_VERTICES})`;
    for (let i = 0; i < list.length; i++) {
      const e = pt(list[i], `point ${i + 1}`);
      if (e) return e;
    }
    return undefined;
  };
  switch (o['type']) {
    case 'point':
      return pt(o['point'], 'the point');
    case 'polygon':
    case 'freehand':
      return pts(3);
    case 'line':
      return (Array.isArray(o['points']) && o['points'].length !== 2 ? 'a line has exactly 2 points' : undefined) ?? pts(2);
    case 'rectangle':
      return pt(o['min'], 'the corner') ?? pt(o['max'], 'the corner');
    case 'ellipse': {
      const e = pt(o['center'], 'the centre');
      if (e) return e;
      const rx = o['rx'];
      const ry = o['ry'];
      if (typeof rx !== 'number' || typeof ry !== 'number' || !(rx > 0) || !(ry > 0) || rx > MAX_COORD || ry > MAX_COORD)
        return 'ellipse radii must be positive finite numbers';
      return undefined;
    }
    default:
      return `unknown shape type "${String(o['type'])}"`;
  }
}

export type ParseResult<T> = { readonly value: T; readonly error?: undefined } | { readonly value?: undefined; readonly error: string };

/** Parses a stored or received annotation record; never half-applies. */
export function parseAnnotation(input: unknown): ParseResult<Annotation> {
  if (typeof input !== 'object' || input === null) return { error: 'annotation must be an object' };
  const o = input as Record<string, unknown>;
  const fe = checkFields(o);
  if (fe) return { error: fe };
  const ge = checkGeometry(o['geometry']);
  if (ge) return { error: `annotation geometry: ${ge}` };
  return { value: o as unknown as Annotation };
}

/** Everything but the geometry (which packed snapshots check in bulk, see storage/snapshot). */
export function checkFields(o: Record<string, unknown>): string | undefined {
  for (const k of ['id', 'slideId', 'classId'] as const)
    if (typeof o[k] !== 'string' || (o[k] as string).length === 0 || (o[k] as string).length > 200) return `annotation.${k} must be a short string`;
  for (const k of ['label', 'note', 'author'] as const)
    if (typeof o[k] !== 'string' || (o[k] as string).length > MAX_TEXT) return `annotation.${k} must be text of at most ${MAX_TEXT} characters`;
  for (const k of ['created', 'updated', 'rev'] as const) if (typeof o[k] !== 'number' || !Number.isFinite(o[k])) return `annotation.${k} must be a number`;
  return undefined;
}

