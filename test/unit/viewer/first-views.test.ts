import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import caseJson from '../../../images/case.json';
import { figureView, parseManifest } from '../../../src/model/manifest';
import { firstTiles } from '../../../src/viewer/first-tiles';
import { firstViewTiles, tileAddress } from '../../../src/viewer/first-views';
import { FirstViewRenderer } from '../../../scripts/prerender-first-views';

const manifest = parseManifest(caseJson).value!;

describe('prerendered first views', () => {
  it('hold every tile each figure opens on, on screens up to 1920 × 1200, and the navigator’s', () => {
    const have = new Set(firstViewTiles(manifest).map(tileAddress));
    for (const f of manifest.figures) {
      const slide = manifest.slides.find((s) => s.id === f.slide)!;
      for (const screen of [{ w: 1280, h: 800 }, { w: 1600, h: 900 }, { w: 1920, h: 1200 }]) {
        const want = firstTiles(slide, figureView(f, slide), screen, Infinity).map(tileAddress);
        expect(want.length).toBeGreaterThan(4);
        expect(want.filter((a) => !have.has(a))).toEqual([]);
      }
      // The navigator's whole-slide level.
      expect(have.has(`first-views/${slide.source.kind === 'virtual' ? slide.source.scene : ''}/${slide.id}/9/0_0.webp`)).toBe(true);
    }
    // A few hundred tiles, not a pyramid.
    expect(have.size).toBeLessThan(400);
  });

  it('are lossless: each file decodes to exactly the pixels a render worker makes', async () => {
    const r = new FirstViewRenderer();
    // A cell-level tile of each stain and a statistical one.
    const picks = [r.keys.find((k) => k.section === 'he' && k.level === 15)!, r.keys.find((k) => k.section === 'ki67')!, r.keys.find((k) => k.level === 9)!];
    for (const k of picks) {
      const want = r.pixels(k);
      const { data, info } = await sharp(await r.encode(k)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([want.width, want.height]);
      expect(Buffer.compare(data, Buffer.from(want.data.buffer, want.data.byteOffset, want.data.byteLength))).toBe(0);
    }
  });
});
