import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { firstViews } from './scripts/first-views-plugin.ts';

// The app is a static site: the case's slides are rendered in Web Workers at view time; only
// the tiles each figure opens on are prerendered at build time (see src/viewer/first-views.ts).
export default defineConfig({
  base: './',
  plugins: [
    firstViews(),
    // Offline after a first visit: the service worker precaches everything the build emits
    // (app, tile worker, the case, which is bundled into the JS, and the prerendered first
    // views, ~15 MB); any other tile is rendered in the workers, so the case needs no network.
    // Built only: `vite` (dev) registers none (see src/app/offline.ts).
    VitePWA({
      registerType: 'autoUpdate',
      // Registered from main.ts once the first view is up, not by an injected script at load.
      injectRegister: false,
      manifest: {
        name: 'Lamina',
        short_name: 'Lamina',
        description: 'Deep-zoom histopathology viewer for pathology teaching',
        display: 'standalone',
        start_url: './',
        scope: './',
        background_color: '#fafafa',
        theme_color: '#2b2d31',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        // The manifest and its icon are added by the plugin itself.
        // wasm: the JPEG 2000 decoder, so an own JPEG 2000 slide opens offline too.
        globPatterns: ['**/*.{js,css,html,webp,wasm}'],
        // Largest file today: the app chunk, ~0.5 MB; the limit only guards against a surprise.
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        // Hash routing: every screen is index.html; query options (?drawer=…) too.
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // autoUpdate: a new worker takes over at once (the plugin sets these only for its own
        // injected registration), and controls the first visit's page, which then works offline.
        skipWaiting: true,
        clientsClaim: true,
      },
    }),
  ],
  publicDir: 'public',
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  worker: { format: 'es' },
  server: { port: 5173 },
  preview: { port: 4173 },
});
