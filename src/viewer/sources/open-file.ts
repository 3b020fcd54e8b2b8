/// <reference lib="webworker" />
import { displayLevels } from '../../model/pyramid';
import type { DisplayLevel } from '../../model/pyramid';
import { combinedDigestInput, hashPlan, hashPrefix, slideIdFromDigest } from '../../model/slide-id';
import { DicomReader } from './dicom-reader';
import { BlobBytes } from './byte-source';
import { ImageReader } from './image-reader';
import type { SlideReader } from './slide-reader';
import { SNIFF_BYTES, sniff } from './sniff';
import { TiffReader } from './tiff-reader';
import type { Jpeg2000Decoder } from './jpeg2000';

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

export async function openFiles(files: readonly File[], jpeg2000?: Jpeg2000Decoder): Promise<{ value: OpenedSlide } | { error: string }> {
  if (files.length === 0) return { error: 'No file was chosen.' };
  const kinds = await Promise.all(files.map(async (f) => sniff(new Uint8Array(await f.slice(0, SNIFF_BYTES).arrayBuffer()), f.name)));
  if (files.length > 1) {
    // Several files: the levels of one DICOM slide, or a mistake.
    if (kinds.every((k) => 'kind' in k && k.kind === 'dicom')) return openDicom(files, jpeg2000);
    const bad = kinds.find((k): k is { unsupported: string } => 'unsupported' in k);
    return { error: bad ? bad.unsupported : `${files.length} files were chosen: open one slide file at a time (or all the files of one DICOM slide).` };
  }
  const file = files[0]!;
  const kind = kinds[0]!;
  if ('unsupported' in kind) return { error: kind.unsupported };
  if (kind.kind === 'dicom') return openDicom(files, jpeg2000);
  // The hash reads its ranges while the structure is parsed: both wait mostly on the disk.
  const digest = contentDigest(file);
  digest.catch(() => undefined); // awaited below, or dropped with the file when opening fails
  let reader: SlideReader;
  if (kind.kind === 'tiff') {
    const r = await TiffReader.open(new BlobBytes(file, file.name), jpeg2000);
    if ('error' in r) return { error: `“${file.name}” could not be opened. ${r.error}` };
    reader = r.value;
  } else {
    const r = await ImageReader.open(file, kind.kind);
    if ('error' in r) return { error: `“${file.name}” could not be opened. ${r.error}` };
    reader = r.value;
  }
  const id = slideIdFromDigest(await digest);
  return { value: { id, reader, levels: displayLevels(reader.levels) } };
}

/** The files of one DICOM slide (one per level); its id covers every file, in any order. */
async function openDicom(files: readonly File[], jpeg2000: Jpeg2000Decoder | undefined): Promise<{ value: OpenedSlide } | { error: string }> {
  const r = await DicomReader.open(files, jpeg2000);
  if ('error' in r) return { error: `The DICOM slide could not be opened. ${r.error}` };
  const digests = await Promise.all(files.map(contentDigest));
  const id = slideIdFromDigest(new Uint8Array(await crypto.subtle.digest('SHA-256', combinedDigestInput(digests) as Uint8Array<ArrayBuffer>)));
  return { value: { id, reader: r.value, levels: displayLevels(r.value.levels) } };
}
