import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { displayLevels, tileGrid, tileRect, tilesOverlapping, powerOfTwoLevel } from '../../../src/model/pyramid';

describe('pyramid maths', () => {
  it('an SVS-like file: stored levels kept as they are, halvings below the coarsest until one tile holds the slide', () => {
    const levels = displayLevels([
      { width: 46000, height: 32914, blockWidth: 256, blockHeight: 256 },
      { width: 11500, height: 8228, blockWidth: 256, blockHeight: 256 },
      { width: 2875, height: 2057, blockWidth: 256, blockHeight: 256 },
      { width: 1280, height: 431, blockWidth: 1280, blockHeight: 16 }, // a macro: another shape
    ]);
    const full = levels[levels.length - 1]!;
    expect(full).toMatchObject({ width: 46000, height: 32914, downsample: 1, source: { kind: 'direct', fileLevel: 0 } });
    expect(levels.filter((l) => l.source.kind !== 'halve').map((l) => l.width)).toEqual([2875, 11500, 46000]);
    expect(Math.max(levels[0]!.width, levels[0]!.height)).toBeLessThanOrEqual(256);
    // Each halving comes from the level just finer.
    levels.forEach((l, i) => {
      if (l.source.kind === 'halve') {
        expect(l.source.from).toBe(i + 1);
        expect(l.width).toBe(Math.ceil(levels[i + 1]!.width / 2));
      }
    });
  });

  it('strips are pasted into made tiles; tiles of a usable size are used directly', () => {
    const [l] = displayLevels([{ width: 574, height: 768, blockWidth: 574, blockHeight: 16 }]).slice(-1);
    expect(l!.source).toEqual({ kind: 'region', fileLevel: 0 });
    expect(l!.tileWidth).toBe(512);
  });

  it('tiles cover each level exactly once, edge tiles cut to the level', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 16, max: 700 }), (w, h, t) => {
        const l = { width: w, height: h, tileWidth: t, tileHeight: t };
        const { cols, rows } = tileGrid(l);
        let area = 0;
        for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) area += tileRect(l, c, r).w * tileRect(l, c, r).h;
        expect(area).toBe(w * h);
        expect(tilesOverlapping(l, 0, 0, w, h)).toHaveLength(cols * rows);
      }),
    );
  });

  it('the virtual slides keep their power-of-two levels', () => {
    expect(powerOfTwoLevel(40000, 30000, 16)).toMatchObject({ width: 40000, height: 30000, scale: 1 });
    expect(powerOfTwoLevel(40000, 30000, 14)).toMatchObject({ width: 10000, height: 7500, scale: 4 });
  });
});
