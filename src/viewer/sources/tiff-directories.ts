import type { FileLevel } from '../../model/pyramid';
import type { AssociatedKind } from './slide-file-types';
import { parseOmeMpp, parseSvsDescription, plausibleMpp } from './svs-description';

/**
 * A TIFF's image directories, summarised (numbers and text read by the TIFF reader), turned
 * into a slide: which directories are pyramid levels, which are a label, a macro or a
 * thumbnail, the pixel size, and whether Lamina can decode its tiles; or why not, in words.
 * Pure: the fuzz tests feed it whatever a damaged file parses to.
 */

export interface TiffDirectory {
  readonly width: number;
  readonly height: number;
  readonly tiled: boolean;
  /** Tile size, or for strips the image width and RowsPerStrip. */
  readonly blockWidth: number;
  readonly blockHeight: number;
  /** How many tile (or strip) offsets the directory lists. */
  readonly blockCount: number;
  readonly compression: number;
  readonly photometric: number | undefined;
  readonly samplesPerPixel: number;
  readonly bitsPerSample: number;
  readonly planar: number;
  readonly description: string | undefined;
  /** NewSubfileType: bit 0 set = a reduced-resolution image. */
  readonly subfileType: number;
  readonly xResolution: number | undefined;
  readonly resolutionUnit: number | undefined;
  readonly hasJpegTables: boolean;
}

export interface TiffSlide {
  /** In words: "Aperio SVS, JPEG tiles". */
  readonly format: string;
  /** Pyramid levels, finest first, with the directory each is read from. */
  readonly levels: ReadonlyArray<FileLevel & { readonly dir: number }>;
  readonly associated: ReadonlyArray<{ readonly kind: AssociatedKind; readonly dir: number; readonly width: number; readonly height: number }>;
  readonly mpp: number | undefined;
  readonly mppFrom: string | undefined;
}

/** Compressions whose tiles Lamina decodes, by TIFF code. */
export const COMPRESSIONS: Readonly<Record<number, string>> = {
  1: 'uncompressed',
  5: 'LZW',
  7: 'JPEG',
  8: 'Deflate',
  32773: 'PackBits',
  32946: 'Deflate',
  50001: 'WebP',
};

/** JPEG 2000 as Aperio writes it (YCbCr and RGB), and as others do. */
export const JPEG2000_COMPRESSIONS = new Set([33003, 33004, 33005, 34712]);

const NAMES: Readonly<Record<number, string>> = {
  6: 'old-style JPEG',
  34887: 'LERC',
  34925: 'LZMA',
  50000: 'Zstandard',
  34892: 'lossy Deflate',
  33003: 'Aperio JPEG 2000 (YCbCr)',
  33004: 'JPEG 2000',
  33005: 'Aperio JPEG 2000 (RGB)',
  34712: 'JPEG 2000',
};

/** The largest image Lamina accepts: 2^38 pixels (a 640,000 × 420,000 slide); no scanner comes near. */
export const MAX_PIXELS = 2 ** 38;
/** Longest side accepted. */
export const MAX_SIDE = 2 ** 20;
/** A block (strip or tile) is decoded whole: larger ones would not fit a browser's canvas. */
export const MAX_BLOCK_PIXELS = 8192 * 8192;

export type TiffSlideResult = { readonly value: TiffSlide; readonly error?: undefined } | { readonly error: string };

function sizeText(d: { width: number; height: number }): string {
  return `${d.width.toLocaleString('en')} × ${d.height.toLocaleString('en')}`;
}

/** Why one directory cannot be read, or undefined when it can (JPEG 2000 when `jpeg2000` is on). */
export function directoryProblem(d: TiffDirectory, jpeg2000: boolean): string | undefined {
  if (!(d.width >= 1 && d.height >= 1) || !Number.isInteger(d.width) || !Number.isInteger(d.height)) return `it declares an image of ${d.width} × ${d.height} pixels`;
  if (d.width > MAX_SIDE || d.height > MAX_SIDE || d.width * d.height > MAX_PIXELS) return `it declares an image of ${sizeText(d)} pixels, larger than any slide`;
  if (!(d.blockWidth >= 1 && d.blockHeight >= 1) || !Number.isInteger(d.blockWidth) || !Number.isInteger(d.blockHeight)) return `its ${d.tiled ? 'tile' : 'strip'} size is ${d.blockWidth} × ${d.blockHeight}`;
  const known = COMPRESSIONS[d.compression] !== undefined || (jpeg2000 && JPEG2000_COMPRESSIONS.has(d.compression));
  if (!known) return `its compression (${NAMES[d.compression] ?? `TIFF code ${d.compression}`}) is not one a browser can decode`;
  if (d.bitsPerSample !== 8) return `it has ${d.bitsPerSample}-bit samples (Lamina reads 8-bit colour and grey)`;
  if (d.planar !== 1 && d.samplesPerPixel > 1) return 'its colour channels are stored apart (planar configuration 2)';
  if (![1, 3, 4].includes(d.samplesPerPixel)) return `it has ${d.samplesPerPixel} samples per pixel`;
  const blocksAcross = Math.ceil(d.width / d.blockWidth);
  const blocksDown = Math.ceil(d.height / d.blockHeight);
  if (blocksAcross * blocksDown !== d.blockCount) return `it lists ${d.blockCount} ${d.tiled ? 'tiles' : 'strips'} where its size needs ${blocksAcross * blocksDown}`;
  return undefined;
}

function mppFromResolution(d: TiffDirectory): number | undefined {
  const r = d.xResolution;
  if (r === undefined || !(r > 0)) return undefined;
  // 2: pixels per inch, 3: per centimetre; 1 (none) says nothing about size.
  if (d.resolutionUnit === 3) return plausibleMpp(10_000 / r);
  if (d.resolutionUnit === 2 || d.resolutionUnit === undefined) {
    const mpp = 25_400 / r;
    // 72, 96 or 300 dpi are a screen's or a printer's, not a microscope's.
    return mpp > 20 ? undefined : plausibleMpp(mpp);
  }
  return undefined;
}

/**
 * The slide in a TIFF's directories (in file order). Levels are the full-resolution image and
 * its reductions of the same shape; anything of another shape is a label, a macro or left out.
 */
export function tiffSlide(dirs: readonly TiffDirectory[], opts: { readonly jpeg2000: boolean } = { jpeg2000: false }): TiffSlideResult {
  if (dirs.length === 0) return { error: 'It holds no image.' };
  const first = dirs[0]!;
  const svs = parseSvsDescription(first.description);
  const ome = parseOmeMpp(first.description);
  const problem = directoryProblem(first, opts.jpeg2000);
  if (problem) return { error: `Its main image cannot be read: ${problem}.` };
  const base = first;
  const aspect = base.width / base.height;
  const levels: Array<FileLevel & { dir: number }> = [];
  const associated: Array<{ kind: AssociatedKind; dir: number; width: number; height: number }> = [];
  dirs.forEach((d, dir) => {
    if (dir === 0) {
      levels.push({ width: d.width, height: d.height, blockWidth: d.blockWidth, blockHeight: d.blockHeight, dir });
      return;
    }
    if (directoryProblem(d, opts.jpeg2000)) return; // a damaged extra image is left out, not fatal
    const desc = parseSvsDescription(d.description);
    const sameShape = Math.abs(d.width / d.height / aspect - 1) < 0.02 && d.width < base.width;
    if (desc.associated === 'label' || desc.associated === 'macro') {
      associated.push({ kind: desc.associated, dir, width: d.width, height: d.height });
      return;
    }
    if (desc.associated === 'thumbnail') associated.push({ kind: 'thumbnail', dir, width: d.width, height: d.height });
    // An SVS thumbnail is a reduction of the whole slide: a level too (for the first view).
    if (sameShape) levels.push({ width: d.width, height: d.height, blockWidth: d.blockWidth, blockHeight: d.blockHeight, dir });
  });
  levels.sort((a, b) => b.width - a.width);
  if (base.blockWidth * base.blockHeight > MAX_BLOCK_PIXELS) {
    return { error: `Its ${sizeText(base)} pixels are stored in ${base.tiled ? 'tiles' : 'strips'} of ${sizeText({ width: base.blockWidth, height: base.blockHeight })}, too large to decode in a browser. Save it as a tiled pyramid (vips tiffsave in.tif out.tif --tile --pyramid --compression jpeg) and open that.` };
  }
  // Levels whose blocks are too large to decode are dropped (the next finer one stands in).
  const usable = levels.filter((l, i) => i === 0 || l.blockWidth * l.blockHeight <= MAX_BLOCK_PIXELS);
  const compression = COMPRESSIONS[base.compression] ?? NAMES[base.compression] ?? `code ${base.compression}`;
  const kind = svs.aperio ? 'Aperio SVS' : ome !== undefined || /<OME[\s>]/.test(base.description ?? '') ? 'OME-TIFF' : usable.length > 1 ? 'Pyramidal TIFF' : base.tiled ? 'Tiled TIFF' : 'TIFF';
  const format = `${kind}, ${compression} ${base.tiled ? 'tiles' : 'strips'}`;
  const fromRes = mppFromResolution(base);
  const [mpp, mppFrom] = svs.mpp !== undefined ? [svs.mpp, 'the SVS MPP field'] : ome !== undefined ? [ome, 'the OME-XML PhysicalSizeX'] : fromRes !== undefined ? [fromRes, 'the TIFF resolution tags'] : [undefined, undefined];
  return { value: { format, levels: usable, associated, mpp, mppFrom } };
}
