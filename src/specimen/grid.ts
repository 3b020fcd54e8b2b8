import { hash3, unit } from './hash';

/**
 * The tumour's cell grid: one candidate cell per square of this side (µm), and which cell a
 * section cuts in each square. Its own module so that the painters' scratch space can lay out
 * the cells' cross-sections by it without importing cells.ts.
 */
export const CELL_GRID_UM = 9;

/**
 * Serial sections, 4 µm apart (H&E, then SMA, then Ki67; by salt), cut through cells stacked in
 * depth: each grid square holds a column of cells SECTION_LAYER_UM deep, at a phase of its own,
 * and a section shows the one its depth falls in. So a third of the cells of one section are
 * cut again in the next, the H&E and the Ki67 sections (8 µm apart) share none, and the
 * architecture (regions, fascicles, vessels, necrosis) is the block's and lines up on all.
 * (Every cell the same on all three, blind readers matched an H&E and a Ki67 field nucleus for
 * nucleus and called both virtual.)
 */
const SECTION_DEPTH_UM = [0, 0, 4, 8];
const SECTION_LAYER_UM = 6;
function sectionDepthUm(salt: number): number {
  return SECTION_DEPTH_UM[salt] ?? 12;
}

/** The hash of the cell that the section with this salt cuts in grid square (i, j). */
export function cellHash(seed: number, i: number, j: number, salt: number): number {
  const h0 = hash3(i, j, seed);
  const layer = Math.floor((sectionDepthUm(salt) + SECTION_LAYER_UM * unit(hash3(h0, 11, 0x1a7))) / SECTION_LAYER_UM);
  return layer === 0 ? h0 : hash3(h0, layer, 0x5ec7);
}
