import type { Geometry } from '../annotation';
import type { Pt } from '../geometry';

/**
 * The SVG shapes of W3C SvgSelectors as Annotorious v3 writes them — <polygon points>,
 * <ellipse>, <circle>, <line>, <rect>, and <path d> with straight segments (a multipolygon is
 * one <path fill-rule="evenodd"> per part) — read without a DOM: the text is only ever scanned
 * for numbers, never parsed as markup or inserted anywhere, so nothing in it can run.
 */

/** The value of attribute `name` on the first element `tag` in `svg` (case-insensitive). */
function attr(element: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(element);
  return m ? (m[2] ?? m[3]) : undefined;
}

function elements(svg: string, tag: string): string[] {
  return svg.match(new RegExp(`<${tag}\\b[^>]*>`, 'gi')) ?? [];
}

const num = (s: string | undefined): number => (s === undefined || s.trim() === '' ? NaN : Number(s));

function pointList(s: string): Pt[] | undefined {
  const n = s.trim().split(/[\s,]+/).map(Number);
  if (n.length < 2 || n.length % 2 !== 0 || n.some((x) => !Number.isFinite(x))) return undefined;
  const out: Pt[] = [];
  for (let i = 0; i < n.length; i += 2) out.push([n[i]!, n[i + 1]!]);
  return out;
}

/**
 * Rings of a path made of straight segments (M, L, H, V, Z, absolute or relative). Curves (C,
 * Q, A…) are not areas Lamina can hold exactly: undefined.
 */
export function pathRings(d: string): Pt[][] | undefined {
  const tokens = d.match(/[a-zA-Z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g);
  if (!tokens) return undefined;
  const rings: Pt[][] = [];
  let ring: Pt[] = [];
  let x = 0;
  let y = 0;
  let cmd = '';
  let i = 0;
  const next = (): number => Number(tokens[i++]);
  while (i < tokens.length) {
    if (/[a-zA-Z]/.test(tokens[i]!)) cmd = tokens[i++]!;
    const rel = cmd === cmd.toLowerCase();
    switch (cmd.toUpperCase()) {
      case 'M': {
        if (ring.length) rings.push(ring);
        const nx = next();
        const ny = next();
        x = rel ? x + nx : nx;
        y = rel ? y + ny : ny;
        ring = [[x, y]];
        cmd = rel ? 'l' : 'L'; // numbers after a moveto are linetos
        break;
      }
      case 'L': {
        const nx = next();
        const ny = next();
        x = rel ? x + nx : nx;
        y = rel ? y + ny : ny;
        ring.push([x, y]);
        break;
      }
      case 'H': {
        const nx = next();
        x = rel ? x + nx : nx;
        ring.push([x, y]);
        break;
      }
      case 'V': {
        const ny = next();
        y = rel ? y + ny : ny;
        ring.push([x, y]);
        break;
      }
      case 'Z':
        if (ring.length) rings.push(ring);
        if (ring.length) [x, y] = ring[0]!;
        ring = [];
        cmd = '';
        break;
      default:
        return undefined;
    }
    if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
  }
  if (ring.length) rings.push(ring);
  // A closing point that repeats the first adds nothing.
  for (const r of rings) if (r.length > 3 && r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1]) r.pop();
  return rings;
}

/** The shape in an SvgSelector's value, or a reason it is not one Lamina can hold. */
export function parseSvgShape(svg: string): { geometry: Geometry } | { reason: string } {
  if (/\btransform\s*=/i.test(svg)) return { reason: 'SVG shapes with a transform (rotated rectangles)' };
  const polygon = elements(svg, 'polygon')[0];
  if (polygon) {
    const pts = pointList(attr(polygon, 'points') ?? '');
    return pts && pts.length >= 3 ? { geometry: { type: 'polygon', points: pts } } : { reason: 'SVG polygons without three valid points' };
  }
  const ellipse = elements(svg, 'ellipse')[0];
  if (ellipse) return { geometry: { type: 'ellipse', center: [num(attr(ellipse, 'cx')), num(attr(ellipse, 'cy'))], rx: num(attr(ellipse, 'rx')), ry: num(attr(ellipse, 'ry')) } };
  const circle = elements(svg, 'circle')[0];
  if (circle) {
    const c: Pt = [num(attr(circle, 'cx')), num(attr(circle, 'cy'))];
    const r = num(attr(circle, 'r'));
    // Lamina writes points as tiny circles (Annotorious has no points); a real circle stays an ellipse.
    return r > POINT_RADIUS ? { geometry: { type: 'ellipse', center: c, rx: r, ry: r } } : { geometry: { type: 'point', point: c } };
  }
  const line = elements(svg, 'line')[0];
  if (line) return { geometry: { type: 'line', points: [[num(attr(line, 'x1')), num(attr(line, 'y1'))], [num(attr(line, 'x2')), num(attr(line, 'y2'))]] } };
  const rect = elements(svg, 'rect')[0];
  if (rect) {
    const x = num(attr(rect, 'x'));
    const y = num(attr(rect, 'y'));
    return { geometry: { type: 'rectangle', min: [x, y], max: [x + num(attr(rect, 'width')), y + num(attr(rect, 'height'))] } };
  }
  const paths = elements(svg, 'path');
  if (paths.length > 0) {
    const polygons: Pt[][][] = [];
    for (const p of paths) {
      const d = attr(p, 'd') ?? '';
      if (!/[zZ]/.test(d)) return { reason: 'open SVG paths (polylines)' };
      const rings = pathRings(d);
      if (!rings || rings.length === 0) return { reason: 'SVG paths with curves' };
      polygons.push(rings);
    }
    if (polygons.length === 1 && polygons[0]!.length === 1) return { geometry: { type: 'polygon', points: polygons[0]![0]! } };
    return { geometry: { type: 'region', polygons } };
  }
  return { reason: 'SVG selectors with no shape Lamina knows' };
}

/** Radius of the circle a point is written as. */
export const POINT_RADIUS = 1;

const pts = (ps: readonly Pt[]): string => ps.map((p) => `${p[0]},${p[1]}`).join(' ');
const ringPath = (r: readonly Pt[]): string => `M ${r.map((p) => `${p[0]},${p[1]}`).join(' L ')} Z`;

/** The SvgSelector value for a shape (rectangles go as FragmentSelectors, see w3c.ts). */
export function svgShape(g: Geometry): string {
  switch (g.type) {
    case 'point':
      return `<svg><circle cx="${g.point[0]}" cy="${g.point[1]}" r="${POINT_RADIUS}" /></svg>`;
    case 'polygon':
    case 'freehand':
      return `<svg><polygon points="${pts(g.points)}" /></svg>`;
    case 'ellipse':
      return `<svg><ellipse cx="${g.center[0]}" cy="${g.center[1]}" rx="${g.rx}" ry="${g.ry}" /></svg>`;
    case 'line':
      return `<svg><line x1="${g.points[0][0]}" y1="${g.points[0][1]}" x2="${g.points[1][0]}" y2="${g.points[1][1]}" /></svg>`;
    case 'rectangle':
      return `<svg><rect x="${g.min[0]}" y="${g.min[1]}" width="${g.max[0] - g.min[0]}" height="${g.max[1] - g.min[1]}" /></svg>`;
    case 'region':
      return `<svg><g>${g.polygons.map((poly) => `<path fill-rule="evenodd" d="${poly.map(ringPath).join(' ')}" />`).join('')}</g></svg>`;
  }
}
