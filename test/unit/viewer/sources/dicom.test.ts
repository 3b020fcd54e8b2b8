import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DicomReader } from '../../../../src/viewer/sources/dicom-reader';
import { dicomProblem, parseDicom } from '../../../../src/viewer/sources/dicom-parse';
import { dicomLevel } from '../../../fixtures/dicom-wsi';

describe('DICOM whole-slide headers', () => {
  it('reads a level written by the test writer: sizes, tiles, frames, pixel spacing inside an undefined-length sequence, where the pixels start', async () => {
    const file = await dicomLevel({ width: 1200, height: 800 }, { width: 1200, height: 800, tile: 256, mpp: 0.5 });
    const r = parseDicom(file, file.length);
    if (!('value' in r)) throw new Error(JSON.stringify(r));
    const f = r.value;
    expect(f).toMatchObject({ totalColumns: 1200, totalRows: 800, tileColumns: 256, tileRows: 256, frames: 20, samplesPerPixel: 3, photometric: 'YBR_FULL_422', organisation: 'TILED_FULL', transferSyntax: '1.2.840.10008.1.2.4.50' });
    expect(f.mpp).toBeCloseTo(0.5, 9);
    expect(f.imageType).toContain('VOLUME');
    expect(dicomProblem(f)).toBeUndefined();
    // The pixel data's first item is the basic offset table.
    expect([...file.subarray(f.pixelDataOffset, f.pixelDataOffset + 4)]).toEqual([0xfe, 0xff, 0x00, 0xe0]);
  });

  it('asks for more bytes when the header goes past what it was given; says what is wrong otherwise', async () => {
    const file = await dicomLevel({ width: 600, height: 400 }, { width: 600, height: 400, tile: 256, mpp: 0.5 });
    expect(parseDicom(file.subarray(0, 200), file.length)).toHaveProperty('needBytes');
    const cut = file.subarray(0, 300);
    expect(parseDicom(cut, cut.length)).toMatchObject({ error: expect.stringMatching(/truncated/) });
    expect(parseDicom(new Uint8Array(200), 200)).toMatchObject({ error: expect.stringMatching(/no DICM/) });
    const other = Buffer.from(file);
    other.write('1.2.840.10008.5.1.4.1.1.2\0', other.indexOf('1.2.840.10008.5.1.4.1.1.77.1.6', 300), 'latin1');
    const r = parseDicom(other, other.length);
    if (!('value' in r)) throw new Error('unparsed');
    expect(dicomProblem(r.value)).toMatch(/not a VL Whole Slide Microscopy image/);
  });
});

/** Where an element's value starts (explicit VR, short form), found by its tag and VR. */
function valueAt(file: Uint8Array, group: number, elem: number, vr: string): number {
  const head = Buffer.alloc(6);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elem, 2);
  head.write(vr, 4, 'latin1');
  const at = Buffer.from(file.buffer, file.byteOffset, file.byteLength).indexOf(head, 132);
  if (at < 0) throw new Error(`no ${group.toString(16)},${elem.toString(16)} in the file`);
  return at + 8;
}

/** Opens files as the worker does (Blob-backed File objects work the same in Node). */
function openLevels(...files: Uint8Array[]) {
  return DicomReader.open(files.map((b, i) => new File([b as Uint8Array<ArrayBuffer>], `level-${i}.dcm`)));
}

describe('DICOM whole-slide files with JPEG 2000 frames', () => {
  it('are read where a JPEG 2000 decoder is at hand, and refused in words where none is', async () => {
    const file = await dicomLevel({ width: 600, height: 400 }, { width: 600, height: 400, tile: 256, mpp: 0.5, codec: 'jpeg2000' });
    const r = parseDicom(file, file.length);
    if (!('value' in r)) throw new Error(JSON.stringify(r));
    expect(r.value).toMatchObject({ transferSyntax: '1.2.840.10008.1.2.4.90', photometric: 'RGB', frames: 6 });
    expect(dicomProblem(r.value)).toMatch(/JPEG 2000, and no JPEG 2000 decoder is loaded/);
    expect(dicomProblem(r.value, { jpeg2000: true })).toBeUndefined();
    expect(await openLevels(file)).toMatchObject({ error: expect.stringMatching(/JPEG 2000/) });
  });
});

describe('DICOM whole-slide files: bad input gives an error in words, never a throw', () => {
  const full = { width: 600, height: 400 };
  const good = dicomLevel(full, { width: 600, height: 400, tile: 128, mpp: 0.5 });

  it('0 × 0 and 10⁶ × 10⁶ declared sizes', async () => {
    const zero = Buffer.from(await good);
    zero.writeUInt32LE(0, valueAt(zero, 0x0048, 0x0006, 'UL'));
    zero.writeUInt32LE(0, valueAt(zero, 0x0048, 0x0007, 'UL'));
    expect(await openLevels(zero)).toMatchObject({ error: expect.stringMatching(/image or tile size is missing/) });
    const huge = Buffer.from(await good);
    huge.writeUInt32LE(1_000_000, valueAt(huge, 0x0048, 0x0006, 'UL'));
    huge.writeUInt32LE(1_000_000, valueAt(huge, 0x0048, 0x0007, 'UL'));
    // 10⁶ is within DICOM's limit of 2²⁰, but then its 20 frames cannot cover it.
    expect(await openLevels(huge)).toMatchObject({ error: expect.stringMatching(/20 frames where its size needs/) });
    huge.writeUInt32LE(5_000_000, valueAt(huge, 0x0048, 0x0006, 'UL'));
    expect(await openLevels(huge)).toMatchObject({ error: expect.stringMatching(/5000000 × 1000000 pixels, larger than any slide/) });
  });

  it('a truncated file, frame offsets outside the file, a transfer syntax Lamina cannot decode', async () => {
    const file = await good;
    expect(await openLevels(file.subarray(0, 700))).toMatchObject({ error: expect.stringMatching(/level-0\.dcm.*(truncated|damaged)/) });
    // Cut inside the frames: the offset table points past the end.
    expect(await openLevels(file.subarray(0, file.length - 3000))).toMatchObject({ error: expect.stringMatching(/level-0\.dcm.*outside the file/) });
    const ls = Buffer.from(file);
    const ts = valueAt(ls, 0x0002, 0x0010, 'UI');
    ls.write('1.2.840.10008.1.2.4.80\0', ts, 'latin1');
    expect(await openLevels(ls)).toMatchObject({ error: expect.stringMatching(/JPEG-LS, which Lamina cannot decode/) });
  });

  it('sequences nested a hundred thousand deep (a stack overflow, were they followed) are refused in words', async () => {
    const file = await good;
    const depth = 100_000;
    const open = Buffer.from([0x09, 0x00, 0x10, 0x10, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]);
    const close = Buffer.from([0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
    const at = valueAt(file, 0x0008, 0x0008, 'CS') - 8; // the dataset's first element
    const nested = Buffer.concat([file.subarray(0, at), Buffer.alloc(open.length * depth).fill(open), Buffer.alloc(close.length * depth).fill(close), file.subarray(at)]);
    expect(parseDicom(nested, nested.length)).toMatchObject({ error: expect.stringMatching(/nest too deeply/) });
  });

  it('fuzz: random files and mutated real headers and offset tables never throw: an error in words, or levels that hold together', async () => {
    const valid = Uint8Array.from(await good);
    const pixels = valueAt(valid, 0x7fe0, 0x0010, 'OB') + 4; // after the long form's length
    const preamble = new Uint8Array(132);
    preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
    const randomFile = fc.uint8Array({ maxLength: 800 }).map((rest) => {
      const b = new Uint8Array(132 + rest.length);
      b.set(preamble);
      b.set(rest, 132);
      return b;
    });
    // A few bytes overwritten, in the header or in the offset table and the first frames' items.
    const mutated = fc
      .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), { minLength: 1, maxLength: 10 })
      .map((edits) => {
        const b = Uint8Array.from(valid);
        for (const [at, v, inHeader] of edits) b[inHeader ? 128 + (at % (pixels - 128)) : pixels + (at % 400)] = v;
        return b;
      });
    // Cut anywhere.
    const cut = fc.integer({ min: 0, max: valid.length - 1 }).map((n) => valid.subarray(0, n));
    await fc.assert(
      fc.asyncProperty(fc.oneof(randomFile, mutated, cut), async (bytes) => {
        const parsed = parseDicom(bytes, bytes.length);
        expect('value' in parsed || 'error' in parsed).toBe(true);
        const r = await openLevels(bytes);
        if ('error' in r) {
          expect(r.error).toMatch(/^“level-0\.dcm”: .{10,}|^None of these files|^These files/);
          return;
        }
        expect(r.value.levels.length).toBeGreaterThan(0);
        for (const l of r.value.levels) expect(l.width >= 1 && l.height >= 1 && l.blockWidth >= 1 && l.blockHeight >= 1 && l.width <= 2 ** 20).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
