/**
 * Points binned into square cells, so that a query near a point visits only the points in its
 * own cell and the eight round it: every point within `cell` of it, and a few more. Shared by
 * the nuclei's suppression of near duplicates and the joining of one nucleus's parts.
 */
export class PointGrid {
  private readonly cells = new Map<number, number[]>();

  constructor(private readonly cell: number) {}

  private static key(gx: number, gy: number): number {
    return gy * 65536 + gx;
  }

  /** Files `id` under the cell holding (x, y). */
  add(x: number, y: number, id: number): void {
    const k = PointGrid.key(Math.floor(x / this.cell), Math.floor(y / this.cell));
    const list = this.cells.get(k);
    if (list) list.push(id);
    else this.cells.set(k, [id]);
  }

  /** Calls `visit` with each id filed in the 3 × 3 cells round (x, y), until it returns true; true if one did. */
  someNear(x: number, y: number, visit: (id: number) => boolean): boolean {
    const gx = Math.floor(x / this.cell);
    const gy = Math.floor(y / this.cell);
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) for (const id of this.cells.get(PointGrid.key(gx + dx, gy + dy)) ?? []) if (visit(id)) return true;
    return false;
  }
}
