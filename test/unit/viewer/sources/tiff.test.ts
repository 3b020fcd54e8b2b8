import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import sharp from 'sharp';
import { BlobBytes } from '../../../../src/viewer/sources/byte-source';
import { TiffFile } from '../../../../src/viewer/sources/tiff-file';
import { tiffSlide } from '../../../../src/viewer/sources/tiff-directories';
import type { TiffDirectory } from '../../../../src/viewer/sources/tiff-directories';
import { displayLevels } from '../../../../src/model/pyramid';
import { arrayValueAt, patchTag, patternPixel, patternRaw, patternTiff, tiffEntries } from '../../../fixtures/slide-files';
import { svsJpeg2000 } from '../../../fixtures/svs-j2k';
import { omeTiff } from '../../../fixtures/ome-tiff';
import { inflateSync } from 'node:zlib';

const SVS = '../shared/reference/he-skin-20x.svs';

async function open(buf: Buffer | Uint8Array, name = 'test.tif') {
  return TiffFile.open(new BlobBytes(new Blob([buf as Uint8Array<ArrayBuffer>]), name));
}

describe('TIFF slides: directories read with geotiff.js, interpreted by Lamina', () => {
  it('a pyramidal JPEG TIFF made by libvips: every level, its tiles, its scale from the resolution tags', async () => {
    const buf = await patternTiff(3000, 2000, { mpp: 0.5 });
    const r = await open(buf);
    if ('error' in r) throw new Error(r.error);
    const s = r.value.slide;
    expect(s.format).toBe('Pyramidal TIFF, JPEG tiles');
    expect(s.levels.map((l) => [l.width, l.height])).toEqual([[3000, 2000], [1500, 1000], [750, 500], [375, 250], [187, 125]]);
    expect(s.mpp).toBeCloseTo(0.5, 6);
    expect(s.mppFrom).toBe('the TIFF resolution tags');
    const b = await r.value.block(0, 11, 7);
    expect([b.bytes[0], b.bytes[1]]).toEqual([0xff, 0xd8]);
    expect(b.jpegTables?.length).toBeGreaterThan(100);
    expect(displayLevels(s.levels).at(-1)).toMatchObject({ width: 3000, source: { kind: 'direct', fileLevel: 0 } });
  });

  it('a BigTIFF pyramid (64-bit offsets, as files past 4 GB need): the same levels, tiles and scale', async () => {
    const raw = patternRaw(1200, 800);
    const big = await sharp(raw, { raw: { width: 1200, height: 800, channels: 3 } }).tiff({ tile: true, pyramid: true, bigtiff: true, compression: 'jpeg', tileWidth: 256, tileHeight: 256, xres: 1000 / 0.25, yres: 1000 / 0.25, resolutionUnit: 'cm' }).toBuffer();
    expect([big[2], big[3]]).toEqual([0x2b, 0x00]);
    const r = await open(big);
    if ('error' in r) throw new Error(r.error);
    expect(r.value.slide.levels.map((l) => [l.width, l.height])).toEqual([[1200, 800], [600, 400], [300, 200], [150, 100]]);
    expect(r.value.slide.mpp).toBeCloseTo(0.25, 6);
    const b = await r.value.block(0, 4, 3);
    expect([b.bytes[0], b.bytes[1]]).toEqual([0xff, 0xd8]);
  });

  it('a pyramidal OME-TIFF (Bio-Formats layout): its reductions read from the SubIFDs, its scale from the OME-XML', async () => {
    const r = await open(await omeTiff(1500, 1000, { mpp: 0.2628, levels: 3 }), 'slide.ome.tif');
    if ('error' in r) throw new Error(r.error);
    const s = r.value.slide;
    expect(s.format).toBe('OME-TIFF, Deflate tiles');
    expect(s.levels.map((l) => [l.width, l.height])).toEqual([[1500, 1000], [750, 500], [375, 250]]);
    expect(s.mpp).toBeCloseTo(0.2628, 6);
    expect(s.mppFrom).toBe('the OME-XML PhysicalSizeX');
    // A tile of the coarsest level, from its sub-directory: the pattern, 4 times reduced.
    const b = await r.value.block(s.levels[2]!.dir, 1, 0);
    const px = inflateSync(b.bytes);
    const [x, y] = [256 + 40, 60];
    const want = patternPixel(x * 4 + 2, y * 4 + 2, 1500, 1000);
    const o = (y * 256 + 40) * 3;
    for (let c = 0; c < 3; c++) expect(Math.abs(px[o + c]! - want[c]!)).toBeLessThan(40);
  });

  it('an OME-TIFF with one reduction, and with damaged SubIFDs: what can be read is, the rest is left out, nothing throws', async () => {
    const one = await open(await omeTiff(1500, 1000, { mpp: 0.25, levels: 2 }));
    if ('error' in one) throw new Error(one.error);
    expect(one.value.slide.levels.map((l) => l.width)).toEqual([1500, 750]);
    const buf = await omeTiff(1500, 1000, { mpp: 0.25, levels: 3 });
    const at = arrayValueAt(buf, 0, 330, 0);
    const withOffset = (k: number, v: number): Buffer => {
      const b = Buffer.from(buf);
      b.writeUInt32LE(v, at + 4 * k);
      return b;
    };
    const widths = async (b: Buffer): Promise<number[] | string> => {
      const r = await open(b);
      return 'error' in r ? r.error : r.value.slide.levels.map((l) => l.width);
    };
    // An offset past the end, one at the main directory, one into tile data: skipped or left out.
    expect(await widths(withOffset(0, buf.length + 1000))).toEqual([1500, 375]);
    expect(await widths(withOffset(1, buf.readUInt32LE(4)))).toEqual([1500, 750]);
    expect(await widths(withOffset(0, 64))).toEqual([1500, 375]);
    // A count of four billion: at most a few dozen offsets are looked at (not 16 GB of them).
    const e = tiffEntries(buf)[0]!.find((x) => x.tag === 330)!;
    const huge = Buffer.from(buf);
    huge.writeUInt32LE(0xffffffff, e.at - 4);
    expect(await widths(huge)).toEqual([1500, 750, 375]);
  });

  it('a TIFF at 72 dpi says nothing about µm per pixel', async () => {
    const r = await open(await patternTiff(600, 400, { pyramid: false, compression: 'lzw' }));
    if ('error' in r) throw new Error(r.error);
    expect(r.value.slide.mpp).toBeUndefined();
    expect(r.value.slide.format).toBe('Tiled TIFF, LZW tiles');
  });

  it.skipIf(!existsSync(SVS))('the real Aperio SVS: one tiled level, the thumbnail as a reduction, label and macro as such, MPP 0.499', async () => {
    const r = await open(readFileSync(SVS), 'he-skin-20x.svs');
    if ('error' in r) throw new Error(r.error);
    const s = r.value.slide;
    expect(s.format).toBe('Aperio SVS, JPEG tiles');
    expect(s.mpp).toBe(0.499);
    expect(s.levels.map((l) => l.width)).toEqual([2220, 574]);
    expect(s.associated.map((a) => a.kind).sort()).toEqual(['label', 'macro', 'thumbnail']);
  });
  if (!existsSync(SVS)) it.skip(`the real Aperio SVS (skipped: ${SVS} is not here; it comes with ../shared)`, () => undefined);

  describe('bad input: a clear error, never a throw', () => {
    const base = patternTiff(1000, 800, { mpp: 0.5 });
    it('a truncated file', async () => {
      const buf = await base;
      const r = await open(buf.subarray(0, 600));
      expect('error' in r && r.error).toMatch(/damaged|truncated|outside/);
    });
    it('tile offsets outside the file', async () => {
      const buf = await base;
      const bad = Buffer.from(buf);
      bad.writeUInt32LE(buf.length + 1_000_000, arrayValueAt(buf, 0, 324, 0));
      const r = await open(bad);
      if ('error' in r) throw new Error(r.error);
      await expect(r.value.block(0, 0, 0)).rejects.toThrow(/outside the file/);
    });
    it('0 × 0 and 10⁶ × 10⁶ declared sizes', async () => {
      const buf = await base;
      const zero = await open(patchTag(patchTag(buf, 0, 256, 0), 0, 257, 0));
      expect('error' in zero && zero.error).toMatch(/0 × 0/);
      const huge = await open(patchTag(patchTag(buf, 0, 256, 1_000_000), 0, 257, 1_000_000));
      expect('error' in huge && huge.error).toMatch(/1,000,000 × 1,000,000 pixels, larger than any slide/);
    });
    it('a directory chain that loops back on itself is read once', async () => {
      const buf = Buffer.from(await patternTiff(600, 400, { pyramid: false }));
      const first = buf.readUInt32LE(4);
      const n = buf.readUInt16LE(first);
      buf.writeUInt32LE(first, first + 2 + n * 12); // next directory: itself
      const r = await open(buf);
      if ('error' in r) throw new Error(r.error);
      expect(r.value.directories).toHaveLength(1);
    });
    it('an unknown compression is named', async () => {
      const r = await open(patchTag(await base, 0, 259, 34887));
      expect('error' in r && r.error).toMatch(/LERC.*not one a browser can decode/);
      const r2 = await open(patchTag(await base, 0, 259, 12345));
      expect('error' in r2 && r2.error).toMatch(/TIFF code 12345/);
    });
  });

  it('fuzz: random bytes, random headers and mutated real directories never throw: an error in words, or a pyramid that holds together', async () => {
    const valid = await patternTiff(700, 500, { mpp: 0.5, tile: 128 });
    const header = fc.constantFrom(Uint8Array.of(0x49, 0x49, 0x2a, 0), Uint8Array.of(0x4d, 0x4d, 0, 0x2a), Uint8Array.of(0x49, 0x49, 0x2b, 0, 8, 0, 0, 0));
    const randomFile = fc.tuple(header, fc.uint8Array({ maxLength: 600 })).map(([h, rest]) => {
      const b = new Uint8Array(h.length + rest.length);
      b.set(h);
      b.set(rest, h.length);
      return b;
    });
    // Mutations of a real file: a few bytes overwritten, mostly in its directories (at the end).
    const mutated = fc
      .array(fc.tuple(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.boolean()), { minLength: 1, maxLength: 12 })
      .map((edits) => {
        const b = Uint8Array.from(valid);
        for (const [at, v, nearEnd] of edits) b[nearEnd ? Math.max(0, b.length - 1 - (at % 2000)) : at % 16 === 0 ? at % 64 : at] = v;
        return b;
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(randomFile, mutated), async (bytes) => {
        const r = await open(bytes);
        if ('error' in r) {
          expect(typeof r.error).toBe('string');
          expect(r.error.length).toBeGreaterThan(10);
          return;
        }
        const levels = displayLevels(r.value.slide.levels);
        expect(levels.length).toBeGreaterThan(0);
        for (const l of levels) expect(l.width >= 1 && l.height >= 1 && l.tileWidth >= 1).toBe(true);
        // Reading a block either gives bytes inside the file or rejects with a reason.
        await r.value.block(r.value.slide.levels[0]!.dir, 0, 0).then(
          (b) => expect(b.bytes.length).toBeLessThanOrEqual(bytes.length),
          (e: Error) => expect(e.message.length).toBeGreaterThan(5),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('an SVS with JPEG 2000 tiles and its description stored far from its directory (geotiff.js defers such values): read as Aperio, and refused in words without the JPEG 2000 decoder', async () => {
    const buf = await svsJpeg2000(1000, 800, { compression: 33003, mpp: 0.25 });
    const withDecoder = await TiffFile.open(new BlobBytes(new Blob([buf as Uint8Array<ArrayBuffer>]), 'j2k.svs'), { jpeg2000: true });
    if ('error' in withDecoder) throw new Error(withDecoder.error);
    expect(withDecoder.value.slide).toMatchObject({ format: 'Aperio SVS, Aperio JPEG 2000 (YCbCr) tiles', mpp: 0.25 });
    expect(withDecoder.value.slide.levels.map((l) => l.width)).toEqual([1000, 250]);
    const without = await open(buf);
    expect('error' in without && without.error).toMatch(/Aperio JPEG 2000 \(YCbCr\).*not one a browser can decode/);
  });

  it('directories alone (pure): a label and macro of another shape are associated images, not levels', () => {
    const d = (o: Partial<TiffDirectory>): TiffDirectory => ({ width: 4000, height: 3000, tiled: true, blockWidth: 256, blockHeight: 256, blockCount: 16 * 12, compression: 7, photometric: 6, samplesPerPixel: 3, bitsPerSample: 8, planar: 1, description: undefined, subfileType: 0, xResolution: undefined, resolutionUnit: undefined, hasJpegTables: true, ...o });
    const r = tiffSlide([
      d({ description: 'Aperio Image Library v12\r\n4000x3000 (256x256) J2K/YUV16 Q=70|MPP = 0.2525|AppMag = 40' }),
      d({ width: 1000, height: 750, blockCount: 12 }),
      d({ width: 500, height: 600, tiled: false, blockWidth: 500, blockHeight: 600, blockCount: 1, compression: 5, description: 'Aperio Image Library v12\nlabel 500x600' }),
      d({ width: 1500, height: 500, tiled: false, blockWidth: 1500, blockHeight: 500, blockCount: 1, description: 'Aperio Image Library v12\nmacro 1500x500' }),
    ]);
    if (r.error !== undefined) throw new Error(r.error);
    expect(r.value.mpp).toBe(0.2525);
    expect(r.value.levels.map((l) => l.width)).toEqual([4000, 1000]);
    expect(r.value.associated.map((a) => a.kind)).toEqual(['label', 'macro']);
  });
});
