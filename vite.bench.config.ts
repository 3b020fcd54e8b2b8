import { defineConfig, mergeConfig } from 'vite';
import base from './vite.config.ts';

/** The app plus the benchmark's peer page (Annotorious on the same viewer and tiles). */
export default mergeConfig(
  base,
  defineConfig({
    build: {
      outDir: 'bench/out/dist',
      emptyOutDir: true,
      rollupOptions: { input: { main: 'index.html', peer: 'bench/peer/index.html' } },
    },
  }),
);
