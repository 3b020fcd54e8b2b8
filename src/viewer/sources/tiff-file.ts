import GeoTIFF from 'geotiff';
import type { GeoTIFFImage } from 'geotiff';
import type { BlobBytes } from './byte-source';
import type { TiffDirectory, TiffSlide } from './tiff-directories';
import { tiffSlide } from './tiff-directories';

/**
 * A TIFF (or BigTIFF, SVS, OME-TIFF) read with geotiff.js: its directories parsed (tile offsets
 * stay in the file until a tile needs one: geotiff.js reads large arrays lazily), summarised
 * for tiff-directories.ts, and its blocks (tiles or strips) read as the stored bytes. Decoding
 * is the caller's (the worker decodes JPEG with the browser's own decoder).
 */

/** Directories read at most: slides have a handful; a loop in a damaged file must end. */
const MAX_DIRECTORIES = 64;
/** SubIFDs: offsets of directories hung under a directory rather than chained after it. */
const SUB_IFDS = 330;
/** Reductions read at most (a pyramid of a 10⁶ px side has 12). */
const MAX_SUB_IFDS = 32;

export interface StoredBlock {
  readonly bytes: Uint8Array;
  readonly compression: number;
  readonly photometric: number | undefined;
  /** JPEGTables, for JPEG tiles that carry only their scan (Aperio, libtiff). */
  readonly jpegTables: Uint8Array | undefined;
  readonly width: number;
  readonly height: number;
  readonly samplesPerPixel: number;
  readonly predictor: number;
  /** The block's rows (strips at the bottom are shorter). */
  readonly rows: number;
}

type Ifd = GeoTIFFImage['fileDirectory'];

function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const a = Array.from(v as ArrayLike<number>);
    // RATIONAL values come as [numerator, denominator].
    if (a.length === 2 && typeof a[0] === 'number' && typeof a[1] === 'number') return a[1] === 0 ? undefined : a[0] / a[1];
    return typeof a[0] === 'number' ? a[0] : undefined;
  }
  return undefined;
}

function count(fd: Ifd, tag: number): number {
  const deferred = fd.deferredArrays.get(tag);
  if (deferred) return deferred.length;
  const v = fd.actualizedFields.get(tag);
  if (v === undefined) return 0;
  return Array.isArray(v) || ArrayBuffer.isView(v) ? (v as ArrayLike<unknown>).length : 1;
}

/** The tags Lamina reads, loaded where geotiff.js deferred them (values stored far from their directory). */
const TAGS = [254, 256, 257, 258, 259, 262, 270, 277, 278, 282, 284, 296, 317, 322, 323, 347] as const;

async function loadTags(fd: Ifd): Promise<Map<number, unknown>> {
  const out = new Map<number, unknown>();
  for (const tag of TAGS) {
    if (fd.actualizedFields.has(tag)) out.set(tag, fd.actualizedFields.get(tag));
    else if (fd.hasTag(tag)) out.set(tag, await fd.loadValue(tag as never));
  }
  return out;
}

function summarise(fd: Ifd, tags: Map<number, unknown>): TiffDirectory {
  const get = (tag: number): unknown => tags.get(tag);
  const width = num(get(256)) ?? 0;
  const height = num(get(257)) ?? 0;
  const tiled = fd.hasTag(322) && fd.hasTag(324);
  const rowsPerStrip = num(get(278));
  const desc = get(270);
  return {
    width,
    height,
    tiled,
    blockWidth: tiled ? (num(get(322)) ?? 0) : width,
    blockHeight: tiled ? (num(get(323)) ?? 0) : Math.min(height, rowsPerStrip && rowsPerStrip > 0 ? rowsPerStrip : height),
    blockCount: tiled ? count(fd, 324) : count(fd, 273),
    compression: num(get(259)) ?? 1,
    photometric: num(get(262)),
    samplesPerPixel: num(get(277)) ?? 1,
    bitsPerSample: num(get(258)) ?? 1,
    planar: num(get(284)) ?? 1,
    description: typeof desc === 'string' ? desc : undefined,
    subfileType: num(get(254)) ?? 0,
    xResolution: num(get(282)),
    resolutionUnit: num(get(296)),
    hasJpegTables: fd.hasTag(347),
  };
}

export class TiffFile {
  private constructor(
    private readonly bytes: BlobBytes,
    private readonly ifds: readonly Ifd[],
    private readonly tags: ReadonlyArray<Map<number, unknown>>,
    readonly directories: readonly TiffDirectory[],
    readonly slide: TiffSlide,
  ) {}

  /** Reads the directories; an error (in words) for a file that is no readable slide. */
  static async open(bytes: BlobBytes, opts: { jpeg2000: boolean } = { jpeg2000: false }): Promise<{ value: TiffFile } | { error: string }> {
    let ifds: Ifd[];
    let tags: Array<Map<number, unknown>>;
    try {
      ifds = await readDirectories(bytes);
      tags = [];
      for (const fd of ifds) tags.push(await loadTags(fd));
    } catch (e) {
      return { error: `It looks like a TIFF but its structure is damaged (${e instanceof Error ? e.message : String(e)}).` };
    }
    const directories = ifds.map((fd, i) => summarise(fd, tags[i]!));
    const r = tiffSlide(directories, opts);
    if (r.error !== undefined) return { error: r.error };
    return { value: new TiffFile(bytes, ifds, tags, directories, r.value) };
  }

  /** The stored bytes of one block of a directory, checked to lie in the file. Empty for a block never written. */
  async block(dir: number, col: number, row: number): Promise<StoredBlock> {
    const d = this.directories[dir];
    const fd = this.ifds[dir];
    if (!d || !fd) throw new Error(`no image ${dir}`);
    const across = Math.ceil(d.width / d.blockWidth);
    const down = Math.ceil(d.height / d.blockHeight);
    if (!(col >= 0 && row >= 0 && col < across && row < down)) throw new Error(`no block ${col},${row} in image ${dir}`);
    const index = row * across + col;
    const offset = Number(await fd.loadValueIndexed(d.tiled ? 324 : 273, index));
    const length = Number(await fd.loadValueIndexed(d.tiled ? 325 : 279, index));
    const bytes = length === 0 ? new Uint8Array(0) : await this.bytes.read(offset, length);
    const tables = d.compression === 7 && d.hasJpegTables ? this.tags[dir]?.get(347) : undefined;
    return {
      bytes,
      compression: d.compression,
      photometric: d.photometric,
      jpegTables: tables ? Uint8Array.from(tables as ArrayLike<number>) : undefined,
      width: d.blockWidth,
      height: d.blockHeight,
      samplesPerPixel: d.samplesPerPixel,
      predictor: num(this.tags[dir]?.get(317)) ?? 1,
      rows: d.tiled ? d.blockHeight : Math.min(d.blockHeight, d.height - row * d.blockHeight),
    };
  }
}

/**
 * Every directory in the main chain, stopping at a loop or after MAX_DIRECTORIES, then the
 * SubIFDs of the first (tag 330): pyramidal OME-TIFF (Bio-Formats 6+, QuPath, bfconvert) keeps
 * its reduced resolutions there, out of the main chain, which holds one directory per plane.
 */
async function readDirectories(bytes: BlobBytes): Promise<Ifd[]> {
  // geotiff.js's source interface: fetch([{offset, length}]) → ArrayBuffers.
  const source = { fetch: (slices: Array<{ offset: number; length: number }>) => Promise.all(slices.map((s) => bytes.readUpTo(s.offset, s.length))), fileSize: bytes.size };
  const tiff = await GeoTIFF.fromSource(source as unknown as Parameters<typeof GeoTIFF.fromSource>[0]);
  const out: Ifd[] = [];
  const seen = new Set<number>([Number(tiff.firstIFDOffset)]);
  for (let i = 0; i < MAX_DIRECTORIES; i++) {
    const image = await tiff.getImage(i);
    const fd = image.fileDirectory;
    out.push(fd);
    const next = fd.nextIFDByteOffset;
    if (!next || seen.has(next)) break;
    seen.add(next);
  }
  const first = out[0];
  if (first?.hasTag(SUB_IFDS)) {
    // At most MAX_SUB_IFDS offsets are read, one by one: a damaged count cannot make this
    // read or decode millions of values.
    const n = Math.min(count(first, SUB_IFDS), MAX_SUB_IFDS);
    for (let k = 0; k < n; k++) {
      let offset: number;
      try {
        // One offset is stored as a number, several as an array (read lazily when far away).
        const one = first.actualizedFields.get(SUB_IFDS);
        offset = typeof one === 'number' || typeof one === 'bigint' ? (k === 0 ? Number(one) : NaN) : Number(await first.loadValueIndexed(SUB_IFDS as never, k));
      } catch {
        break;
      }
      // A sub-directory pointing into the main chain (or twice at one place) is read once.
      if (!Number.isSafeInteger(offset) || offset < 8 || offset >= bytes.size || seen.has(offset)) continue;
      seen.add(offset);
      try {
        out.push(await tiff.parser.parseFileDirectoryAt(offset));
      } catch {
        // A damaged reduction is left out, as a damaged extra image in the main chain is.
      }
    }
  }
  return out;
}
