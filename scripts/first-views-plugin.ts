import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

/**
 * Prerendered first views (src/viewer/first-views.ts). The tiles are rendered once per change
 * of the renderer or the case (a hash of their sources) into node_modules/.cache, by
 * scripts/prerender-first-views.ts in its own process; `vite build` copies them next to the
 * bundle and the dev server serves them. The app learns which exist from
 * `virtual:lamina-first-views`.
 */
const VIRTUAL = 'virtual:lamina-first-views';
const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** What the tiles' pixels depend on. */
const INPUTS = ['src/specimen', 'src/model', 'src/viewer/first-views.ts', 'src/viewer/first-tiles.ts', 'images', 'scripts/prerender-first-views.ts', 'package-lock.json'];

function files(path: string): string[] {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [full];
  return readdirSync(full)
    .sort()
    .flatMap((f) => files(join(path, f)));
}

function inputsHash(): string {
  const h = createHash('sha256');
  for (const f of INPUTS.flatMap(files)) h.update(relative(root, f)).update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/** Whether a process of this id is alive (a NaN id: no process). */
function running(pid: number): boolean {
  if (!Number.isInteger(pid)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Renders (or reuses) the tiles; returns the directory holding first-views/. */
function prerender(): string {
  const cache = join(root, 'node_modules', '.cache', 'lamina-first-views');
  const hash = inputsHash();
  const dir = join(cache, hash);
  const done = (d: string): boolean => existsSync(join(d, 'first-views', 'index.json'));
  if (!done(dir)) {
    // Rendered aside and moved in whole: a build and a dev server started together (or one
    // stopped half-way) never read, nor delete, each other's half-written tiles.
    const part = `${dir}.part-${process.pid}`;
    rmSync(part, { recursive: true, force: true });
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'prerender-first-views.ts'), part], { cwd: root, stdio: 'inherit' });
    try {
      if (done(dir)) throw new Error('rendered meanwhile');
      rmSync(dir, { recursive: true, force: true });
      renameSync(part, dir);
    } catch {
      rmSync(part, { recursive: true, force: true }); // another process moved its copy in first
    }
    // Tiles of earlier renderers go, and renders left by stopped processes; others' in progress stay.
    for (const e of readdirSync(cache)) if (e !== hash && !running(Number(e.split('.part-')[1]))) rmSync(join(cache, e), { recursive: true, force: true });
  }
  return dir;
}

export function firstViews(): Plugin {
  let dir: string | undefined;
  const ready = (): string => (dir ??= prerender());
  const addresses = (): string[] => JSON.parse(readFileSync(join(ready(), 'first-views', 'index.json'), 'utf8')) as string[];
  let serve = false;
  return {
    name: 'lamina-first-views',
    configResolved(config) {
      serve = config.command === 'serve';
    },
    resolveId: (id) => (id === VIRTUAL ? `\0${VIRTUAL}` : undefined),
    load: (id) => (id === `\0${VIRTUAL}` ? `export default ${JSON.stringify(addresses())};` : undefined),
    generateBundle() {
      if (serve) return;
      for (const a of addresses()) this.emitFile({ type: 'asset', fileName: a, source: readFileSync(join(ready(), a)) });
    },
    configureServer(server) {
      const known = new Set(addresses());
      server.middlewares.use((req, res, next) => {
        const a = (req.url ?? '').replace(/^\//, '').split('?')[0]!;
        if (!known.has(a)) return next();
        res.setHeader('Content-Type', 'image/webp');
        res.end(readFileSync(join(ready(), a)));
      });
    },
  };
}
