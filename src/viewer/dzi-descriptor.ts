/**
 * Deep Zoom descriptors (the .dzi file: tile size, overlap, format, image size), read at the
 * boundary into a typed value or a failure that can be said in words. Lamina fetches the
 * descriptor itself rather than handing OpenSeadragon the URL: OpenSeadragon reports a dead
 * server as "HTTP 0 attempting to load TileSource", and a descriptor it half-understands (no
 * Size, TIFF tiles) throws inside its XHR callback, leaving a blank viewer and no message.
 * Pure: the DOM side (fetch, DOMParser) is in dzi-source.ts.
 */

/** What the XML said, as text, before any checking. */
export interface DziFields {
  /** Local name of the root element; empty where the text is not XML. */
  readonly root: string;
  readonly namespace: string | null;
  readonly format: string | null;
  readonly tileSize: string | null;
  readonly overlap: string | null;
  /** Null when there is no Size element. */
  readonly width: string | null;
  readonly height: string | null;
  readonly hasSize: boolean;
}

export interface DziDescriptor {
  readonly format: string;
  readonly tileSize: number;
  readonly overlap: number;
  readonly width: number;
  readonly height: number;
}

export type DziFailure =
  | { readonly kind: 'network' }
  | { readonly kind: 'http'; readonly status: number; readonly statusText: string }
  | { readonly kind: 'invalid'; readonly detail: string }
  | { readonly kind: 'format'; readonly format: string };

/** Tile formats a browser decodes. */
const FORMATS = new Set(['jpg', 'jpeg', 'png', 'webp', 'avif', 'gif']);
const NAMESPACE = /schemas\.microsoft\.com\/deepzoom\/200[89]/i;

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  410: 'Gone',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A whole number in [min, max], or undefined. */
function whole(s: string | null, min: number, max: number): number | undefined {
  if (s === null || !/^\s*\d+\s*$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
}

function cut(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

export function parseDziFields(f: DziFields): { readonly value: DziDescriptor; readonly error?: undefined } | { readonly error: DziFailure } {
  const invalid = (detail: string) => ({ error: { kind: 'invalid', detail } }) as const;
  if (f.root === '') return invalid('it is not XML');
  if (f.root === 'Collection') return invalid('it describes a Deep Zoom collection, not one image');
  if (f.root !== 'Image') return invalid(`its root element is <${cut(f.root)}>, not <Image>`);
  if (!f.namespace || !NAMESPACE.test(f.namespace)) return invalid('its <Image> is not in the Deep Zoom namespace');
  const tileSize = whole(f.tileSize, 1, 8192);
  if (tileSize === undefined) return invalid('its TileSize is not a whole number from 1 to 8192');
  const overlap = whole(f.overlap ?? '0', 0, tileSize - 1);
  if (overlap === undefined) return invalid('its Overlap is not a whole number smaller than the tile size');
  if (!f.hasSize) return invalid('it has no <Size>');
  const width = whole(f.width, 1, 2 ** 31);
  const height = whole(f.height, 1, 2 ** 31);
  if (width === undefined || height === undefined) return invalid('its <Size> has no whole-number Width and Height');
  const format = (f.format ?? '').trim().toLowerCase();
  if (format === '') return invalid('it names no tile Format');
  if (!FORMATS.has(format)) return { error: { kind: 'format', format: cut(format, 12) } };
  return { value: { format, tileSize, overlap, width, height } };
}

/** The failure in words, naming the descriptor's address. */
export function describeDziFailure(url: string, f: DziFailure): string {
  switch (f.kind) {
    case 'network':
      return `The Deep Zoom descriptor at ${url} could not be loaded (network error, or the server refused it).`;
    case 'http': {
      const text = f.statusText || STATUS_TEXT[f.status];
      return `The Deep Zoom descriptor at ${url} could not be loaded: the server answered HTTP ${f.status}${text ? ` ${text}` : ''}.`;
    }
    case 'invalid':
      return `The file at ${url} is not a valid Deep Zoom descriptor (${f.detail}).`;
    case 'format':
      return `The Deep Zoom image at ${url} has ${f.format.toUpperCase()} tiles, which a browser cannot show.`;
  }
}

/**
 * Where the tiles are: beside the descriptor, `name.dzi?q` → `name_files/<level>/<col>_<row>.<format>?q`
 * (OpenSeadragon's own rule; the query string is kept for signed URLs). A descriptor's legacy
 * Url attribute is not followed, so a descriptor on one site cannot send the browser to
 * another unasked.
 */
export function dziTilesLocation(url: string): { tilesUrl: string; queryParams: string } {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return { tilesUrl: `${path.replace(/\.(dzi|xml)$/i, '').replace(/\/$/, '')}_files/`, queryParams: q < 0 ? '' : url.slice(q) };
}
