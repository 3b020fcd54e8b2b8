/**
 * What kind of file this is, from its first bytes (and, where the bytes cannot tell, its name):
 * one Lamina opens, or one it names and says how to convert. Pure.
 */

export type SniffedKind = 'tiff' | 'jpeg' | 'png' | 'webp' | 'dicom';

export type Sniffed = { readonly kind: SniffedKind } | { readonly unsupported: string };

/** Bytes to read for sniff(): the DICOM preamble and magic, and a TIFF's header. */
export const SNIFF_BYTES = 132;

const CONVERT =
  'Convert it to a pyramidal TIFF, for instance with QuPath (File › Export images › OME TIFF), with Bio-Formats (bfconvert -pyramid-resolutions 6 in.x out.ome.tiff) or with libvips (vips tiffsave in.x out.tif --tile --pyramid --compression jpeg), then open that.';

/** Formats Lamina does not read, by file name ending: what they are. */
const BY_EXTENSION: ReadonlyArray<readonly [RegExp, string]> = [
  [/\.ndpi$/i, 'a Hamamatsu NDPI slide'],
  [/\.mrxs$/i, 'a 3DHISTECH MIRAX (MRXS) slide'],
  [/\.czi$/i, 'a Zeiss CZI slide'],
  [/\.vsi$/i, 'an Olympus VSI slide'],
  [/\.(isyntax|i2syntax)$/i, 'a Philips iSyntax slide'],
  [/\.vms$/i, 'a Hamamatsu VMS slide'],
  [/\.vmu$/i, 'a Hamamatsu VMU slide'],
  [/\.scn$/i, 'a Leica SCN slide'],
  [/\.(bif)$/i, 'a Ventana BIF slide'],
  [/\.svslide$/i, 'a Sakura SVSlide'],
  [/\.(dzi|xml)$/i, 'a Deep Zoom descriptor (open a DZI by its address: #/image?dzi=<url>)'],
];

function startsWith(b: Uint8Array, bytes: readonly number[], at = 0): boolean {
  return bytes.every((x, i) => b[at + i] === x);
}

export function sniff(head: Uint8Array, name: string): Sniffed {
  // Vendor formats built on TIFF (NDPI, SCN, BIF) start like one: their name tells them apart.
  const vendor = BY_EXTENSION.find(([re]) => re.test(name));
  if (vendor && !/\.(scn|bif)$/i.test(name)) return { unsupported: unsupported(name, vendor[1]) };
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a]) || startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) return { kind: 'tiff' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { kind: 'jpeg' };
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'png' };
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return { kind: 'webp' };
  if (startsWith(head, [0x44, 0x49, 0x43, 0x4d], 128)) return { kind: 'dicom' };
  if (vendor) return { unsupported: unsupported(name, vendor[1]) };
  if (startsWith(head, [0x5a, 0x49, 0x53, 0x52, 0x41, 0x57])) return { unsupported: unsupported(name, 'a Zeiss CZI slide') };
  if (startsWith(head, [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20]) || startsWith(head, [0xff, 0x4f, 0xff, 0x51])) return { unsupported: unsupported(name, 'a JPEG 2000 image') };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return { unsupported: `${quoteName(name)} is a ZIP archive, not a slide. A teaching set opens from its own page; a zipped slide must be unzipped first.` };
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46])) return { unsupported: `${quoteName(name)} is a PDF document, not a slide.` };
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return { unsupported: unsupported(name, 'a GIF image') };
  if (head.length === 0) return { unsupported: `${quoteName(name)} is empty (0 bytes).` };
  return { unsupported: `${quoteName(name)} is not a slide Lamina can read: it opens pyramidal TIFF and BigTIFF, OME-TIFF, Aperio SVS, DICOM whole-slide images, JPEG, PNG and WebP. ${CONVERT}` };
}

function quoteName(name: string): string {
  const n = name.length > 80 ? `${name.slice(0, 80)}…` : name;
  return `“${n}”`;
}

function unsupported(name: string, what: string): string {
  return `${quoteName(name)} is ${what}, which Lamina cannot read in the browser. ${CONVERT}`;
}
