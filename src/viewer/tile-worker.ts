/// <reference lib="webworker" />
import { TileRenderer } from '../specimen/render';
import type { SceneSpec } from '../specimen/scene';
import type { RegionColourTable } from '../specimen/render';
import type { WorkerRequest, WorkerResponse, RenderRequest } from './tile-protocol';

/**
 * A render worker: holds one renderer per (scene, section) and answers tile requests with
 * ImageBitmaps, transferred (not copied) to the page.
 */
class TileWorkerHost {
  private readonly specs = new Map<string, { spec: SceneSpec; lod: RegionColourTable | undefined }>();
  private readonly renderers = new Map<string, TileRenderer>();
  private readonly out = new Uint8ClampedArray(256 * 256 * 4);

  constructor(private readonly scope: DedicatedWorkerGlobalScope) {
    scope.onmessage = (e: MessageEvent<WorkerRequest>) => this.handle(e.data);
  }

  private handle(msg: WorkerRequest): void {
    if (msg.type === 'scene') {
      this.specs.set(msg.spec.id, { spec: msg.spec, lod: msg.lod });
      return;
    }
    void this.render(msg);
  }

  private renderer(req: RenderRequest): TileRenderer {
    const key = `${req.scene}/${req.section}`;
    let r = this.renderers.get(key);
    if (!r) {
      const scene = this.specs.get(req.scene);
      if (!scene) throw new Error(`unknown scene "${req.scene}"`);
      r = TileRenderer.fromTable(scene.spec, req.section, scene.lod);
      this.renderers.set(key, r);
    }
    return r;
  }

  private async render(req: RenderRequest): Promise<void> {
    let reply: WorkerResponse;
    const transfer: Transferable[] = [];
    try {
      const t0 = performance.now();
      const tile = this.renderer(req).render(req.level, req.col, req.row, this.out);
      const pixels = new Uint8ClampedArray(tile.width * tile.height * 4);
      pixels.set(tile.data.subarray(0, pixels.length));
      const bitmap = await createImageBitmap(new ImageData(pixels, tile.width, tile.height));
      reply = { id: req.id, bitmap, ms: performance.now() - t0 };
      transfer.push(bitmap);
    } catch (e) {
      reply = { id: req.id, error: e instanceof Error ? e.message : String(e) };
    }
    this.scope.postMessage(reply, transfer);
  }
}

new TileWorkerHost(self as unknown as DedicatedWorkerGlobalScope);
