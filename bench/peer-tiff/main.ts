import OpenSeadragon from 'openseadragon';
import { enableGeoTIFFTileSource } from 'geotiff-tilesource';

/**
 * The benchmark's peer for slide files: GeoTIFFTileSource 2.3.2 (OpenSeadragon plugin on
 * geotiff.js) on OpenSeadragon 6.1 with the canvas drawer, opening a File picked in the input.
 * Marks `peer:picked` (the input's change) and `peer:ready` (every tile in view drawn, nothing
 * moving); tile times (request → decoded) go to window.peerTiles.
 */
enableGeoTIFFTileSource(OpenSeadragon);
type GeoTiffTs = { getAllTileSources(f: File, o?: unknown): Promise<OpenSeadragon.TileSource[]> };
const w = window as unknown as { peerTiles: number[]; peerError?: string };
w.peerTiles = [];
const size = new URLSearchParams(location.search);
const el = document.getElementById('viewer')!;
if (size.get('w')) el.style.width = `${size.get('w')}px`;
if (size.get('h')) el.style.height = `${size.get('h')}px`;
const input = document.getElementById('file') as HTMLInputElement;
input.addEventListener('change', async () => {
  performance.mark('peer:picked');
  const file = input.files![0]!;
  try {
    const sources = await (OpenSeadragon as unknown as { GeoTIFFTileSource: GeoTiffTs }).GeoTIFFTileSource.getAllTileSources(file, { logLatency: false });
    const ts = sources[0]!;
    const orig = ts.downloadTileStart.bind(ts);
    ts.downloadTileStart = (job: OpenSeadragon.ImageJob) => {
      const t0 = performance.now();
      const finish = job.finish.bind(job);
      job.finish = ((...a: Parameters<typeof job.finish>) => {
        w.peerTiles.push(performance.now() - t0);
        finish(...a);
      }) as typeof job.finish;
      orig(job);
    };
    const viewer = OpenSeadragon({ element: el, tileSources: ts, drawer: 'canvas', showNavigationControl: false, crossOriginPolicy: 'Anonymous', immediateRender: true, imageLoaderLimit: 8 } as OpenSeadragon.Options);
    let animating = false;
    const check = (): void => {
      const item = viewer.world.getItemAt(0);
      if (item && item.getFullyLoaded() && !animating && performance.getEntriesByName('peer:ready').length === 0) {
        performance.mark('peer:ready');
        document.body.dataset['ready'] = '1';
      }
    };
    viewer.addHandler('animation-start', () => (animating = true));
    viewer.addHandler('animation-finish', () => {
      animating = false;
      check();
    });
    viewer.world.addHandler('add-item', (e) => e.item.addHandler('fully-loaded-change', check));
    viewer.addHandler('tile-loaded', check);
    (window as unknown as { peerViewer: OpenSeadragon.Viewer }).peerViewer = viewer;
  } catch (e) {
    w.peerError = String(e);
  }
});
