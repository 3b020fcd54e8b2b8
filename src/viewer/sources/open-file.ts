/// <reference lib="webworker" />
import { displayLevels } from '../../model/pyramid';
import type { DisplayLevel } from '../../model/pyramid';
import { hashPlan, hashPrefix, slideIdFromDigest } from '../../model/slide-id';
import { BlobBytes } from './byte-source';
import { ImageReader } from './image-reader';
import type { SlideReader } from './slide-reader';
import { SNIFF_BYTES, sniff } from './sniff';
import { TiffReader } from './tiff-reader';

/**
 * Opens picked files as one slide, in the worker: tells the format from the bytes, reads the
 * structure, and hashes the content for the slide's id. Nothing is kept when it fails.
 */

export interface OpenedSlide {
  readonly id: string;
  readonly reader: SlideReader;
  readonly levels: readonly DisplayLevel[];
}

export async function contentDigest(file: Blob): Promise<Uint8Array> {
  const parts: BlobPart[] = [hashPrefix(file.size) as Uint8Array<ArrayBuffer>];
  for (const r of hashPlan(file.size)) parts.push(file.slice(r.offset, r.offset + r.length));
  return new Uint8Array(await crypto.subtle.digest('SHA-256', await new Blob(parts).arrayBuffer()));
}

export async function openFiles(files: readonly File[]): Promise<{ value: OpenedSlide } | { error: string }> {
  if (files.length === 0) return { error: 'No file was chosen.' };
  if (files.length > 1) return { error: `${files.length} files were chosen: open one slide file at a time.` };
  const file = files[0]!;
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const kind = sniff(head, file.name);
  if ('unsupported' in kind) return { error: kind.unsupported };
  let reader: SlideReader;
  if (kind.kind === 'tiff') {
    const r = await TiffReader.open(new BlobBytes(file, file.name), { jpeg2000: false });
    if ('error' in r) return { error: `“${file.name}” could not be opened. ${r.error}` };
    reader = r.value;
  } else if (kind.kind === 'dicom') {
    return { error: `“${file.name}” is a DICOM file: open all the files of the slide together (one per level).` };
  } else {
    const r = await ImageReader.open(file, kind.kind);
    if ('error' in r) return { error: `“${file.name}” could not be opened. ${r.error}` };
    reader = r.value;
  }
  const id = slideIdFromDigest(await contentDigest(file));
  return { value: { id, reader, levels: displayLevels(reader.levels) } };
}
