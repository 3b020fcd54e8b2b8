/**
 * The tumour's cell grid: one candidate cell per square of this side (µm). Its own module so
 * that the painters' scratch space can size a tessellation by it without importing cells.ts.
 */
export const CELL_GRID_UM = 9;
