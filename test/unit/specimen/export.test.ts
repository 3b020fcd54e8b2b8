import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import sharp from 'sharp';

describe('specimen:export', () => {
  it('writes a pyramidal tiled TIFF with its pixel size, a DZI pyramid and the truth as GeoJSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lamina-export-'));
    try {
      const out = join(dir, 'hot');
      // A 1 × 0.5 mm field of the mitotic hot spot at 1 µm/px.
      execFileSync('npx', ['tsx', 'scripts/specimen-export.ts', 'he', out, '--level', '14', '--region', '6950,5050,1000,500'], { stdio: 'pipe' });
      const meta = await sharp(`${out}.tif`).metadata();
      expect(meta.width).toBe(1000);
      expect(meta.height).toBe(500);
      expect(meta.pages).toBeGreaterThan(1); // the pyramid's levels
      expect(meta.resolutionUnit).toBe('cm');
      expect(meta.density).toBeCloseTo(25400, -2); // 1 µm/px = 10,000 px/cm = 25,400 dpi
      expect(existsSync(`${out}.dzi`)).toBe(true);
      expect(readFileSync(`${out}.dzi`, 'utf8')).toMatch(/Width="1000"/);
      expect(existsSync(join(dir, 'hot_files', '10', '0_0.jpeg'))).toBe(true);
      const gj = JSON.parse(readFileSync(`${out}.geojson`, 'utf8'));
      const mitoses = gj.features.filter((f: { geometry: { type: string } }) => f.geometry.type === 'Point');
      expect(mitoses.length).toBeGreaterThan(3);
      for (const m of mitoses) {
        const [x, y] = m.geometry.coordinates;
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThan(1000);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThan(500);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
