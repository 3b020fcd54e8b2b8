import { defineConfig } from 'vite';
import { firstViews } from './scripts/first-views-plugin.ts';

// The app is a static site: the case's slides are rendered in Web Workers at view time; only
// the tiles each figure opens on are prerendered at build time (see src/viewer/first-views.ts).
export default defineConfig({
  base: './',
  plugins: [firstViews()],
  publicDir: false,
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  worker: { format: 'es' },
  server: { port: 5173 },
  preview: { port: 4173 },
});
