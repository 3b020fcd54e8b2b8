/// <reference lib="webworker" />
import type { FileLevel } from '../../model/pyramid';
import type { SlideReader } from './slide-reader';

/**
 * A plain JPEG, PNG or WebP. These cannot be read in parts, so the browser decodes the whole
 * image once, here in the worker; its tiles are cut from that. Lamina's halved levels (see
 * pyramid.ts) are made from those tiles as for any slide.
 */
const KIND_NAMES: Record<string, string> = { jpeg: 'JPEG image', png: 'PNG image', webp: 'WebP image' };

export class ImageReader implements SlideReader {
  readonly mpp = undefined;
  readonly mppFrom = undefined;
  readonly associated = [];
  readonly levels: readonly FileLevel[];

  private constructor(
    private bitmap: ImageBitmap | undefined,
    readonly format: string,
    private readonly tile: number,
  ) {
    const b = bitmap!;
    this.levels = [{ width: b.width, height: b.height, blockWidth: tile, blockHeight: tile }];
  }

  static async open(file: Blob, kind: string, tile = 512): Promise<{ value: ImageReader } | { error: string }> {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file);
    } catch {
      return { error: `The browser could not decode this ${KIND_NAMES[kind] ?? 'image'}: it is damaged, or larger than the browser can hold in memory.` };
    }
    if (bitmap.width < 1 || bitmap.height < 1) {
      bitmap.close();
      return { error: 'The image is empty (0 × 0 pixels).' };
    }
    return { value: new ImageReader(bitmap, KIND_NAMES[kind] ?? 'Image', tile) };
  }

  block(_level: number, col: number, row: number): Promise<ImageBitmap> {
    const b = this.bitmap;
    if (!b) return Promise.reject(new Error('the image was closed'));
    const x = col * this.tile;
    const y = row * this.tile;
    return createImageBitmap(b, x, y, Math.min(this.tile, b.width - x), Math.min(this.tile, b.height - y));
  }

  associatedImage(): Promise<ImageBitmap> {
    return Promise.reject(new Error('a plain image has no associated images'));
  }

  close(): void {
    this.bitmap?.close();
    this.bitmap = undefined;
  }
}
