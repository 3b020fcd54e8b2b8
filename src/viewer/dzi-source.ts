import OpenSeadragon from 'openseadragon';
import type { DziFields } from './dzi-descriptor';
import { describeDziFailure, dziTilesLocation, parseDziFields } from './dzi-descriptor';

/**
 * Fetches and reads a Deep Zoom descriptor, then builds OpenSeadragon's tile source from it;
 * or says in words what failed (see dzi-descriptor.ts for why Lamina does this itself).
 * Rejects only when aborted.
 */
export async function loadDziSource(url: string, signal: AbortSignal): Promise<{ source: OpenSeadragon.TileSource } | { error: string }> {
  let res: Response;
  try {
    // As OpenSeadragon asked: CORS for another site, no cookies sent to it.
    res = await fetch(url, { signal, credentials: 'same-origin' });
  } catch (e) {
    if (signal.aborted) throw e;
    return { error: describeDziFailure(url, { kind: 'network' }) };
  }
  if (!res.ok) return { error: describeDziFailure(url, { kind: 'http', status: res.status, statusText: res.statusText }) };
  const text = await res.text();
  const parsed = parseDziFields(readFields(text));
  if (parsed.error) return { error: describeDziFailure(url, parsed.error) };
  const d = parsed.value;
  const { tilesUrl, queryParams } = dziTilesLocation(url);
  const source = new OpenSeadragon.DziTileSource({ width: d.width, height: d.height, tileSize: d.tileSize, tileOverlap: d.overlap, tilesUrl, fileFormat: d.format, displayRects: [] });
  source.queryParams = queryParams;
  return { source };
}

function readFields(text: string): DziFields {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) {
    return { root: '', namespace: null, format: null, tileSize: null, overlap: null, width: null, height: null, hasSize: false };
  }
  const root = doc.documentElement;
  const size = root.getElementsByTagNameNS('*', 'Size')[0];
  return {
    root: root.localName,
    namespace: root.namespaceURI,
    format: root.getAttribute('Format'),
    tileSize: root.getAttribute('TileSize'),
    overlap: root.getAttribute('Overlap'),
    width: size?.getAttribute('Width') ?? null,
    height: size?.getAttribute('Height') ?? null,
    hasSize: size !== undefined,
  };
}
