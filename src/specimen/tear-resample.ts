/**
 * The knife's tear moves tissue (SectionArtefacts.tearOffsets): the stain planes, once painted,
 * are resampled at the moved points, bilinearly, so a nucleus at the track's edge is pulled
 * and smeared as a whole (chromatin, membrane and cytoplasm together) rather than each painter
 * knowing of the tear. The painted area must reach past the tile by the largest offset: pixels
 * whose source would fall outside `limit` pixels are clamped to it, the same way in every tile.
 */
export class PlaneResampler {
  /** A copy of one plane as painted, read while the plane is rewritten (this instance's own). */
  private copy = new Float32Array(0);

  /**
   * Resamples `planes` (each `size` wide) over the box of pixels [lo, lo + w) × [lo, lo + h),
   * where pixel (px, py) shows the painted point (px + dx/upp, py + dy/upp); dx, dy (µm) are
   * laid out like the planes with their origin at pixel (0, 0). Offsets longer than `limit`
   * pixels per axis are shortened to it.
   */
  apply(planes: readonly Float32Array[], dx: Float32Array, dy: Float32Array, size: number, lo: number, w: number, h: number, upp: number, limit: number): void {
    if (this.copy.length < size * size) this.copy = new Float32Array(size * size);
    const src = this.copy;
    const inv = 1 / upp;
    for (const plane of planes) {
      src.set(plane.subarray(0, size * size));
      for (let py = lo; py < lo + h; py++) {
        for (let px = lo; px < lo + w; px++) {
          const o = py * size + px;
          const ox = dx[o]!;
          const oy = dy[o]!;
          if (ox === 0 && oy === 0) continue;
          let sx = ox * inv;
          let sy = oy * inv;
          sx = px + (sx > limit ? limit : sx < -limit ? -limit : sx);
          sy = py + (sy > limit ? limit : sy < -limit ? -limit : sy);
          const ix = Math.floor(sx);
          const iy = Math.floor(sy);
          const fx = sx - ix;
          const fy = sy - iy;
          const i = iy * size + ix;
          plane[o] = (src[i]! * (1 - fx) + src[i + 1]! * fx) * (1 - fy) + (src[i + size]! * (1 - fx) + src[i + size + 1]! * fx) * fy;
        }
      }
    }
  }
}
