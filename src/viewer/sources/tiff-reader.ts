/// <reference lib="webworker" />
import type { FileLevel } from '../../model/pyramid';
import type { BlobBytes } from './byte-source';
import { decodeBlock } from './block-decoder';
import type { SlideReader } from './slide-reader';
import type { AssociatedKind } from './slide-file-types';
import { TiffFile } from './tiff-file';
import type { Jpeg2000Decoder } from './jpeg2000';

/** A TIFF slide (SVS, OME-TIFF, pyramidal TIFF) as a SlideReader. */
export class TiffReader implements SlideReader {
  private constructor(
    private readonly file: TiffFile,
    private readonly jpeg2000: Jpeg2000Decoder | undefined,
  ) {}

  /** With a JPEG 2000 decoder, SVS files with JPEG 2000 tiles open too. */
  static async open(bytes: BlobBytes, jpeg2000?: Jpeg2000Decoder): Promise<{ value: TiffReader } | { error: string }> {
    const r = await TiffFile.open(bytes, { jpeg2000: !!jpeg2000 });
    return 'error' in r ? r : { value: new TiffReader(r.value, jpeg2000) };
  }

  get format(): string {
    return this.file.slide.format;
  }
  get levels(): readonly FileLevel[] {
    return this.file.slide.levels;
  }
  get mpp(): number | undefined {
    return this.file.slide.mpp;
  }
  get mppFrom(): string | undefined {
    return this.file.slide.mppFrom;
  }
  get associated(): SlideReader['associated'] {
    return this.file.slide.associated;
  }

  async block(level: number, col: number, row: number): Promise<ImageBitmap> {
    const l = this.file.slide.levels[level];
    if (!l) throw new Error(`no level ${level}`);
    return this.decode(l.dir, col, row, `tile ${col},${row} of level ${level}`);
  }

  private async decode(dir: number, col: number, row: number, what: string): Promise<ImageBitmap> {
    try {
      return await decodeBlock(await this.file.block(dir, col, row), this.jpeg2000);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`${what} could not be decoded (${/source image could not be decoded|InvalidStateError/i.test(why) ? 'a broken JPEG stream' : why})`, { cause: e });
    }
  }

  async associatedImage(kind: AssociatedKind): Promise<ImageBitmap> {
    const a = this.file.slide.associated.find((x) => x.kind === kind);
    if (!a) throw new Error(`the slide has no ${kind} image`);
    const d = this.file.directories[a.dir]!;
    const canvas = new OffscreenCanvas(d.width, d.height);
    const g = canvas.getContext('2d')!;
    for (let row = 0; row * d.blockHeight < d.height; row++)
      for (let col = 0; col * d.blockWidth < d.width; col++) {
        const b = await this.decode(a.dir, col, row, `the ${kind} image`);
        g.drawImage(b, col * d.blockWidth, row * d.blockHeight);
        b.close();
      }
    return createImageBitmap(canvas);
  }

  close(): void {}
}
