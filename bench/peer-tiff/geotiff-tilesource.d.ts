/** geotiff-tilesource ships no types: the one function the peer page calls. */
declare module 'geotiff-tilesource' {
  export function enableGeoTIFFTileSource(osd: unknown, config?: unknown): void;
}
