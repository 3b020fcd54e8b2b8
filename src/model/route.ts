/**
 * The URL hash is the app's address: it names the screen and, for viewers, the exact field,
 * so a teacher can send a student to one place on one slide.
 *
 *   #/                                   the case home
 *   #/figure/4?x=…&y=…&z=…&r=…           a figure (view optional: defaults to the figure's)
 *   #/slide/he?x=…&y=…&z=…&r=…           a whole slide
 *   #/compare/he,sma,ki67?x=…&link=0     two or three slides side by side
 *   #/image?dzi=<url>&mpp=0.5&x=…         a Deep Zoom pyramid of the user's own
 *
 * x, y: view centre in full-resolution image pixels; z: equivalent objective magnification;
 * r: rotation in degrees.
 */

export interface ViewState {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly r: number;
}

export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'figure'; readonly figure: number; readonly view?: ViewState }
  | { readonly name: 'slide'; readonly slide: string; readonly view?: ViewState }
  | { readonly name: 'compare'; readonly slides: readonly string[]; readonly view?: ViewState; readonly linked: boolean }
  | { readonly name: 'image'; readonly url: string; readonly mpp: number; readonly view?: ViewState };

/** Same-origin paths and http(s) URLs only: a link must never smuggle in javascript: or data:. */
export function isSafeImageUrl(url: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return /^https?:\/\//i.test(url);
  return url.length > 0 && !url.startsWith('//');
}

const SLIDE_ID = /^[A-Za-z0-9_-]{1,64}$/;

function parseView(q: URLSearchParams): ViewState | undefined {
  const read = (k: string): number | undefined => {
    const s = q.get(k);
    if (s === null || s.trim() === '') return undefined;
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  };
  const x = read('x');
  const y = read('y');
  const z = read('z');
  if (x === undefined || y === undefined || z === undefined || z <= 0) return undefined;
  const r = read('r') ?? 0;
  return { x, y, z, r: normalizeRotation(r) };
}

export function normalizeRotation(deg: number): number {
  const r = ((deg % 360) + 360) % 360;
  return r === 360 ? 0 : r;
}

/** Unknown or malformed hashes fall back to home rather than failing. */
export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = h.split('?', 2);
  const parts = pathPart.split('/').filter((p) => p !== '');
  const q = new URLSearchParams(queryPart);
  const view = parseView(q);
  const [head, arg] = parts;
  if (head === 'figure' && arg !== undefined && /^\d{1,3}$/.test(arg)) {
    return view ? { name: 'figure', figure: Number(arg), view } : { name: 'figure', figure: Number(arg) };
  }
  if (head === 'slide' && arg !== undefined && SLIDE_ID.test(arg)) {
    return view ? { name: 'slide', slide: arg, view } : { name: 'slide', slide: arg };
  }
  if (head === 'compare' && arg !== undefined) {
    const slides = arg.split(',').filter((s) => SLIDE_ID.test(s)).slice(0, 3);
    if (slides.length >= 1) {
      const linked = q.get('link') !== '0';
      return view ? { name: 'compare', slides, view, linked } : { name: 'compare', slides, linked };
    }
  }
  if (head === 'image') {
    const url = q.get('dzi');
    const mpp = Number(q.get('mpp') ?? '0.25');
    if (url && isSafeImageUrl(url) && Number.isFinite(mpp) && mpp > 0) {
      return view ? { name: 'image', url, mpp, view } : { name: 'image', url, mpp };
    }
  }
  return { name: 'home' };
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
