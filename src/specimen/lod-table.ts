import type { StainId } from '../model/manifest';

/**
 * Per section, a row per region as measured by `TileRenderer.measureRegionColours`: the mean RGB
 * as the cell levels draw it, then the mean RGB of the tissue alone (no cells), six numbers in
 * all. Its own module so the app can check a stored table without loading the renderer.
 */
export type RegionColourTable = Partial<Record<StainId, ReadonlyArray<readonly number[]>>>;
/** Numbers per region in a colour table row. */
export const REGION_ROW = 6;
