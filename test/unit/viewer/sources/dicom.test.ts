import { describe, expect, it } from 'vitest';
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
