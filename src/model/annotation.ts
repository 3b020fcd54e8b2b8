import type { Bounds, Pt } from './geometry';
import { area, bounds, ellipsePolygon, pathLength, pointInPolygon } from './geometry';

/**
 * Annotations belong to a slide and live in its full-resolution image pixels, so they line up
 * in every figure view of that slide and in compare mode. What a valid one is: annotation-schema.ts.
 */

export type Geometry =
  | { readonly type: 'point'; readonly point: Pt }
  | { readonly type: 'polygon'; readonly points: readonly Pt[] }
  | { readonly type: 'freehand'; readonly points: readonly Pt[] }
  | { readonly type: 'rectangle'; readonly min: Pt; readonly max: Pt }
  | { readonly type: 'ellipse'; readonly center: Pt; readonly rx: number; readonly ry: number }
  | { readonly type: 'line'; readonly points: readonly [Pt, Pt] }
  /**
   * Areas with holes, or several parts: QuPath's polygons with holes and multipolygons (a
   * necrosis with viable cuffs of tumour round its vessels). Each polygon is its outer ring
   * then its holes; rings are open (the first point is not repeated).
   */
  | { readonly type: 'region'; readonly polygons: RegionPolygons };

export type RegionPolygons = ReadonlyArray<ReadonlyArray<readonly Pt[]>>;

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

/**
 * The outline used for hit tests, areas and drawing (points and lines have none); of a region,
 * its first part's outer ring (see rings() for all of them).
 */
export function outline(g: Geometry): Pt[] {
  switch (g.type) {
    case 'region':
      return g.polygons[0]![0]!.slice();
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
  return g.type === 'polygon' || g.type === 'freehand' || g.type === 'rectangle' || g.type === 'ellipse' || g.type === 'region';
}

/** Every closed ring of an area (a region's outer rings and holes); the outline of any other shape. */
export function rings(g: Geometry): Pt[][] {
  return g.type === 'region' ? g.polygons.flatMap((poly) => poly.map((r) => r.slice())) : [outline(g)];
}

/** Whether (x, y) lies inside an area: inside an outer ring and outside its holes. */
export function containsPoint(g: Geometry, x: number, y: number): boolean {
  if (g.type === 'region') return g.polygons.some((poly) => pointInPolygon(x, y, poly[0]!) && !poly.slice(1).some((h) => pointInPolygon(x, y, h)));
  return isArea(g) && pointInPolygon(x, y, outline(g));
}

export function geometryBounds(g: Geometry): Bounds {
  switch (g.type) {
    case 'ellipse':
      return { minX: g.center[0] - g.rx, minY: g.center[1] - g.ry, maxX: g.center[0] + g.rx, maxY: g.center[1] + g.ry };
    case 'point':
      return { minX: g.point[0], minY: g.point[1], maxX: g.point[0], maxY: g.point[1] };
    case 'rectangle':
      return bounds([g.min, g.max]);
    case 'region':
      return bounds(g.polygons.flatMap((poly) => poly[0]!));
    default:
      // No outline copy: this runs for every shape when a slide opens.
      return bounds(g.points);
  }
}

/** Area in µm² (0 for points and lines). */
export function areaUm2(g: Geometry, mpp: number): number {
  if (g.type === 'ellipse') return Math.PI * g.rx * g.ry * mpp * mpp;
  if (g.type === 'region') return g.polygons.reduce((s, poly) => s + area(poly[0]!) - poly.slice(1).reduce((h, r) => h + area(r), 0), 0) * mpp * mpp;
  return isArea(g) ? area(outline(g)) * mpp * mpp : 0;
}

/** Length in µm of a line (the ruler) or perimeter of a shape. */
export function lengthUm(g: Geometry, mpp: number): number {
  if (g.type === 'line') return pathLength(g.points) * mpp;
  if (g.type === 'region') return rings(g).reduce((s, r) => s + (pathLength(r) + pathLength([r[r.length - 1]!, r[0]!])) * mpp, 0);
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
    case 'region':
      return { type: 'region', polygons: g.polygons.map((poly) => poly.map((r) => r.map(p))) };
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
