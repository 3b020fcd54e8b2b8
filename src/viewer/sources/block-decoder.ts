/// <reference lib="webworker" />
import { getDecoder } from 'geotiff';
import type { StoredBlock } from './tiff-file';
import { tiffJpeg } from './jpeg-stream';
import type { Jpeg2000Decoder } from './jpeg2000';
import { JPEG2000_COMPRESSIONS } from './tiff-directories';

/**
 * A TIFF block's bytes → pixels. JPEG and WebP go to the browser's own decoder (libjpeg-turbo,
 * libwebp: several times faster than a JavaScript one); the lossless codecs (LZW, Deflate,
 * PackBits, none) to geotiff.js's decoders, whose samples become RGBA here.
 */
export async function decodeBlock(b: StoredBlock, jpeg2000?: Jpeg2000Decoder): Promise<ImageBitmap> {
  if (b.bytes.length === 0) return blank(b.width, b.rows);
  if (JPEG2000_COMPRESSIONS.has(b.compression)) {
    if (!jpeg2000) throw new Error('JPEG 2000 tiles need the JPEG 2000 decoder');
    // 33003: Aperio's YCbCr codestreams, with no colour transform flagged in them.
    return createImageBitmap(await jpeg2000.decode(b.bytes, b.compression === 33003));
  }
  if (b.compression === 7) {
    const jpeg = tiffJpeg(b.bytes, b.jpegTables, b.photometric);
    return createImageBitmap(new Blob([jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
  }
  if (b.compression === 50001) return createImageBitmap(new Blob([b.bytes as Uint8Array<ArrayBuffer>], { type: 'image/webp' }));
  const decoder = await getDecoder(b.compression, { tileWidth: b.width, tileHeight: b.rows, planarConfiguration: 1, bitsPerSample: 8, predictor: b.predictor });
  const raw = new Uint8Array(await decoder.decode(b.bytes.slice().buffer));
  return createImageBitmap(toImageData(raw, b.width, b.rows, b.samplesPerPixel, b.photometric));
}

function toImageData(raw: Uint8Array, w: number, h: number, spp: number, photometric: number | undefined): ImageData {
  const out = new Uint8ClampedArray(w * h * 4);
  const n = Math.min(w * h, Math.floor(raw.length / spp));
  // Photometric 0: white is zero.
  const invert = spp === 1 && photometric === 0;
  for (let i = 0; i < n; i++) {
    const o = i * 4;
    if (spp === 1) {
      const v = invert ? 255 - raw[i]! : raw[i]!;
      out[o] = out[o + 1] = out[o + 2] = v;
      out[o + 3] = 255;
    } else {
      out[o] = raw[i * spp]!;
      out[o + 1] = raw[i * spp + 1]!;
      out[o + 2] = raw[i * spp + 2]!;
      out[o + 3] = spp === 4 ? raw[i * spp + 3]! : 255;
    }
  }
  return new ImageData(out, w, h);
}

/** A block the file never wrote (byte count 0): glass. */
function blank(w: number, h: number): Promise<ImageBitmap> {
  const c = new OffscreenCanvas(Math.max(1, w), Math.max(1, h));
  const g = c.getContext('2d')!;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, c.width, c.height);
  return createImageBitmap(c);
}
