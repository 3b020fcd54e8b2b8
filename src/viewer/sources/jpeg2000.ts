/// <reference lib="webworker" />
import wasmUrl from '@cornerstonejs/codec-openjpeg/decodewasm?url';

/**
 * JPEG 2000 tiles (Aperio SVS 33003/33005, TIFF 34712) decoded by OpenJPEG compiled to
 * WebAssembly (@cornerstonejs/codec-openjpeg), in the slide file worker. Loaded on the first
 * JPEG 2000 file only: the module is ~0.3 MB. Aperio's 33003 stores YCbCr without the codestream
 * saying so (no colour transform flagged), so its samples are converted here; 33005 and others
 * come out as RGB.
 */

interface J2KDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getDecodedBuffer(): Uint8Array;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned: boolean };
  delete(): void;
}
interface OpenJpegModule {
  J2KDecoder: new () => J2KDecoder;
}

/** One instance per worker, made on first use (held by the worker's block decoder, not the module). */
export class Jpeg2000Decoder {
  private module: Promise<OpenJpegModule> | undefined;

  private load(): Promise<OpenJpegModule> {
    return (this.module ??= import('@cornerstonejs/codec-openjpeg/decodewasmjs').then((m) => {
      const factory = (m as unknown as { default: (o: object) => Promise<OpenJpegModule> }).default;
      return factory({ locateFile: () => wasmUrl });
    }));
  }

  async decode(bytes: Uint8Array, ycbcr: boolean): Promise<ImageData> {
    const m = await this.load();
    const d = new m.J2KDecoder();
    try {
      d.getEncodedBuffer(bytes.length).set(bytes);
      d.decode();
      const info = d.getFrameInfo();
      if (info.bitsPerSample !== 8) throw new Error(`${info.bitsPerSample}-bit JPEG 2000 samples`);
      const src = d.getDecodedBuffer();
      const n = info.width * info.height;
      const out = new Uint8ClampedArray(n * 4);
      const c = info.componentCount;
      for (let i = 0; i < n; i++) {
        const o = i * 4;
        if (c >= 3) {
          const a = src[i * c]!, b = src[i * c + 1]!, e = src[i * c + 2]!;
          if (ycbcr) {
            out[o] = a + 1.402 * (e - 128);
            out[o + 1] = a - 0.344136 * (b - 128) - 0.714136 * (e - 128);
            out[o + 2] = a + 1.772 * (b - 128);
          } else {
            out[o] = a;
            out[o + 1] = b;
            out[o + 2] = e;
          }
        } else out[o] = out[o + 1] = out[o + 2] = src[i]!;
        out[o + 3] = 255;
      }
      return new ImageData(out, info.width, info.height);
    } finally {
      d.delete();
    }
  }
}
