/// <reference lib="webworker" />
import type { FileLevel } from '../../model/pyramid';
import { BlobBytes } from './byte-source';
import type { DicomWsiFile } from './dicom-parse';
import { TRANSFER_SYNTAXES, dicomProblem, parseDicom } from './dicom-parse';
import { tiffJpeg, PHOTOMETRIC_RGB } from './jpeg-stream';
import type { AssociatedKind } from './slide-file-types';
import type { SlideReader } from './slide-reader';
import type { Jpeg2000Decoder } from './jpeg2000';

/**
 * A DICOM whole-slide image: a set of files, one per pyramid level (and label, overview), each
 * tiled (TILED_FULL: frames in row-major order). Headers are read from each file's start; a
 * level's frame offsets from its basic offset table (or its item headers); frames are read when
 * a tile needs them and decoded by the browser (JPEG), by OpenJPEG in WebAssembly (JPEG 2000:
 * the same decoder as an SVS's) or here (uncompressed).
 */

const MAX_HEADER = 16 * 1024 * 1024;

interface Level {
  readonly bytes: BlobBytes;
  readonly f: DicomWsiFile;
  /** Frame offsets and lengths in the file (encapsulated), or undefined for native pixels. */
  readonly frames: ReadonlyArray<{ readonly at: number; readonly len: number }> | undefined;
}

async function readHeader(bytes: BlobBytes): Promise<{ value: DicomWsiFile } | { error: string }> {
  let n = Math.min(bytes.size, 64 * 1024);
  for (;;) {
    const r = parseDicom(await bytes.read(0, n), bytes.size);
    if ('needBytes' in r) {
      if (r.needBytes > MAX_HEADER || n >= bytes.size) return { error: 'its header is larger than any slide’s (damaged)' };
      n = Math.min(bytes.size, r.needBytes);
      continue;
    }
    return r;
  }
}

/** Where each frame of an encapsulated pixel data element is. */
async function frameTable(bytes: BlobBytes, f: DicomWsiFile): Promise<Array<{ at: number; len: number }>> {
  const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
  const head = await bytes.read(f.pixelDataOffset, 8);
  if (u32(head, 0) !== 0xe000fffe) throw new Error('its pixel data has no offset table item');
  const botLen = u32(head, 4);
  const first = f.pixelDataOffset + 8 + botLen;
  const out: Array<{ at: number; len: number }> = [];
  if (botLen >= 4 * f.frames) {
    const bot = await bytes.read(f.pixelDataOffset + 8, botLen);
    for (let i = 0; i < f.frames; i++) {
      const item = first + u32(bot, i * 4);
      const next = i + 1 < f.frames ? first + u32(bot, (i + 1) * 4) : undefined;
      out.push({ at: item + 8, len: next !== undefined ? next - item - 8 : u32(await bytes.read(item, 8), 4) });
    }
    return out;
  }
  // No offset table: walk the items' headers.
  let p = first;
  for (let i = 0; i < f.frames; i++) {
    const h = await bytes.read(p, 8);
    if (u32(h, 0) !== 0xe000fffe) throw new Error(`frame ${i + 1} is missing`);
    out.push({ at: p + 8, len: u32(h, 4) });
    p += 8 + u32(h, 4);
  }
  return out;
}

export class DicomReader implements SlideReader {
  readonly format: string;
  readonly levels: readonly FileLevel[];
  readonly mpp: number | undefined;
  readonly mppFrom: string | undefined;
  readonly associated: SlideReader['associated'];

  private constructor(
    private readonly volumes: readonly Level[],
    private readonly extras: ReadonlyMap<AssociatedKind, Level>,
    private readonly jpeg2000: Jpeg2000Decoder | undefined,
  ) {
    const base = volumes[0]!.f;
    this.format = `DICOM whole-slide image, ${TRANSFER_SYNTAXES[base.transferSyntax]?.name ?? base.transferSyntax} tiles, ${volumes.length} level${volumes.length === 1 ? '' : 's'}`;
    this.levels = volumes.map(({ f }) => ({ width: f.totalColumns, height: f.totalRows, blockWidth: f.tileColumns, blockHeight: f.tileRows }));
    this.mpp = base.mpp;
    this.mppFrom = base.mpp !== undefined ? 'the DICOM pixel spacing' : undefined;
    this.associated = [...extras].map(([kind, l]) => ({ kind, width: l.f.totalColumns, height: l.f.totalRows }));
  }

  static async open(files: readonly File[], jpeg2000?: Jpeg2000Decoder): Promise<{ value: DicomReader } | { error: string }> {
    const parsed: Array<{ bytes: BlobBytes; f: DicomWsiFile }> = [];
    for (const file of files) {
      const bytes = new BlobBytes(file, file.name);
      const r = await readHeader(bytes);
      if ('error' in r) return { error: `“${file.name}”: ${r.error}.` };
      const problem = dicomProblem(r.value, { jpeg2000: !!jpeg2000 });
      if (problem) return { error: `“${file.name}”: ${problem}.` };
      parsed.push({ bytes, f: r.value });
    }
    const series = new Set(parsed.map((p) => p.f.seriesUid));
    if (series.size > 1) return { error: `These files belong to ${series.size} different slides (series): open the files of one slide together.` };
    const volumes = parsed.filter((p) => p.f.imageType.includes('VOLUME') || p.f.imageType.includes('THUMBNAIL')).sort((a, b) => b.f.totalColumns - a.f.totalColumns);
    if (volumes.length === 0) return { error: 'None of these files is a pyramid level (image type VOLUME): a label or overview alone is no slide.' };
    const levels: Level[] = [];
    for (const p of volumes) {
      if (levels.some((l) => l.f.totalColumns === p.f.totalColumns)) continue; // a level given twice
      try {
        levels.push({ ...p, frames: p.f.pixelDataLength === 0xffffffff ? await frameTable(p.bytes, p.f) : undefined });
      } catch (e) {
        return { error: `“${p.bytes.name}”: ${e instanceof Error ? e.message : String(e)}.` };
      }
    }
    const extras = new Map<AssociatedKind, Level>();
    for (const p of parsed) {
      const kind: AssociatedKind | undefined = p.f.imageType.includes('LABEL') ? 'label' : p.f.imageType.includes('OVERVIEW') ? 'macro' : undefined;
      if (kind && !extras.has(kind)) extras.set(kind, { ...p, frames: p.f.pixelDataLength === 0xffffffff ? await frameTable(p.bytes, p.f).catch(() => []) : undefined });
    }
    return { value: new DicomReader(levels, extras, jpeg2000) };
  }

  block(level: number, col: number, row: number): Promise<ImageBitmap> {
    const l = this.volumes[level];
    if (!l) return Promise.reject(new Error(`no level ${level}`));
    return this.frame(l, row * Math.ceil(l.f.totalColumns / l.f.tileColumns) + col, `tile ${col},${row} of level ${level}`);
  }

  private async frame(l: Level, index: number, what: string): Promise<ImageBitmap> {
    const f = l.f;
    try {
      if (l.frames) {
        const fr = l.frames[index];
        if (!fr) throw new Error('no such frame');
        const bytes = await l.bytes.read(fr.at, fr.len);
        if (TRANSFER_SYNTAXES[f.transferSyntax]?.codec === 'jpeg2000') {
          if (!this.jpeg2000) throw new Error('no JPEG 2000 decoder is loaded');
          // YBR_ICT / YBR_RCT: the codestream's own colour transform, undone by OpenJPEG; YBR_FULL is not flagged in it.
          return await createImageBitmap(await this.jpeg2000.decode(bytes, f.photometric.startsWith('YBR_FULL')));
        }
        const jpeg = tiffJpeg(bytes, undefined, f.photometric === 'RGB' ? PHOTOMETRIC_RGB : undefined);
        return await createImageBitmap(new Blob([jpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }));
      }
      const size = f.tileColumns * f.tileRows * f.samplesPerPixel;
      const raw = await l.bytes.read(f.pixelDataOffset + index * size, size);
      const px = new Uint8ClampedArray(f.tileColumns * f.tileRows * 4);
      for (let i = 0, n = f.tileColumns * f.tileRows; i < n; i++) {
        const s = i * f.samplesPerPixel;
        px[i * 4] = raw[s]!;
        px[i * 4 + 1] = raw[f.samplesPerPixel === 3 ? s + 1 : s]!;
        px[i * 4 + 2] = raw[f.samplesPerPixel === 3 ? s + 2 : s]!;
        px[i * 4 + 3] = 255;
      }
      return await createImageBitmap(new ImageData(px, f.tileColumns, f.tileRows));
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`${what} could not be decoded (${/decoded|InvalidStateError/i.test(why) ? 'a broken JPEG stream' : why})`, { cause: e });
    }
  }

  async associatedImage(kind: AssociatedKind): Promise<ImageBitmap> {
    const l = this.extras.get(kind);
    if (!l) throw new Error(`the slide has no ${kind} image`);
    const f = l.f;
    const canvas = new OffscreenCanvas(f.totalColumns, f.totalRows);
    const g = canvas.getContext('2d')!;
    const across = Math.ceil(f.totalColumns / f.tileColumns);
    for (let row = 0; row * f.tileRows < f.totalRows; row++)
      for (let col = 0; col < across; col++) {
        const b = await this.frame(l, row * across + col, `the ${kind} image`);
        g.drawImage(b, col * f.tileColumns, row * f.tileRows);
        b.close();
      }
    return createImageBitmap(canvas);
  }

  close(): void {}
}
