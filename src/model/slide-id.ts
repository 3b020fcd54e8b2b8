/**
 * A slide file's identity is its content, not its name or path: annotations and teaching sets
 * follow the file when it is renamed or moved, and a different file never takes over another's
 * annotations. Hashing a 2 GB file whole would take seconds, so the hash covers the size and a
 * few fixed byte ranges: the start (a TIFF's header and usually its directories), the end
 * (BigTIFF and SVS often write directories last) and three evenly spaced samples of tile data.
 * Two files equal in all of these are taken as one. Pure: the caller reads and hashes (SHA-256).
 */

/** Bytes per sampled range. */
export const HASH_RANGE = 64 * 1024;
/** Ids start with this, so a file slide's id is never a case slide's or a DZI's. */
export const FILE_ID_PREFIX = 'file-';
/** Hex digits kept of the SHA-256 (160 bits). */
const ID_HEX = 40;

export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

/** The ranges hashed for a file of `size` bytes, in order, without overlaps: the whole file when small. */
export function hashPlan(size: number): ByteRange[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`not a file size: ${size}`);
  if (size <= 5 * HASH_RANGE) return size === 0 ? [] : [{ offset: 0, length: size }];
  const starts = [0, Math.floor(size / 4), Math.floor(size / 2), Math.floor((size * 3) / 4), size - HASH_RANGE];
  return starts.map((offset) => ({ offset, length: HASH_RANGE }));
}

/**
 * What is hashed: a version tag and the size (8 bytes, little-endian), then the ranges' bytes.
 * Changing any of this changes every id, so it is versioned.
 */
export function hashPrefix(size: number): Uint8Array {
  const tag = new TextEncoder().encode('lamina-slide-v1');
  const out = new Uint8Array(tag.length + 8);
  out.set(tag, 0);
  new DataView(out.buffer).setBigUint64(tag.length, BigInt(size), true);
  return out;
}

/** The slide id from a SHA-256 digest: a valid route and annotation slide id (45 characters). */
export function slideIdFromDigest(digest: Uint8Array): string {
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  if (hex.length < ID_HEX) throw new RangeError('digest too short');
  return FILE_ID_PREFIX + hex.slice(0, ID_HEX);
}

export function isFileSlideId(id: string): boolean {
  return new RegExp(`^${FILE_ID_PREFIX}[0-9a-f]{${ID_HEX}}$`).test(id);
}

/**
 * A slide of several files (DICOM: one per level): the files' digests, sorted so the order
 * they were picked in does not matter, hashed again by the caller.
 */
export function combinedDigestInput(digests: readonly Uint8Array[]): Uint8Array {
  const hex = digests.map((d) => Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('')).sort();
  return new TextEncoder().encode(`lamina-slide-set-v1:${hex.join(',')}`);
}
