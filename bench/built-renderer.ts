import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { build } from 'vite';
import type * as Render from '../src/specimen/render';

export type RenderModule = typeof Render;

/**
 * The renderer as the app ships it: `src/specimen/render.ts` of the tree at `root`, bundled by
 * Vite with the app's target and minifier, as the tile workers run it.
 *
 * Why not import the TypeScript through tsx: tsx transforms with esbuild's keepNames, which
 * wraps functions and classes in a name-setting helper the shipped bundle does not have. In
 * one process on the same 40 tiles a level (5 December), the tsx build's median tile took
 * 1.03-1.25x and its p95 1.03-1.08x the Vite build's at levels 12-16: small, but the bench
 * should time what users run.
 */
export async function builtRenderer(root = fileURLToPath(new URL('..', import.meta.url))): Promise<RenderModule> {
  const outDir = mkdtempSync(join(tmpdir(), 'lamina-renderer-'));
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      target: 'es2022', // as vite.config.ts
      outDir,
      emptyOutDir: true,
      minify: true, // as a production build
      lib: { entry: join(root, 'src/specimen/render.ts'), formats: ['es'], fileName: 'render' },
    },
  });
  const file = readdirSync(outDir).find((f) => f.startsWith('render') && f.endsWith('.js'));
  if (!file) throw new Error(`vite emitted no renderer in ${outDir}`);
  const mod = (await import(pathToFileURL(join(outDir, file)).href)) as RenderModule;
  rmSync(outDir, { recursive: true, force: true }); // loaded: the file is no longer needed
  return mod;
}
