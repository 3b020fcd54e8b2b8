import { Unzip, UnzipInflate, unzipSync } from 'fflate';
import type { UnzipFileInfo } from 'fflate';
import type { ParseResult } from '../annotation-schema';

/**
 * A zip archive from someone else, unpacked without trusting it. Set files are shared between
 * teachers and students, so an archive may be built to hurt: a "zip bomb" that declares (or
 * secretly inflates to) gigabytes, thousands of entries, names that climb out of a folder
 * (`../`) or start at a root. Nothing is inflated until the archive's directory has been read
 * and every entry's declared size, the total and the count are within the limits; then each
 * entry is inflated in small steps and refused the moment it passes its declared size.
 * Never throws: a damaged archive is an error message like any other.
 */

export interface UnzipLimits {
  /** Bytes all entries may unpack to together. */
  readonly maxTotalBytes: number;
  readonly maxEntries: number;
}

/**
 * Compressed bytes handed to the inflater at a time: deflate expands at most ~1032:1, so an
 * entry can overshoot its declared size by at most ~16 MB before it is caught.
 */
const STEP = 16 * 1024;

const mb = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

/** Why an entry's name is refused, if it is. */
function unsafeName(name: string): string | undefined {
  if (name.length === 0) return 'an entry has no name';
  if (/^[\\/]/.test(name) || /^[a-z]:/i.test(name)) return `"${name}" is an absolute path`;
  if (name.split(/[\\/]/).includes('..')) return `"${name}" climbs out of the archive with ".."`;
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u001f]/.test(name)) return `an entry's name holds control characters`;
  return undefined;
}

/** The archive's directory, checked against the limits before anything is inflated. */
function listEntries(bytes: Uint8Array, limits: UnzipLimits): ParseResult<Map<string, UnzipFileInfo>> {
  const entries = new Map<string, UnzipFileInfo>();
  const tooMany = new Error('too many entries');
  let problem: string | undefined;
  try {
    // With a filter that says no to all, unzipSync reads the central directory and inflates nothing.
    unzipSync(bytes, {
      filter: (f) => {
        if (entries.size >= limits.maxEntries) throw tooMany;
        problem ??= unsafeName(f.name) ?? (entries.has(f.name) ? `"${f.name}" is in the archive twice` : undefined);
        entries.set(f.name, { ...f });
        return false;
      },
    });
  } catch (e) {
    if (e === tooMany) return { error: `The archive holds more than ${limits.maxEntries} files; a set file has one per slide and a manifest.` };
    return { error: `The file is not a zip archive, or a damaged one (${e instanceof Error ? e.message : String(e)}).` };
  }
  if (problem) return { error: `The archive is refused: ${problem}.` };
  let total = 0;
  for (const f of entries.values()) {
    if (f.compression !== 0 && f.compression !== 8) return { error: `"${f.name}" is compressed with method ${f.compression}; set files use deflate.` };
    total += f.originalSize;
    if (!(f.originalSize >= 0) || total > limits.maxTotalBytes)
      return { error: `The archive would unpack to more than ${mb(limits.maxTotalBytes)} (it declares "${f.name}" alone as ${mb(f.originalSize)}); refused as a possible zip bomb.` };
  }
  return { value: entries };
}

function join(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Every file of the archive by name (folders left out), or why it is refused. */
export function safeUnzip(bytes: Uint8Array, limits: UnzipLimits): ParseResult<Map<string, Uint8Array>> {
  const listed = listEntries(bytes, limits);
  if (listed.error !== undefined) return listed;
  const declared = listed.value;
  const files = new Map<string, Uint8Array>();
  const seen = new Set<string>();
  let total = 0;
  let problem: string | undefined;
  const unzip = new Unzip((file) => {
    if (problem) return;
    // The local headers are what the stream reads: they must name what the directory declared.
    const entry = declared.get(file.name);
    if (!entry || seen.has(file.name)) {
      problem = `"${file.name}" is not what the archive's directory lists`;
      return;
    }
    seen.add(file.name);
    if (file.name.endsWith('/')) return;
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, data, final) => {
      if (problem) return;
      if (err) {
        problem = `"${file.name}" is damaged (${err.message})`;
        return;
      }
      size += data.length;
      total += data.length;
      if (size > entry.originalSize || total > limits.maxTotalBytes) {
        problem = `"${file.name}" unpacks to more than the ${entry.originalSize} bytes it declares; refused as a possible zip bomb`;
        file.terminate();
        return;
      }
      if (data.length > 0) chunks.push(data);
      if (!final) return;
      if (size !== entry.originalSize) problem = `"${file.name}" is damaged (it unpacks to ${size} bytes, not the ${entry.originalSize} declared)`;
      else files.set(file.name, join(chunks, size));
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.length && !problem; at += STEP) unzip.push(bytes.subarray(at, at + STEP), at + STEP >= bytes.length);
  } catch (e) {
    problem ??= `the archive is damaged (${e instanceof Error ? e.message : String(e)})`;
  }
  if (problem) return { error: `The archive is refused: ${problem}.` };
  return { value: files };
}
