import type { StainVectors } from './colour-deconvolution';

/** The Ki67 assist worker's request and reply (see assist-worker.ts). */
export interface AssistRequest {
  readonly rgba: Uint8ClampedArray;
  readonly width: number;
  readonly height: number;
  readonly pixelUm: number;
  readonly positiveOd?: number;
  readonly estimate: boolean;
}

export type AssistReply =
  | {
      /** x, y (pixels of the request's image), smoothed DAB optical density: three numbers a nucleus. */
      readonly nuclei: Float32Array;
      readonly positiveOd: number;
      readonly vectors: StainVectors;
      readonly estimated: boolean;
      readonly error?: undefined;
    }
  | { readonly error: string };
