/**
 * A TIFF's JPEG tile as a browser decodes it. Pure.
 *
 * - Abbreviated streams: Aperio and libtiff store the quantisation and Huffman tables once, in
 *   the JPEGTables tag, and each tile carries only its frame and scan. The tables (without their
 *   end marker) and the tile (without its start marker) make one complete JPEG.
 * - Colour: a JPEG without a JFIF or Adobe marker is taken by browsers (libjpeg's rule) as
 *   YCbCr. Aperio's "JPEG/RGB" tiles hold RGB samples (TIFF Photometric = RGB): read as YCbCr
 *   their colours are wrong (measured on CMU-1-Small-Region: mean error 49 levels, 0 with the
 *   marker). An Adobe APP14 marker with transform 0 says "RGB, no transform".
 */

const SOI = [0xff, 0xd8] as const;
/** APP14 "Adobe", version 100, flags 0, 0, transform 0 (no colour transform). */
const ADOBE_RGB = Uint8Array.of(0xff, 0xee, 0x00, 0x0e, 0x41, 0x64, 0x6f, 0x62, 0x65, 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00);

export const PHOTOMETRIC_RGB = 2;

function isSoi(b: Uint8Array, at = 0): boolean {
  return b[at] === SOI[0] && b[at + 1] === SOI[1];
}

/** Whether the stream has a JFIF (APP0) or Adobe (APP14) marker before its frame. */
export function hasColourMarker(b: Uint8Array): boolean {
  let i = 2;
  while (i + 4 <= b.length && b[i] === 0xff) {
    const marker = b[i + 1]!;
    if (marker === 0xe0 || marker === 0xee) return true;
    // Stop at the frame or scan: colour markers come before them.
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2 || marker === 0xda) return false;
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    if (len < 2) return false;
    i += 2 + len;
  }
  return false;
}

/**
 * One decodable JPEG from a tile's bytes, the directory's JPEGTables (if any) and its
 * Photometric. Returns the tile unchanged where nothing is needed. Throws on bytes that are no
 * JPEG at all (the caller says which tile).
 */
export function tiffJpeg(tile: Uint8Array, tables: Uint8Array | undefined, photometric: number | undefined): Uint8Array {
  if (!isSoi(tile)) throw new Error('the tile is not a JPEG stream');
  let jpeg = tile;
  if (tables && tables.length > 4 && isSoi(tables)) {
    // Tables end with EOI (FF D9): cut it, and the tile's own SOI.
    const end = tables[tables.length - 2] === 0xff && tables[tables.length - 1] === 0xd9 ? tables.length - 2 : tables.length;
    jpeg = new Uint8Array(end + tile.length - 2);
    jpeg.set(tables.subarray(0, end), 0);
    jpeg.set(tile.subarray(2), end);
  }
  if (photometric === PHOTOMETRIC_RGB && !hasColourMarker(jpeg)) {
    const out = new Uint8Array(jpeg.length + ADOBE_RGB.length);
    out.set(jpeg.subarray(0, 2), 0);
    out.set(ADOBE_RGB, 2);
    out.set(jpeg.subarray(2), 2 + ADOBE_RGB.length);
    jpeg = out;
  }
  return jpeg;
}
