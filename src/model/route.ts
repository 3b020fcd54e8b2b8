import { isFileSlideId } from './slide-id';

/**
 * The URL hash is the app's address: it names the screen and, for viewers, the exact field,
 * so a teacher can send a student to one place on one slide.
 *
 *   #/                                   the case home
 *   #/figure/4?x=…&y=…&z=…&r=…           a figure (view optional: defaults to the figure's)
 *   #/slide/he?x=…&y=…&z=…&r=…           a whole slide
 *   #/compare/he,sma,ki67?x=…&link=0     two or three slides side by side
 *   #/image?dzi=<url>&mpp=0.5&x=…         a Deep Zoom pyramid of the user's own
 *   #/study/<set>?item=1&step=2          a teaching set's tour (item and step count from 1)
 *   #/file/<id>?x=…                      a slide file the user opened, by its content hash id
 *
 * x, y: view centre in full-resolution image pixels; z: equivalent objective magnification;
 * r: rotation in degrees. Numbers that are well formed but out of range (z=100000, x=1e15) are
 * the viewer's to clamp, since only it knows the slide's size; an address that is malformed
 * parses to an `invalid` route that says why, so a broken link is never silently the home page.
 */

export interface ViewState {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly r: number;
}

/** An address Lamina can show. */
export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'figure'; readonly figure: number; readonly view?: ViewState }
  | { readonly name: 'slide'; readonly slide: string; readonly view?: ViewState }
  | { readonly name: 'compare'; readonly slides: readonly string[]; readonly view?: ViewState; readonly linked: boolean }
  | { readonly name: 'image'; readonly url: string; readonly mpp: number; readonly view?: ViewState }
  /** A slide file of the user's own (model/slide-id.ts): found again through the app's records. */
  | { readonly name: 'file'; readonly id: string; readonly view?: ViewState }
  /** A teaching set studied: its item and tour step, from 0 (the address counts from 1). */
  | { readonly name: 'study'; readonly set: string; readonly item: number; readonly step: number };

/**
 * An address Lamina cannot follow. `reason` is a sentence for the user (plain text: it may
 * quote the address, so it must never be rendered as HTML); `suggestion` is the nearest address
 * that works, where there is one (the same screen without a malformed view).
 */
export interface InvalidRoute {
  readonly name: 'invalid';
  readonly reason: string;
  readonly suggestion?: Route;
}

export type ParsedRoute = Route | InvalidRoute;

/** Same-origin paths and http(s) URLs only: a link must never smuggle in javascript: or data:. */
export function isSafeImageUrl(url: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return /^https?:\/\//i.test(url);
  return url.length > 0 && !url.startsWith('//');
}

/**
 * The origin an image address points at when it is not the page's own, else undefined.
 * A shared link must not make the browser fetch from a server the user never chose.
 */
export function foreignOrigin(url: string, pageHref: string): string | undefined {
  const origin = new URL(url, pageHref).origin;
  return origin === new URL(pageHref).origin ? undefined : origin;
}

const SLIDE_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** The range of µm per image pixel an own image may claim: electron micrographs to whole organs. */
const MPP_RANGE = [0.001, 10_000] as const;

/** A piece of the address quoted back to the user, cut short so a hostile link cannot flood the page. */
function quote(s: string, max = 60): string {
  return `“${s.length > max ? `${s.slice(0, max)}…` : s}”`;
}

function invalid(reason: string, suggestion?: Route): InvalidRoute {
  return suggestion ? { name: 'invalid', reason, suggestion } : { name: 'invalid', reason };
}

type ViewParse = { readonly view: ViewState | undefined; readonly error?: undefined } | { readonly error: string };

function parseView(q: URLSearchParams): ViewParse {
  const keys = ['x', 'y', 'z', 'r'] as const;
  const given = keys.filter((k) => q.has(k));
  if (given.length === 0) return { view: undefined };
  const n: Partial<Record<(typeof keys)[number], number>> = {};
  for (const k of given) {
    const s = q.get(k)!;
    const v = s.trim() === '' ? NaN : Number(s);
    if (!Number.isFinite(v)) return { error: `The view's ${k} must be a number, not ${quote(s)}.` };
    n[k] = v;
  }
  if (n.x === undefined || n.y === undefined || n.z === undefined) {
    return { error: `A view needs x, y and z together; this address gives only ${given.join(', ')}.` };
  }
  if (n.z <= 0) return { error: `The view's z is a magnification and must be above 0, not ${quote(q.get('z')!)}.` };
  return { view: { x: n.x, y: n.y, z: n.z, r: normalizeRotation(n.r ?? 0) } };
}

export function normalizeRotation(deg: number): number {
  const r = ((deg % 360) + 360) % 360;
  return r === 360 ? 0 : r;
}

/** The screen an address names, without its view. */
function parseScreen(head: string, args: readonly string[], q: URLSearchParams): Route | InvalidRoute {
  const [arg] = args;
  const extra = args.slice(head === 'image' ? 0 : 1);
  if (extra.length > 0) return invalid(`The address has a part Lamina does not understand: ${quote(extra.join('/'))}.`);
  switch (head) {
    case 'figure':
      if (arg === undefined) return invalid('The address names no figure (a figure link looks like #/figure/4).');
      if (!/^\d{1,3}$/.test(arg)) return invalid(`${quote(arg)} is not a figure number (a figure link looks like #/figure/4).`);
      return { name: 'figure', figure: Number(arg) };
    case 'slide':
      if (arg === undefined) return invalid('The address names no slide (a slide link looks like #/slide/he).');
      if (!SLIDE_ID.test(arg)) return invalid(`${quote(arg)} is not a slide name (letters, digits, - and _ only).`);
      return { name: 'slide', slide: arg };
    case 'compare': {
      // A trailing comma is harmless; anything else that is not a slide name is a broken link.
      const slides = (arg ?? '').split(',').filter((s) => s !== '');
      if (slides.length === 0) return invalid('The address names no slides to compare (a compare link looks like #/compare/he,sma,ki67).');
      const bad = slides.find((s) => !SLIDE_ID.test(s));
      if (bad !== undefined) return invalid(`${quote(bad)} is not a slide name (letters, digits, - and _ only).`);
      if (slides.length > 3) return invalid(`Compare mode shows at most three slides; the address names ${slides.length}.`);
      return { name: 'compare', slides, linked: q.get('link') !== '0' };
    }
    case 'image': {
      const url = q.get('dzi');
      if (!url) return invalid('The address names no image: it needs dzi=<the address of a .dzi file>.');
      if (!isSafeImageUrl(url) || !URL.canParse(url, 'http://example.org/')) {
        return invalid(`Lamina opens images only from http(s) addresses or paths on this site, not ${quote(url, 40)}.`);
      }
      const rawMpp = q.get('mpp');
      const mpp = rawMpp === null ? 0.25 : rawMpp.trim() === '' ? NaN : Number(rawMpp);
      if (!(mpp >= MPP_RANGE[0] && mpp <= MPP_RANGE[1])) {
        return invalid(`mpp is the image's µm per pixel, a number from ${MPP_RANGE[0]} to ${MPP_RANGE[1]}, not ${quote(rawMpp ?? '')}.`);
      }
      return { name: 'image', url, mpp };
    }
    case 'file':
      if (arg === undefined) return invalid('The address names no slide file (a link to one looks like #/file/file-<40 hex digits>).');
      if (!isFileSlideId(arg)) return invalid(`${quote(arg)} is not a slide file's id (file- and 40 hex digits).`);
      return { name: 'file', id: arg };
    case 'study': {
      if (arg === undefined) return invalid('The address names no teaching set (a study link looks like #/study/<set>).');
      if (!SLIDE_ID.test(arg)) return invalid(`${quote(arg)} is not a teaching set's name.`);
      const index = (k: string): number | undefined => {
        const raw = q.get(k);
        if (raw === null) return 0;
        return /^\d{1,4}$/.test(raw) && Number(raw) >= 1 ? Number(raw) - 1 : undefined;
      };
      const item = index('item');
      const step = index('step');
      if (item === undefined || step === undefined) return invalid('In a study link, item and step are numbers counted from 1.', { name: 'study', set: arg, item: 0, step: 0 });
      return { name: 'study', set: arg, item, step };
    }
    default:
      return invalid(`Lamina has no page called ${quote(head)}.`);
  }
}

/** Browsers percent-encode the hash (`<` is %3C): read a part as it was written, if it decodes. */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** An empty address is the case home; anything else either names a screen or says why it cannot. */
export function parseRoute(hash: string): ParsedRoute {
  const h = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = h.split('?', 2);
  const parts = pathPart.split('/').filter((p) => p !== '').map(decodePart);
  const q = new URLSearchParams(queryPart);
  const [head, ...args] = parts;
  if (head === undefined) return { name: 'home' };
  const screen = parseScreen(head, args, q);
  if (screen.name === 'invalid' || screen.name === 'home' || screen.name === 'study') return screen;
  const v = parseView(q);
  if (v.error !== undefined) return invalid(v.error, screen);
  return v.view ? { ...screen, view: v.view } : screen;
}

/** Enough precision for a cell (0.1 px, 0.01x, 0.1°) without unreadable URLs. */
function viewQuery(v: ViewState): string {
  const round = (n: number, d: number): string => String(Math.round(n * 10 ** d) / 10 ** d);
  return `x=${round(v.x, 1)}&y=${round(v.y, 1)}&z=${round(v.z, 3)}&r=${round(v.r, 1)}`;
}

export function formatRoute(route: Route): string {
  switch (route.name) {
    case 'home':
      return '#/';
    case 'figure':
      return `#/figure/${route.figure}${route.view ? `?${viewQuery(route.view)}` : ''}`;
    case 'slide':
      return `#/slide/${route.slide}${route.view ? `?${viewQuery(route.view)}` : ''}`;
    case 'compare': {
      const parts: string[] = [];
      if (route.view) parts.push(viewQuery(route.view));
      if (!route.linked) parts.push('link=0');
      return `#/compare/${route.slides.join(',')}${parts.length ? `?${parts.join('&')}` : ''}`;
    }
    case 'image': {
      const q = new URLSearchParams({ dzi: route.url, mpp: String(route.mpp) }).toString();
      return `#/image?${q}${route.view ? `&${viewQuery(route.view)}` : ''}`;
    }
    case 'file':
      return `#/file/${route.id}${route.view ? `?${viewQuery(route.view)}` : ''}`;
    case 'study':
      return `#/study/${route.set}?item=${route.item + 1}&step=${route.step + 1}`;
  }
}

export function viewsEqual(a: ViewState | undefined, b: ViewState | undefined, tolerance = 0.5): boolean {
  if (!a || !b) return a === b;
  return (
    Math.abs(a.x - b.x) <= tolerance &&
    Math.abs(a.y - b.y) <= tolerance &&
    Math.abs(a.z - b.z) <= 0.005 * a.z &&
    Math.abs(a.r - b.r) <= 0.1
  );
}
