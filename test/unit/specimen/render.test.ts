import { describe, expect, it } from 'vitest';
import sceneJson from '../../../images/lms-block.scene.json';
import type { SceneSpec } from '../../../src/specimen/scene';
import { TileRenderer } from '../../../src/specimen/render';

const spec = sceneJson as SceneSpec;

/** A point in the tumour near necrosis and a vessel-rich area: plenty of structure at the seams. */
function tileAt(r: TileRenderer, level: number, xUm: number, yUm: number): [number, number] {
  const upp = r.geometry.mpp * 2 ** (r.geometry.maxLevel - level);
  return [Math.floor(xUm / upp / r.geometry.tileSize), Math.floor(yUm / upp / r.geometry.tileSize)];
}

describe('virtual slide renderer', () => {
  it('renders the same tile to the same bytes, in any order and any instance', () => {
    const a = new TileRenderer(spec, 'he');
    const b = new TileRenderer(spec, 'he');
    const [c, r] = tileAt(a, 15, 6300, 2750);
    const first = Uint8Array.from(a.render(15, c, r).data);
    a.render(14, 3, 4); // unrelated work in between must not leak into the next tile
    const again = Uint8Array.from(a.render(15, c, r).data);
    const other = Uint8Array.from(b.render(15, c, r).data);
    expect(Buffer.compare(Buffer.from(first), Buffer.from(again))).toBe(0);
    expect(Buffer.compare(Buffer.from(first), Buffer.from(other))).toBe(0);
  });

  it.each([
    ['he', 16, 6150, 2800],
    ['he', 13, 6150, 2800],
    ['ki67', 15, 6150, 2800],
    ['sma', 12, 6150, 2800],
    // In the figure 5 hot spot, where cell bodies longer than the cells' listed reach were drawn
    // in one tile and cut off at its neighbour's edge.
    ['he', 16, 7456, 5344],
    ['he', 15, 7456, 5344],
    // On the knife line, whose tear moves tissue across tile edges (painted with a wider apron).
    ['he', 16, 6250, 4376],
    ['he', 15, 6250, 4376],
    ['he', 14, 6250, 4376],
  ] as const)('has no seams: %s level %i tiles equal the quadrants of one double-size tile (at %i, %i µm)', (section, level, x, y) => {
    const small = new TileRenderer(spec, section, undefined, 128);
    const big = new TileRenderer(spec, section, undefined, 256);
    const [C, R] = tileAt(big, level, x, y);
    const whole = big.render(level, C, R);
    for (let q = 0; q < 4; q++) {
      const dx = q & 1;
      const dy = q >> 1;
      const t = small.render(level, C * 2 + dx, R * 2 + dy);
      for (let y = 0; y < t.height; y += 1) {
        const rowSmall = t.data.subarray(y * t.width * 4, (y + 1) * t.width * 4);
        const o = ((dy * 128 + y) * whole.width + dx * 128) * 4;
        const rowBig = whole.data.subarray(o, o + t.width * 4);
        expect(Buffer.compare(Buffer.from(rowSmall), Buffer.from(rowBig)), `row ${y} of quadrant ${q}`).toBe(0);
      }
    }
  });

  it('neighbouring tiles continue each other across the shared edge, exactly', () => {
    // The two columns either side of the edge between two 128 px tiles are the same pixels as
    // the middle two columns of one 256 px tile over both: nothing changes at a tile edge. (A
    // heuristic, the jump across the edge against the jump between the last two columns, failed
    // by chance where a nucleus's outline fell on the edge.)
    const small = new TileRenderer(spec, 'he', undefined, 128);
    const big = new TileRenderer(spec, 'he', undefined, 256);
    const [C, R] = tileAt(big, 15, 6300, 2750);
    const whole = Uint8Array.from(big.render(15, C, R).data);
    const left = Uint8Array.from(small.render(15, C * 2, R * 2).data);
    const right = Uint8Array.from(small.render(15, C * 2 + 1, R * 2).data);
    let differing = 0;
    for (let y = 0; y < 128; y++) {
      for (let k = 0; k < 4; k++) {
        if (left[(y * 128 + 127) * 4 + k] !== whole[(y * 256 + 127) * 4 + k]) differing++;
        if (right[y * 128 * 4 + k] !== whole[(y * 256 + 128) * 4 + k]) differing++;
      }
    }
    expect(differing).toBe(0);
    // And the edge is not trivially flat: the check compares real structure.
    let structure = 0;
    for (let y = 0; y < 128; y++) structure += Math.abs(whole[(y * 256 + 127) * 4]! - whole[(y * 256 + 128) * 4]!);
    expect(structure).toBeGreaterThan(0);
  });

  it('crops edge tiles to the slide and fills every pixel', () => {
    const r = new TileRenderer(spec, 'he');
    const g = r.geometry;
    const lastCol = Math.ceil(g.width / g.tileSize) - 1;
    const t = r.render(g.maxLevel, lastCol, 0);
    expect(t.width).toBe(g.width - lastCol * g.tileSize);
    expect(t.height).toBe(256);
    for (let i = 3; i < t.data.length; i += 4) expect(t.data[i]).toBe(255);
  });
});
