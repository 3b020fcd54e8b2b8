import type { AssociatedKind, SlideFileInfo } from './slide-file-types';

/** Messages between the page (file-slides.ts) and the slide file worker. */

export type FileWorkerRequest =
  /** `viewport`: the viewer's expected size, so the whole-slide view's tiles are decoded before they are asked for. */
  | { readonly type: 'open'; readonly id: number; readonly files: readonly File[]; readonly viewport?: { readonly w: number; readonly h: number } }
  | { readonly type: 'tile'; readonly id: number; readonly slide: string; readonly level: number; readonly col: number; readonly row: number }
  | { readonly type: 'associated'; readonly id: number; readonly slide: string; readonly kind: AssociatedKind }
  /** The whole slide, at most `size` px on its longer side (the home page's thumbnail). */
  | { readonly type: 'overview'; readonly id: number; readonly slide: string; readonly size: number }
  | { readonly type: 'cancel'; readonly id: number }
  | { readonly type: 'close'; readonly slide: string };

export type FileWorkerResponse =
  | { readonly id: number; readonly info: SlideFileInfo }
  | { readonly id: number; readonly bitmap: ImageBitmap; readonly ms: number }
  | { readonly id: number; readonly error: string };
