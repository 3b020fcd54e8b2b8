import type { FileLevel } from '../../model/pyramid';
import type { AssociatedKind } from './slide-file-types';

/**
 * One opened slide file as the tile assembler needs it: its stored levels (finest first) and
 * a way to decode any stored block of them. Implemented for TIFF, DICOM and plain images.
 */
export interface SlideReader {
  readonly format: string;
  readonly levels: readonly FileLevel[];
  readonly mpp: number | undefined;
  readonly mppFrom: string | undefined;
  readonly associated: ReadonlyArray<{ readonly kind: AssociatedKind; readonly width: number; readonly height: number }>;
  /** One stored block of a level, decoded. Rejects with a message naming the block when it cannot be. */
  block(level: number, col: number, row: number): Promise<ImageBitmap>;
  /** An associated image, decoded whole. */
  associatedImage(kind: AssociatedKind): Promise<ImageBitmap>;
  close(): void;
}
