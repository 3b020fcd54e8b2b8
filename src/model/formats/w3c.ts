import * as v from 'valibot';
import type { Annotation } from '../annotation';
import { describeIssue } from '../annotation-schema';
import type { ParseResult } from '../annotation-schema';
import type { AnnotationClass } from '../classes';
import type { ImportedShape, ReadFile } from './imported';
import { SkipTally } from './imported';
import { parseSvgShape, svgShape } from './svg-shapes';
import { parseJsonTolerant } from './tolerant-json';

/**
 * W3C Web Annotation JSON as Annotorious v3 writes it: a list of Annotations (or one, or an
 * AnnotationPage / AnnotationCollection), each with a FragmentSelector `xywh=pixel:` for a
 * rectangle or an SvgSelector for any other shape, TextualBodies with purpose `tagging` (the
 * class) and `commenting` (the note), a creator and dates. Lamina's points, which Annotorious
 * lacks, are written as a circle of radius 1; its label as a `describing` body.
 */

export const W3C_FORMAT = 'W3C Web Annotation';

const text = v.pipe(v.string('must be text'), v.maxLength(1_000_000, 'is too long'));
const BodySchema = v.object({ type: v.optional(v.string()), purpose: v.optional(v.string()), value: v.optional(v.unknown()) });
const SelectorSchema = v.object({ type: v.string('must name its type'), value: v.optional(v.unknown()), conformsTo: v.optional(v.unknown()) });
const TargetSchema = v.union([
  v.string(),
  v.object({ source: v.optional(v.unknown()), selector: v.optional(v.union([v.array(SelectorSchema), SelectorSchema])) }),
]);

const AnnotationSchema = v.object(
  {
    id: v.optional(v.union([v.string(), v.number()])),
    type: v.optional(v.unknown()),
    body: v.optional(v.union([v.array(BodySchema), BodySchema, text])), // a list first: a list is an object too
    target: v.union([v.array(TargetSchema), TargetSchema], 'is missing or not a target'),
    creator: v.optional(v.unknown()),
    created: v.optional(v.unknown()),
    modified: v.optional(v.unknown()),
  },
  'must be an object',
);

type W3CAnnotation = v.InferOutput<typeof AnnotationSchema>;

function annotationsOf(json: unknown): unknown[] | undefined {
  if (Array.isArray(json)) return json;
  if (typeof json !== 'object' || json === null) return undefined;
  const o = json as { type?: unknown; items?: unknown; first?: { items?: unknown } };
  if (o.type === 'Annotation') return [json];
  if (o.type === 'AnnotationPage' && Array.isArray(o.items)) return o.items;
  if (o.type === 'AnnotationCollection' && Array.isArray(o.first?.items)) return o.first.items;
  return undefined;
}

/** Whether parsed JSON looks like W3C annotations rather than GeoJSON (format sniffing). */
export function looksLikeW3C(json: unknown): boolean {
  const list = annotationsOf(json);
  const first = list?.[0] as { type?: unknown; target?: unknown } | undefined;
  return !!first && (first.type === 'Annotation' || first.target !== undefined);
}

export function parseW3C(textIn: string): ParseResult<ReadFile> {
  const json = parseJsonTolerant(textIn);
  return json.error !== undefined ? { error: `Not a W3C annotation file: ${json.error}.` } : readW3C(json.value);
}

/** The same, from JSON already parsed. */
export function readW3C(value: unknown): ParseResult<ReadFile> {
  const list = annotationsOf(value);
  if (!list) return { error: 'Not a W3C annotation file: expected an Annotation, a list of them, or an AnnotationPage.' };
  const shapes: ImportedShape[] = [];
  const skipped = new SkipTally();
  for (let i = 0; i < list.length; i++) {
    const r = v.safeParse(AnnotationSchema, list[i]);
    if (!r.success) return { error: `annotation ${i + 1}: ${describeIssue('', r.issues)}` };
    const shape = readOne(r.output);
    if ('error' in shape) return { error: `annotation ${i + 1}: ${shape.error}` };
    if ('skip' in shape) skipped.add(shape.skip);
    else shapes.push(shape.shape);
  }
  return { value: { format: W3C_FORMAT, shapes, skipped: skipped.list(), notes: [] } };
}

function selectorOf(a: W3CAnnotation): v.InferOutput<typeof SelectorSchema> | string | undefined {
  for (const t of Array.isArray(a.target) ? a.target : [a.target]) {
    if (typeof t === 'string') {
      // A target that is a URL with a media fragment: image.jpg#xywh=…
      const frag = /#(xywh=.*)$/.exec(t)?.[1];
      if (frag) return frag;
      continue;
    }
    const sel = Array.isArray(t.selector) ? t.selector.find((s) => s.type === 'SvgSelector' || s.type === 'FragmentSelector') : t.selector;
    if (sel) return sel;
  }
  return undefined;
}

function readOne(a: W3CAnnotation): { shape: ImportedShape } | { skip: string } | { error: string } {
  const sel = selectorOf(a);
  if (!sel) return { skip: 'annotations without an image selector (whole-image notes)' };
  let geometry: ImportedShape['geometry'];
  const fragment = typeof sel === 'string' ? sel : sel.type === 'FragmentSelector' && typeof sel.value === 'string' ? sel.value : undefined;
  if (fragment !== undefined) {
    const m = /^xywh=(?:(pixel|percent):)?\s*([^,]+),([^,]+),([^,]+),([^,]+)$/.exec(fragment.trim());
    if (!m) return { error: `target.selector.value: "${fragment.slice(0, 60)}" is not an xywh fragment` };
    if (m[1] === 'percent') return { skip: 'rectangles in percent of the image (size unknown here)' };
    const [x, y, w, h] = [m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number];
    geometry = { type: 'rectangle', min: [x, y], max: [x + w, y + h] };
  } else if (typeof sel !== 'string' && sel.type === 'SvgSelector' && typeof sel.value === 'string') {
    const shape = parseSvgShape(sel.value);
    if ('reason' in shape) return { skip: shape.reason };
    geometry = shape.geometry;
  } else return { skip: `selectors of type ${typeof sel === 'string' ? 'text' : sel.type}` };
  const bodies = a.body === undefined ? [] : typeof a.body === 'string' ? [{ purpose: 'commenting', value: a.body }] : Array.isArray(a.body) ? a.body : [a.body];
  const values = (purpose: string): string[] => bodies.filter((b) => (b.purpose ?? (purpose === 'commenting' ? 'commenting' : '')) === purpose && typeof b.value === 'string').map((b) => b.value as string);
  const created = typeof a.created === 'string' ? Date.parse(a.created) : NaN;
  const modified = typeof a.modified === 'string' ? Date.parse(a.modified) : NaN;
  const author = creatorName(a.creator);
  const className = values('tagging')[0] ?? values('classifying')[0];
  return {
    shape: {
      ...(a.id !== undefined ? { sourceId: String(a.id).replace(/^#/, '') } : {}),
      geometry,
      ...(className ? { className } : {}),
      label: values('describing')[0] ?? values('identifying')[0] ?? '',
      note: values('commenting').join('\n\n'),
      ...(author !== undefined ? { author } : {}),
      ...(Number.isFinite(created) ? { created } : {}),
      ...(Number.isFinite(modified) ? { updated: modified } : {}),
    },
  };
}

function creatorName(c: unknown): string | undefined {
  if (typeof c === 'string') return c;
  if (typeof c === 'object' && c !== null) {
    const o = c as { name?: unknown; nickname?: unknown; id?: unknown };
    for (const k of [o.name, o.nickname, o.id]) if (typeof k === 'string') return k;
  }
  return undefined;
}

/** The annotations as W3C JSON for `source` (the slide's address); warns of what the format cannot carry. */
export function serializeW3C(annotations: readonly Annotation[], classOf: (id: string) => AnnotationClass | undefined, source: string): { text: string; warnings: string[] } {
  let freehand = 0;
  const out = annotations.map((a) => {
    const g = a.geometry;
    if (g.type === 'freehand') freehand++;
    const selector =
      g.type === 'rectangle'
        ? { type: 'FragmentSelector', conformsTo: 'http://www.w3.org/TR/media-frags/', value: `xywh=pixel:${g.min[0]},${g.min[1]},${g.max[0] - g.min[0]},${g.max[1] - g.min[1]}` }
        : { type: 'SvgSelector', value: svgShape(g) };
    const body = [
      { type: 'TextualBody', purpose: 'tagging', value: classOf(a.classId)?.name ?? a.classId },
      ...(a.label ? [{ type: 'TextualBody', purpose: 'describing', value: a.label }] : []),
      ...(a.note ? [{ type: 'TextualBody', purpose: 'commenting', value: a.note }] : []),
    ];
    return {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      id: a.id,
      type: 'Annotation',
      body,
      creator: { type: 'Person', name: a.author },
      created: new Date(a.created).toISOString(),
      modified: new Date(a.updated).toISOString(),
      target: { source, type: 'SpecificResource', selector },
    };
  });
  const warnings = freehand > 0 ? [`${freehand} freehand shape(s) are written as polygons: W3C selectors do not tell them apart.`] : [];
  return { text: JSON.stringify(out), warnings };
}
