import { describe, expect, it } from 'vitest';
import type { SlideInfo } from '../../../src/model/manifest';
import { firstTiles } from '../../../src/viewer/first-tiles';

const he: SlideInfo = { id: 'he', name: 'H&E', stain: 'H&E', width: 40000, height: 30000, mpp: 0.25, source: { kind: 'virtual', scene: 'lms-block', section: 'he' } };

describe('first tiles of a view', () => {
  it('picks the level OpenSeadragon draws (the finest whose pixels are ≥ 0.6 screen px) and the tiles round the centre, nearest first', () => {
    // Figure 4: 10x (1 µm per screen px = 4 image px) at (6300, 3000) µm. In the browser the
    // viewer asked for level 14 tiles columns 22–27, rows 10–13 (1280 × 800 window).
    const keys = firstTiles(he, { x: 25200, y: 12000, z: 10, r: 0 }, { w: 1280, h: 800 });
    expect(new Set(keys.map((k) => k.level))).toEqual(new Set([14]));
    expect(keys[0]).toMatchObject({ col: 24, row: 11, section: 'he', scene: 'lms-block' });
    const cols = keys.map((k) => k.col);
    const rows = keys.map((k) => k.row);
    expect([Math.min(...cols), Math.max(...cols), Math.min(...rows), Math.max(...rows)]).toEqual([22, 27, 10, 13]);
    // 20x: level 15; 40x: the full-resolution level 16; 2.5x: level 12.
    expect(firstTiles(he, { x: 29800, y: 21200, z: 20, r: 0 }, { w: 1280, h: 800 })[0]!.level).toBe(15);
    expect(firstTiles(he, { x: 29800, y: 21200, z: 40, r: 0 }, { w: 1280, h: 800 })[0]!.level).toBe(16);
    expect(firstTiles(he, { x: 13000, y: 14400, z: 2.5, r: 0 }, { w: 1280, h: 800 })[0]!.level).toBe(12);
  });

  it('stays inside the slide and asks nothing of a pyramid it does not render', () => {
    const corner = firstTiles(he, { x: 0, y: 0, z: 40, r: 45 }, { w: 1280, h: 800 }, 1000);
    expect(corner.every((k) => k.col >= 0 && k.row >= 0)).toBe(true);
    const dzi: SlideInfo = { ...he, source: { kind: 'dzi', url: '/x.dzi' } as unknown as SlideInfo['source'] };
    expect(firstTiles(dzi, { x: 0, y: 0, z: 10, r: 0 }, { w: 1280, h: 800 })).toEqual([]);
  });
});
