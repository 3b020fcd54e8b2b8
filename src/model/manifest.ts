import type { ViewState } from './route';
/**
 * The case manifest: what a case is made of (slides and the published figures' views on them).
 * Parsed at the boundary into typed values or one clear error; never half-applied.
 */

export interface Citation {
  readonly authors: string;
  readonly title: string;
  readonly journal: string;
  readonly year: number;
  readonly doi: string;
}

export type SlideSource =
  | { readonly kind: 'virtual'; readonly scene: string; readonly section: StainId }
  | { readonly kind: 'dzi'; readonly url: string }
  /** A slide file the user opened (never in a case manifest): its content hash id. */
  | { readonly kind: 'file'; readonly id: string };

export type StainId = 'he' | 'sma' | 'ki67';

export interface SlideInfo {
  readonly id: string;
  readonly name: string;
  readonly stain: string;
  /** Full-resolution size in image pixels. */
  readonly width: number;
  readonly height: number;
  /** Micrometres per full-resolution image pixel. */
  readonly mpp: number;
  readonly source: SlideSource;
}

/** A named view on a slide: centre and field width in slide micrometres. */
export interface FigureView {
  readonly number: number;
  readonly slide: string;
  readonly stain: string;
  /** The objective the published figure was taken with, e.g. 10 for "10x". */
  readonly objective: number;
  readonly centerUm: readonly [number, number];
  readonly fieldWidthUm: number;
  readonly rotation: number;
  readonly caption: string;
}

export interface CaseManifest {
  readonly id: string;
  readonly title: string;
  readonly summary: readonly string[];
  readonly citation: Citation;
  readonly slides: readonly SlideInfo[];
  readonly figures: readonly FigureView[];
}

export type ParseResult<T> = { readonly value: T; readonly error?: undefined } | { readonly value?: undefined; readonly error: string };

class ManifestError extends Error {}

type Obj = Record<string, unknown>;

function obj(v: unknown, where: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ManifestError(`${where} must be an object`);
  return v as Obj;
}
function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.trim() === '') throw new ManifestError(`${where}.${key} must be a non-empty string`);
  return v;
}
function num(o: Obj, key: string, where: string, min = -Infinity, max = Infinity): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ManifestError(`${where}.${key} must be a finite number`);
  if (v < min || v > max) throw new ManifestError(`${where}.${key} must be between ${min} and ${max} (got ${v})`);
  return v;
}
function arr(o: Obj, key: string, where: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new ManifestError(`${where}.${key} must be an array`);
  return v;
}

const STAINS: readonly StainId[] = ['he', 'sma', 'ki67'];

function parseSource(v: unknown, where: string): SlideSource {
  const o = obj(v, where);
  const kind = str(o, 'kind', where);
  if (kind === 'virtual') {
    const section = str(o, 'section', where);
    if (!STAINS.includes(section as StainId)) throw new ManifestError(`${where}.section must be one of ${STAINS.join(', ')}`);
    return { kind, scene: str(o, 'scene', where), section: section as StainId };
  }
  if (kind === 'dzi') return { kind, url: str(o, 'url', where) };
  throw new ManifestError(`${where}.kind must be "virtual" or "dzi" (got "${kind}")`);
}

function parseSlide(v: unknown, i: number): SlideInfo {
  const where = `slides[${i}]`;
  const o = obj(v, where);
  return {
    id: str(o, 'id', where),
    name: str(o, 'name', where),
    stain: str(o, 'stain', where),
    width: num(o, 'width', where, 1, 1e7),
    height: num(o, 'height', where, 1, 1e7),
    mpp: num(o, 'mpp', where, 0.01, 100),
    source: parseSource(o['source'], `${where}.source`),
  };
}

function parseFigure(v: unknown, i: number, slides: readonly SlideInfo[]): FigureView {
  const where = `figures[${i}]`;
  const o = obj(v, where);
  const slideId = str(o, 'slide', where);
  const slide = slides.find((s) => s.id === slideId);
  if (!slide) throw new ManifestError(`${where}.slide "${slideId}" is not one of the case's slides`);
  const c = arr(o, 'centerUm', where);
  if (c.length !== 2 || !c.every((n) => typeof n === 'number' && Number.isFinite(n)))
    throw new ManifestError(`${where}.centerUm must be [x, y] in micrometres`);
  const [cx, cy] = c as [number, number];
  if (cx < 0 || cy < 0 || cx > slide.width * slide.mpp || cy > slide.height * slide.mpp)
    throw new ManifestError(`${where}.centerUm lies outside slide "${slideId}"`);
  return {
    number: num(o, 'number', where, 1, 999),
    slide: slideId,
    stain: str(o, 'stain', where),
    objective: num(o, 'objective', where, 0.5, 100),
    centerUm: [cx, cy],
    fieldWidthUm: num(o, 'fieldWidthUm', where, 1, 1e6),
    rotation: num(o, 'rotation', where, -360, 360),
    caption: str(o, 'caption', where),
  };
}

function parseCitation(v: unknown): Citation {
  const o = obj(v, 'citation');
  return {
    authors: str(o, 'authors', 'citation'),
    title: str(o, 'title', 'citation'),
    journal: str(o, 'journal', 'citation'),
    year: num(o, 'year', 'citation', 1800, 3000),
    doi: str(o, 'doi', 'citation'),
  };
}

/** Validates untrusted JSON into a manifest, or says what is wrong with it. */
export function parseManifest(input: unknown): ParseResult<CaseManifest> {
  try {
    const o = obj(input, 'manifest');
    const slides = arr(o, 'slides', 'manifest').map(parseSlide);
    if (slides.length === 0) throw new ManifestError('manifest.slides must list at least one slide');
    const ids = new Set<string>();
    for (const s of slides) {
      if (ids.has(s.id)) throw new ManifestError(`slide id "${s.id}" appears twice`);
      ids.add(s.id);
    }
    const figures = arr(o, 'figures', 'manifest').map((f, i) => parseFigure(f, i, slides));
    const numbers = new Set<number>();
    for (const f of figures) {
      if (numbers.has(f.number)) throw new ManifestError(`figure ${f.number} appears twice`);
      numbers.add(f.number);
    }
    const summary = arr(o, 'summary', 'manifest');
    if (!summary.every((s) => typeof s === 'string')) throw new ManifestError('manifest.summary must be a list of strings');
    return {
      value: {
        id: str(o, 'id', 'manifest'),
        title: str(o, 'title', 'manifest'),
        summary: summary as string[],
        citation: parseCitation(o['citation']),
        slides,
        figures,
      },
    };
  } catch (e) {
    if (e instanceof ManifestError) return { error: `Invalid case manifest: ${e.message}` };
    throw e;
  }
}

export function slideById(m: CaseManifest, id: string): SlideInfo | undefined {
  return m.slides.find((s) => s.id === id);
}

export function figureByNumber(m: CaseManifest, n: number): FigureView | undefined {
  return m.figures.find((f) => f.number === n);
}

/** The figure's own view: its centre, its objective, its rotation. */
export function figureView(f: FigureView, slide: SlideInfo): ViewState {
  return { x: f.centerUm[0] / slide.mpp, y: f.centerUm[1] / slide.mpp, z: f.objective, r: f.rotation };
}
