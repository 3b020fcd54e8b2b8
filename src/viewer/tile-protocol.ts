import type { SceneSpec } from '../specimen/scene';
import type { RegionColourTable } from '../specimen/render';
import type { StainId } from '../model/manifest';

/** Messages between the tile pool (main thread) and its render workers. */

export interface SceneMessage {
  readonly type: 'scene';
  readonly spec: SceneSpec;
  readonly lod?: RegionColourTable;
}

export interface RenderRequest {
  readonly type: 'render';
  readonly id: number;
  readonly scene: string;
  readonly section: StainId;
  readonly level: number;
  readonly col: number;
  readonly row: number;
}

export type WorkerRequest = SceneMessage | RenderRequest;

export type WorkerResponse =
  | { readonly id: number; readonly bitmap: ImageBitmap; readonly ms: number }
  | { readonly id: number; readonly error: string };
