import type { DisplayLevel } from '../../model/pyramid';

/**
 * What a slide file turned out to be, once read: shared by the file worker (which reads it) and
 * the page (which shows it). Sizes are in the file's own full-resolution pixels.
 */

export type AssociatedKind = 'label' | 'macro' | 'thumbnail';

export interface AssociatedImage {
  readonly kind: AssociatedKind;
  readonly width: number;
  readonly height: number;
}

export interface SlideFileInfo {
  /** The content hash id (see model/slide-id.ts): names the slide in routes and annotations. */
  readonly id: string;
  /** In words, for the user: "Aperio SVS, JPEG tiles". */
  readonly format: string;
  readonly width: number;
  readonly height: number;
  /** The viewer's levels, coarsest first. */
  readonly levels: readonly DisplayLevel[];
  /** µm per full-resolution pixel, where the file says. */
  readonly mpp: number | undefined;
  /** Where mpp came from, in words ("the SVS MPP field"). */
  readonly mppFrom: string | undefined;
  readonly associated: readonly AssociatedImage[];
  /** The files read (a DICOM slide is several). */
  readonly files: ReadonlyArray<{ readonly name: string; readonly size: number }>;
}

/** A failure to open, said for the user; `format` names what the file is where that is known. */
export interface OpenFailure {
  readonly error: string;
}
