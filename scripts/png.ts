import { PNG } from 'pngjs';
import { readFileSync, writeFileSync } from 'node:fs';

/** Writes RGBA pixels as a PNG file (for previews and reports; Node only). */
export function writePng(path: string, width: number, height: number, rgba: Uint8ClampedArray | Uint8Array): void {
  const png = new PNG({ width, height });
  png.data.set(rgba.subarray(0, width * height * 4));
  writeFileSync(path, PNG.sync.write(png));
}

export function readPng(path: string): { width: number; height: number; data: Uint8Array } {
  const png = PNG.sync.read(readFileSync(path));
  return { width: png.width, height: png.height, data: png.data };
}
