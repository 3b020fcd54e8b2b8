/**
 * Renders the case's first-view tiles (src/viewer/first-views.ts) as lossless WebP into
 * <outDir>/first-views/, with an index.json of their addresses. Run by the Vite plugin
 * (scripts/first-views-plugin.ts) in its own process, so the Vite config imports no app code.
 * Usage: tsx scripts/prerender-first-views.ts <outDir>
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { parseManifest } from '../src/model/manifest';
import type { StainId } from '../src/model/manifest';
import { TileRenderer } from '../src/specimen/render';
import type { RegionColourTable } from '../src/specimen/render';
import type { SceneSpec } from '../src/specimen/scene';
import { firstViewTiles, tileAddress } from '../src/viewer/first-views';
import type { TileKey } from '../src/viewer/tile-pool';

const json = (name: string): unknown => JSON.parse(readFileSync(new URL(`../images/${name}`, import.meta.url), 'utf8'));

export class FirstViewRenderer {
  readonly keys: TileKey[];
  private readonly spec: SceneSpec;
  private readonly lod: RegionColourTable | undefined;
  private readonly renderers = new Map<string, TileRenderer>();

  constructor() {
    const manifest = parseManifest(json('case.json'));
    if (manifest.error !== undefined) throw new Error(manifest.error);
    this.spec = json('lms-block.scene.json') as SceneSpec;
    const lod = json('lms-block.lod.json') as { scene: string; colours: RegionColourTable };
    this.lod = lod.scene === this.spec.id ? lod.colours : undefined;
    this.keys = firstViewTiles(manifest.value);
  }

  /** The tile's pixels, exactly as a render worker makes them. */
  pixels(k: TileKey): { width: number; height: number; data: Uint8ClampedArray } {
    let r = this.renderers.get(k.section);
    if (!r) this.renderers.set(k.section, (r = TileRenderer.fromTable(this.spec, k.section as StainId, this.lod)));
    const t = r.render(k.level, k.col, k.row);
    return { width: t.width, height: t.height, data: t.data.subarray(0, t.width * t.height * 4) };
  }

  /**
   * Lossless WebP: 63 KB a tile at 20x against 86 KB as PNG, and bytes are what a cold page
   * waits for (Chromium here fetched ~5 MB/s from localhost). Encoding is slow (~0.16 s a
   * tile), which is why the plugin caches the result.
   */
  async encode(k: TileKey): Promise<Buffer> {
    const t = this.pixels(k);
    // Opaque tissue: RGB is enough.
    return sharp(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength), { raw: { width: t.width, height: t.height, channels: 4 } })
      .removeAlpha()
      .webp({ lossless: true, effort: 4 })
      .toBuffer();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: prerender-first-views.ts <outDir>');
  const r = new FirstViewRenderer();
  const addresses: string[] = [];
  for (const k of r.keys) {
    const file = join(outDir, tileAddress(k));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, await r.encode(k));
    addresses.push(tileAddress(k));
  }
  writeFileSync(join(outDir, 'first-views', 'index.json'), JSON.stringify(addresses));
}
