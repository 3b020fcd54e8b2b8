/**
 * Byte ranges of a file, read lazily: a slide file is never loaded whole. Every read is checked
 * against the file's size, so a damaged file's offsets give a clear error, not a short read.
 * Blob (and so File) exists in browsers, workers and Node alike.
 */

/** The most one read may ask for: a directory claiming more is damaged, not large. */
export const MAX_READ = 64 * 1024 * 1024;

export class OutsideFileError extends Error {}

export class BlobBytes {
  constructor(
    private readonly blob: Blob,
    readonly name: string,
  ) {}

  get size(): number {
    return this.blob.size;
  }

  /** Exactly `length` bytes at `offset`; rejects (OutsideFileError) when they are not all in the file. */
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new OutsideFileError(`bytes ${offset}–${offset + length} lie outside the file (${this.size} bytes): it is truncated or damaged`);
    }
    if (length > MAX_READ) throw new OutsideFileError(`a read of ${length} bytes was asked for: the file is damaged`);
    return new Uint8Array(await this.blob.slice(offset, offset + length).arrayBuffer());
  }

  /**
   * As geotiff.js's sources do: up to `length` bytes at `offset` (fewer at the end of the file,
   * where its parser asks for a fixed 1 KB past a directory), none past it.
   */
  async readUpTo(offset: number, length: number): Promise<ArrayBuffer> {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.size) {
      throw new OutsideFileError(`an offset (${offset}) points outside the file (${this.size} bytes): it is truncated or damaged`);
    }
    const end = Math.min(this.size, offset + Math.min(length, MAX_READ));
    return this.blob.slice(offset, end).arrayBuffer();
  }
}
