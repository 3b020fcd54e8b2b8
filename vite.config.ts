import { defineConfig } from 'vite';

// The app is a static site: the case's slides are rendered in Web Workers at view time,
// so there is no tile build step and nothing to serve but the bundle and images/.
export default defineConfig({
  base: './',
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
