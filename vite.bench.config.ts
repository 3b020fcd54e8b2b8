import { resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'vite';
import base from './vite.config.ts';

/**
 * geotiff-tilesource's ES build starts its decoder worker from an absolute "/assets/tiff.worker-….js"
 * (its own build's layout), which Vite looks for in public/: point it at the file the package ships.
 */
const peerWorker = {
  name: 'geotiff-tilesource-worker',
  enforce: 'pre' as const,
  resolveId(id: string): string | undefined {
    const m = /(?:^|\/)assets\/(tiff\.worker-[\w-]+\.js)$/.exec(id);
    return m ? resolve('node_modules/geotiff-tilesource/dist/assets', m[1]!) : undefined;
  },
};

/** The app plus the benchmarks' peer pages (Annotorious on the same viewer and tiles; GeoTIFFTileSource on the same slide files). */
export default mergeConfig(
  base,
  defineConfig({
    plugins: [peerWorker],
    // The worker is bundled by a build of its own, with the worker plugins.
    worker: { plugins: () => [peerWorker] },
    build: {
      outDir: 'bench/out/dist',
      emptyOutDir: true,
      rollupOptions: { input: { main: 'index.html', peer: 'bench/peer/index.html', 'peer-tiff': 'bench/peer-tiff/index.html' } },
    },
  }),
);
