/**
 * DICOM Part 10 headers, as far as a whole-slide image needs them: the VL Whole Slide
 * Microscopy attributes of one file (one pyramid level, or a label, overview or thumbnail), up
 * to the pixel data, whose frames stay in the file. Explicit and implicit VR little endian;
 * sequences of defined and undefined length. Pure: works on the first bytes of a file (the
 * caller reads more when told to).
 */

export const VL_WSI_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.77.1.6';

export const TRANSFER_SYNTAXES: Readonly<Record<string, { name: string; codec: 'raw' | 'jpeg' | 'jpeg2000' | undefined }>> = {
  '1.2.840.10008.1.2': { name: 'implicit VR little endian', codec: 'raw' },
  '1.2.840.10008.1.2.1': { name: 'explicit VR little endian', codec: 'raw' },
  '1.2.840.10008.1.2.4.50': { name: 'JPEG baseline', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.51': { name: 'JPEG extended', codec: 'jpeg' },
  '1.2.840.10008.1.2.4.90': { name: 'JPEG 2000 lossless', codec: 'jpeg2000' },
  '1.2.840.10008.1.2.4.91': { name: 'JPEG 2000', codec: 'jpeg2000' },
  '1.2.840.10008.1.2.2': { name: 'explicit VR big endian', codec: undefined },
  '1.2.840.10008.1.2.4.70': { name: 'JPEG lossless', codec: undefined },
  '1.2.840.10008.1.2.4.80': { name: 'JPEG-LS', codec: undefined },
  '1.2.840.10008.1.2.5': { name: 'RLE', codec: undefined },
};

export interface DicomWsiFile {
  readonly sopClass: string;
  readonly transferSyntax: string;
  readonly imageType: readonly string[];
  readonly seriesUid: string;
  readonly totalColumns: number;
  readonly totalRows: number;
  readonly tileColumns: number;
  readonly tileRows: number;
  readonly frames: number;
  readonly samplesPerPixel: number;
  readonly photometric: string;
  readonly bitsAllocated: number;
  /** TILED_FULL (frames in row-major order) or TILED_SPARSE. */
  readonly organisation: string | undefined;
  /** µm per pixel from PixelSpacing (mm, row\column) of the shared functional groups. */
  readonly mpp: number | undefined;
  /** Where the pixel data's value starts in the file, and its length (0xFFFFFFFF: encapsulated). */
  readonly pixelDataOffset: number;
  readonly pixelDataLength: number;
}

export type DicomParse = { readonly value: DicomWsiFile } | { readonly error: string } | { readonly needBytes: number };

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_END = 0xfffee00d;
const SEQ_END = 0xfffee0dd;
const PIXEL_DATA = 0x7fe00010;
/** Sequences whose items Lamina reads (the rest are skipped): shared groups → pixel measures. */
const SEQUENCES_READ = new Set([0x52009229, 0x00289110]);
/** Implicit VR: the sequences among the tags that matter. */
const IMPLICIT_SQ = new Set([0x52009229, 0x00289110, 0x52009230]);

class NeedMore extends Error {
  constructor(readonly bytes: number) {
    super('need more bytes');
  }
}
class Malformed extends Error {}

interface Reader {
  readonly b: Uint8Array;
  readonly v: DataView;
  readonly fileSize: number;
}

function need(r: Reader, end: number): void {
  if (end > r.b.length) {
    if (end > r.fileSize) throw new Malformed('it ends in the middle of an element (truncated)');
    throw new NeedMore(Math.max(end, r.b.length * 2));
  }
}

function text(r: Reader, at: number, len: number): string {
  need(r, at + len);
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(r.b[at + i]!);
  return s.replace(/[\0 ]+$/, '').trim();
}

type Values = Map<number, { at: number; len: number; vr: string }>;

/**
 * Reads elements from `pos` until `end` (or a delimiter, or the pixel data), recording the ones
 * in `values`; returns where it stopped.
 */
function walk(r: Reader, pos: number, end: number, explicit: boolean, values: Values, stopAtPixels: boolean, depth: number): number {
  if (depth > 8) throw new Malformed('its sequences nest too deeply');
  while (pos < end) {
    need(r, pos + 8);
    const tag = ((r.v.getUint16(pos, true) << 16) | r.v.getUint16(pos + 2, true)) >>> 0;
    if (tag === ITEM_END || tag === SEQ_END) return pos + 8;
    let vr: string;
    let len: number;
    let header: number;
    if (explicit && tag !== ITEM) {
      vr = String.fromCharCode(r.b[pos + 4]!, r.b[pos + 5]!);
      if (LONG_VRS.has(vr)) {
        need(r, pos + 12);
        len = r.v.getUint32(pos + 8, true);
        header = 12;
      } else {
        len = r.v.getUint16(pos + 6, true);
        header = 8;
      }
    } else {
      vr = IMPLICIT_SQ.has(tag) ? 'SQ' : tag === PIXEL_DATA ? 'OB' : 'UN';
      len = r.v.getUint32(pos + 4, true);
      header = 8;
    }
    const value = pos + header;
    if (tag === PIXEL_DATA) {
      values.set(tag, { at: value, len, vr });
      if (stopAtPixels) return value;
    }
    if (vr === 'SQ' || (len === UNDEFINED && tag !== PIXEL_DATA)) {
      const seqEnd = len === UNDEFINED ? Infinity : value + len;
      let p = value;
      // Items: each walked (read or skipped) to its end.
      while (p < seqEnd) {
        need(r, p + 8);
        const t = ((r.v.getUint16(p, true) << 16) | r.v.getUint16(p + 2, true)) >>> 0;
        const l = r.v.getUint32(p + 4, true);
        if (t === SEQ_END) {
          p += 8;
          break;
        }
        if (t !== ITEM) throw new Malformed(`a sequence holds something other than items at byte ${p}`);
        const itemEnd = l === UNDEFINED ? Infinity : p + 8 + l;
        const inner: Values = SEQUENCES_READ.has(tag) ? values : new Map();
        p = l === UNDEFINED || SEQUENCES_READ.has(tag) ? walk(r, p + 8, itemEnd, explicit, inner, false, depth + 1) : itemEnd;
        if (l !== UNDEFINED) p = itemEnd;
      }
      pos = len === UNDEFINED ? p : value + len;
      continue;
    }
    if (len === UNDEFINED) throw new Malformed('an element of undefined length is not a sequence');
    if (!values.has(tag)) values.set(tag, { at: value, len, vr });
    pos = value + len;
  }
  return pos;
}

/** Parses a DICOM file's header from its first bytes (`fileSize`: the whole file's). */
export function parseDicom(b: Uint8Array, fileSize: number): DicomParse {
  const r: Reader = { b, v: new DataView(b.buffer, b.byteOffset, b.byteLength), fileSize };
  try {
    need(r, 132);
    if (text(r, 128, 4) !== 'DICM') return { error: 'it is not a DICOM file (no DICM marker)' };
    // File meta: explicit VR little endian, group 2.
    const meta: Values = new Map();
    let pos = 132;
    while (true) {
      need(r, pos + 8);
      if (r.v.getUint16(pos, true) !== 0x0002) break;
      pos = walk(r, pos, pos + 1, true, meta, false, 0);
    }
    const tsAt = meta.get(0x00020010);
    const ts = tsAt ? text(r, tsAt.at, tsAt.len) : '';
    const syntax = TRANSFER_SYNTAXES[ts];
    if (!syntax) return { error: `its transfer syntax ${ts || '(none)'} is not one Lamina reads` };
    if (syntax.codec === undefined) return { error: `its pixels are ${syntax.name}, which Lamina cannot decode (JPEG baseline, JPEG 2000 and uncompressed are read)` };
    const values: Values = new Map();
    walk(r, pos, Infinity, ts !== '1.2.840.10008.1.2', values, true, 0);
    const str = (tag: number): string => {
      const e = values.get(tag);
      return e ? text(r, e.at, e.len) : '';
    };
    const us = (tag: number): number => {
      const e = values.get(tag);
      if (!e) return NaN;
      need(r, e.at + e.len);
      if (e.vr === 'IS' || e.vr === 'DS') return Number(text(r, e.at, e.len));
      return e.len >= 4 && (e.vr === 'UL' || e.len === 4) ? r.v.getUint32(e.at, true) : e.len >= 2 ? r.v.getUint16(e.at, true) : NaN;
    };
    const pixels = values.get(PIXEL_DATA);
    if (!pixels) return { error: 'it has no pixel data' };
    const spacing = str(0x00280030).split('\\').map(Number);
    const mm = spacing.length === 2 && spacing.every((x) => x > 0 && Number.isFinite(x)) ? spacing[1]! : undefined;
    return {
      value: {
        sopClass: str(0x00080016),
        transferSyntax: ts,
        imageType: str(0x00080008).split('\\').map((s) => s.trim().toUpperCase()),
        seriesUid: str(0x0020000e),
        totalColumns: us(0x00480006),
        totalRows: us(0x00480007),
        tileColumns: us(0x00280011),
        tileRows: us(0x00280010),
        frames: values.has(0x00280008) ? Number(str(0x00280008)) : 1,
        samplesPerPixel: us(0x00280002),
        photometric: str(0x00280004),
        bitsAllocated: us(0x00280100),
        organisation: str(0x00209311) || undefined,
        mpp: mm !== undefined ? mm * 1000 : undefined,
        pixelDataOffset: pixels.at,
        pixelDataLength: pixels.len,
      },
    };
  } catch (e) {
    if (e instanceof NeedMore) return { needBytes: e.bytes };
    if (e instanceof Malformed || e instanceof RangeError) return { error: `its header is damaged (${e.message})` };
    throw e;
  }
}

/** Why a parsed file is no usable slide level, or undefined (`jpeg2000`: a decoder for such frames is at hand). */
export function dicomProblem(f: DicomWsiFile, opts: { jpeg2000: boolean } = { jpeg2000: false }): string | undefined {
  if (f.sopClass !== VL_WSI_SOP_CLASS) return `it is a DICOM object of class ${f.sopClass || '(none)'}, not a VL Whole Slide Microscopy image`;
  const whole = (n: number): boolean => Number.isInteger(n) && n >= 1;
  if (![f.totalColumns, f.totalRows, f.tileColumns, f.tileRows, f.frames].every(whole)) return 'its image or tile size is missing or not a whole number';
  if (f.totalColumns > 2 ** 20 || f.totalRows > 2 ** 20) return `it declares ${f.totalColumns} × ${f.totalRows} pixels, larger than any slide`;
  if (f.organisation !== undefined && f.organisation !== 'TILED_FULL') return `its tiles are organised as ${f.organisation} (Lamina reads TILED_FULL)`;
  if (f.bitsAllocated !== 8 || ![1, 3].includes(f.samplesPerPixel)) return 'it is not 8-bit grey or colour';
  const needed = Math.ceil(f.totalColumns / f.tileColumns) * Math.ceil(f.totalRows / f.tileRows);
  if (f.frames < needed) return `it has ${f.frames} frames where its size needs ${needed}`;
  if (TRANSFER_SYNTAXES[f.transferSyntax]?.codec === 'jpeg2000' && !opts.jpeg2000) return 'its frames are JPEG 2000, and no JPEG 2000 decoder is loaded here';
  return undefined;
}
