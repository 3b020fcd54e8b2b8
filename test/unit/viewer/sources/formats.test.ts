import { describe, expect, it } from 'vitest';
import { sniff } from '../../../../src/viewer/sources/sniff';
import { parseOmeMpp, parseSvsDescription } from '../../../../src/viewer/sources/svs-description';
import { hasColourMarker, tiffJpeg } from '../../../../src/viewer/sources/jpeg-stream';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('what a file is', () => {
  it('tells formats from their bytes, and names the ones Lamina cannot read with what to convert them with', () => {
    expect(sniff(bytes(0x49, 0x49, 0x2a, 0), 'a.svs')).toEqual({ kind: 'tiff' });
    expect(sniff(bytes(0x4d, 0x4d, 0, 0x2b), 'a.btf')).toEqual({ kind: 'tiff' });
    expect(sniff(bytes(0xff, 0xd8, 0xff, 0xe0), 'a.jpg')).toEqual({ kind: 'jpeg' });
    expect(sniff(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), 'a.png')).toEqual({ kind: 'png' });
    const dicom = new Uint8Array(132);
    dicom.set([0x44, 0x49, 0x43, 0x4d], 128);
    expect(sniff(dicom, 'level-0')).toEqual({ kind: 'dicom' });
    // NDPI is a TIFF inside: its name tells it apart.
    const ndpi = sniff(bytes(0x49, 0x49, 0x2a, 0), 'OS-1.ndpi');
    expect('unsupported' in ndpi && ndpi.unsupported).toMatch(/Hamamatsu NDPI.*QuPath.*bfconvert.*vips tiffsave/s);
    for (const [name, what] of [['s.mrxs', 'MIRAX'], ['s.czi', 'Zeiss CZI'], ['s.vsi', 'Olympus VSI']] as const) {
      const r = sniff(bytes(1, 2, 3, 4), name);
      expect('unsupported' in r && r.unsupported).toContain(what);
    }
    const other = sniff(bytes(1, 2, 3, 4), 'notes.txt');
    expect('unsupported' in other && other.unsupported).toMatch(/not a slide Lamina can read/);
  });
});

describe('Aperio and OME descriptions', () => {
  it('reads MPP and AppMag, and tells label, macro and thumbnail apart', () => {
    const full = parseSvsDescription('Aperio Image Library v11.2.1 \r\n46000x32914 [0,100 46000x32914] (256x256) JPEG/RGB Q=30|AppMag = 20|MPP = 0.4990|Left = 25.69');
    expect(full).toEqual({ aperio: true, mpp: 0.499, appMag: 20, associated: undefined });
    expect(parseSvsDescription('Aperio Image Library v11.2.1 \nlabel 387x463').associated).toBe('label');
    expect(parseSvsDescription('Aperio Image Library v11.2.1 \nmacro 1280x431').associated).toBe('macro');
    expect(parseSvsDescription('Aperio Image Library v11.2.1 \n2220x2967 -> 574x768 - ;Aperio').associated).toBe('thumbnail');
    expect(parseSvsDescription('Aperio x|MPP = 1e9').mpp).toBeUndefined();
    expect(parseSvsDescription('ImageJ=1.5').aperio).toBe(false);
    expect(parseOmeMpp('<OME xmlns="…"><Image><Pixels PhysicalSizeX="250" PhysicalSizeXUnit="nm"/></Image></OME>')).toBeCloseTo(0.25);
    expect(parseOmeMpp('<OME><Pixels PhysicalSizeX="0.5"/></OME>')).toBe(0.5);
  });
});

describe('JPEG tiles of a TIFF', () => {
  const tables = bytes(0xff, 0xd8, 0xff, 0xdb, 0, 3, 9, 0xff, 0xd9);
  const tile = bytes(0xff, 0xd8, 0xff, 0xc0, 0, 2, 0xff, 0xda, 0, 2, 7, 0xff, 0xd9);
  it('splices the JPEGTables in: the tables without their end, the tile without its start', () => {
    expect([...tiffJpeg(tile, tables, 6)]).toEqual([0xff, 0xd8, 0xff, 0xdb, 0, 3, 9, 0xff, 0xc0, 0, 2, 0xff, 0xda, 0, 2, 7, 0xff, 0xd9]);
  });
  it('marks an RGB tile as RGB (Adobe, no transform), once', () => {
    const rgb = tiffJpeg(tile, tables, 2);
    expect([...rgb.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xee]);
    expect(rgb[15]).toBe(0); // transform 0
    expect(hasColourMarker(rgb)).toBe(true);
    expect(tiffJpeg(rgb, undefined, 2)).toBe(rgb);
    expect(hasColourMarker(tiffJpeg(tile, tables, 6))).toBe(false);
  });
  it('refuses bytes that are no JPEG', () => {
    expect(() => tiffJpeg(bytes(0, 1, 2), tables, 2)).toThrow(/not a JPEG stream/);
  });
});
