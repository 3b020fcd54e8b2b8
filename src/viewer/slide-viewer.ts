import { MIN_PIXEL_RATIO } from './first-tiles';
import OpenSeadragon from 'openseadragon';
import type { ViewState } from '../model/route';
import { normalizeRotation } from '../model/route';
import { magnificationFromUmPerScreenPx, umPerScreenPxAt } from '../model/optics';
import type { ViewLimits } from '../model/view-limits';
import { MAX_MAGNIFICATION, MIN_MAGNIFICATION, clampMagnification, clampView, screenPxPerImagePx } from '../model/view-limits';
import type { DrawerChoice } from './drawer';
import { readRegion } from './region-reader';
import type { BitmapTiles, Box, RegionPixels } from './region-reader';
import { loadDziSource } from './dzi-source';

/**
 * The one adapter around OpenSeadragon. Everything else speaks in slide terms: image pixels
 * (full resolution), equivalent magnification, degrees. Coordinate spaces are named as
 * OpenSeadragon names them: image (full-resolution pixels), viewport (image width = 1),
 * viewer element (CSS pixels of the viewer).
 *
 * Every view it moves to is clamped to the slide (view-limits.ts): centre on the image, zoom
 * between MIN_MAGNIFICATION and MAX_MAGNIFICATION; OpenSeadragon's own gestures stop at
 * MAX_MAGNIFICATION too (maxZoomPixelRatio).
 */

export interface SlideViewerOptions {
  readonly element: HTMLElement;
  /** A tile source, or a Deep Zoom descriptor's URL (fetched and checked here, see dzi-source.ts). */
  readonly tileSource: OpenSeadragon.TileSource | string;
  /** µm per full-resolution image pixel. */
  readonly mpp: number;
  readonly drawer: DrawerChoice;
  readonly initialView?: ViewState;
}

export interface SlideViewerEvents {
  /** Any change of the visible field (every animation frame while moving). */
  view: (v: ViewState) => void;
  /** Whether every tile in view is drawn at the current zoom and nothing is moving. */
  ready: (ready: boolean) => void;
  /** The image could not be opened. */
  error: (message: string) => void;
  /** The image opened; size in image pixels. */
  open: (size: { width: number; height: number }) => void;
}

/** CSS pixels each way below which the viewer is not "ready": there is nothing to see. */
const MIN_VISIBLE_PX = 50;

type Handlers = { [K in keyof SlideViewerEvents]: Set<SlideViewerEvents[K]> };

export class SlideViewer {
  private readonly osd: OpenSeadragon.Viewer;
  private readonly handlers: Handlers = { view: new Set(), ready: new Set(), error: new Set(), open: new Set() };
  private opened = false;
  private animating = false;
  private lastReady = false;
  private pendingView: ViewState | undefined;
  /** Cancels a descriptor still being fetched when the viewer goes. */
  private readonly abort = new AbortController();
  readonly mpp: number;

  constructor(opts: SlideViewerOptions) {
    this.mpp = opts.mpp;
    this.pendingView = opts.initialView;
    this.osd = OpenSeadragon({
      element: opts.element,
      tileSources: typeof opts.tileSource === 'string' ? undefined : opts.tileSource,
      drawer: opts.drawer,
      showNavigationControl: false,
      showNavigator: true,
      navigatorPosition: 'BOTTOM_RIGHT',
      navigatorAutoFade: false,
      navigatorRotate: true,
      navigatorSizeRatio: 0.18,
      crossOriginPolicy: 'Anonymous',
      // The wheel, pinch, double-click and keys stop where the buttons and links do.
      maxZoomPixelRatio: screenPxPerImagePx(MAX_MAGNIFICATION, opts.mpp),
      // Stop one level short of 2 image pixels per screen pixel: at exactly 10x the default (0.5)
      // would also fetch the next level, four times the tiles for no visible gain.
      minPixelRatio: MIN_PIXEL_RATIO,
      // The annotation panel opens after the slide: keep the magnification when the viewer narrows.
      preserveImageSizeOnResize: true,
      minZoomImageRatio: 0.8,
      visibilityRatio: 0.3,
      animationTime: 0.5,
      imageLoaderLimit: 8,
      maxImageCacheCount: 600,
      immediateRender: true,
      gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true },
      // Keys belong to the labelled viewer element around this one (lamina-slide-view handles
      // them, with a keyboard cursor): OpenSeadragon's canvas is no tab stop of its own, and its
      // keys (r rotates, f flips) would fight Lamina's shortcuts.
      keyboardNavEnabled: false,
      tabIndex: -1,
      degrees: opts.initialView?.r ?? 0,
    } as OpenSeadragon.Options);
    this.osd.addHandler('open', () => {
      performance.mark('lamina:viewer-open');
      this.opened = true;
      const size = this.imageSize() ?? { width: 1, height: 1 };
      if (this.pendingView) this.setView(this.pendingView, true);
      this.pendingView = undefined;
      for (const h of this.handlers.open) h(size);
      this.emitView();
    });
    this.osd.addHandler('open-failed', (e) => {
      const msg = (e as unknown as { message?: string }).message;
      this.fail(`The slide could not be opened${msg ? ` (${msg})` : ''}.`);
    });
    if (typeof opts.tileSource === 'string') void this.openDzi(opts.tileSource);
    this.osd.addHandler('animation-start', () => {
      this.animating = true;
      this.updateReady();
    });
    this.osd.addHandler('animation-finish', () => {
      this.animating = false;
      this.updateReady();
    });
    this.osd.addHandler('update-viewport', () => this.emitView());
    // A viewer squeezed to nothing has every (zero) tile drawn: it must stop being ready. Growing
    // back is left to the animation that the resize starts (its end re-checks with fresh tiles).
    this.osd.addHandler('resize', () => {
      if (!this.bigEnough()) this.updateReady();
    });
    this.osd.world.addHandler('add-item', (e) => {
      e.item.addHandler('fully-loaded-change', () => this.updateReady());
    });
    let tiles = 0;
    this.osd.addHandler('tile-loaded', () => {
      // For the cold-start benchmark's timeline: when the first and the tenth tile arrived.
      if (++tiles === 1 || tiles === 10) performance.mark(`lamina:tile-${tiles}`);
      this.updateReady();
    });
  }

  private async openDzi(url: string): Promise<void> {
    let r: Awaited<ReturnType<typeof loadDziSource>>;
    try {
      r = await loadDziSource(url, this.abort.signal);
    } catch {
      return; // aborted: the viewer is gone
    }
    if ('error' in r) this.fail(r.error);
    else this.osd.open({ tileSource: r.source });
  }

  private fail(message: string): void {
    for (const h of this.handlers.error) h(message);
  }

  on<K extends keyof SlideViewerEvents>(event: K, handler: SlideViewerEvents[K]): () => void {
    (this.handlers[event] as Set<SlideViewerEvents[K]>).add(handler);
    return () => (this.handlers[event] as Set<SlideViewerEvents[K]>).delete(handler);
  }

  /** Screen pixels per full-resolution image pixel at the current zoom. */
  private imageZoom(current = true): number {
    const vp = this.osd.viewport;
    return vp.viewportToImageZoom(vp.getZoom(current));
  }

  umPerScreenPx(current = true): number {
    return this.mpp / this.imageZoom(current);
  }

  magnification(current = true): number {
    return magnificationFromUmPerScreenPx(this.umPerScreenPx(current));
  }

  getView(current = true): ViewState {
    if (!this.opened) return this.pendingView ?? { x: 0, y: 0, z: 1, r: 0 };
    const vp = this.osd.viewport;
    const c = vp.getCenter(current);
    const img = vp.viewportToImageCoordinates(c);
    return { x: img.x, y: img.y, z: this.magnification(current), r: normalizeRotation(vp.getRotation(current)) };
  }

  /**
   * Where views may go, once the image is open (a DZI's size is known only then). The lower
   * bound is also OpenSeadragon's own (minZoomImageRatio of the whole-slide view) where that is
   * higher, so a link never lands where the first drag would spring back from.
   */
  /** The image's size in pixels once it is open (a DZI by URL learns it only then). */
  imageSize(): { width: number; height: number } | undefined {
    const item = this.osd.world.getItemAt(0);
    if (!item) return undefined;
    const size = item.getContentSize();
    return { width: size.x, height: size.y };
  }

  private limits(): ViewLimits {
    const vp = this.osd.viewport;
    const size = this.imageSize() ?? { width: 1, height: 1 };
    const osdMin = magnificationFromUmPerScreenPx(this.mpp / vp.viewportToImageZoom(vp.getMinZoom()));
    return { width: size.width, height: size.height, minZ: Math.max(MIN_MAGNIFICATION, osdMin), maxZ: MAX_MAGNIFICATION };
  }

  /**
   * Moves to a view: centre in image pixels, equivalent magnification, rotation in degrees;
   * clamped to the slide (a view asked for before the image opens is clamped when it opens).
   */
  setView(wanted: ViewState, immediately = false): void {
    if (!this.opened) {
      this.pendingView = wanted;
      return;
    }
    const v = clampView(wanted, this.limits());
    const vp = this.osd.viewport;
    const imageZoom = this.mpp / umPerScreenPxAt(v.z);
    vp.setRotation(v.r, immediately);
    vp.zoomTo(vp.imageToViewportZoom(imageZoom), undefined, immediately);
    vp.panTo(vp.imageToViewportCoordinates(new OpenSeadragon.Point(v.x, v.y)), immediately);
    if (immediately) this.osd.forceRedraw();
  }

  zoomToMagnification(mag: number): void {
    this.setView({ ...this.getView(false), z: mag });
  }

  /** Zooms about the centre by a factor, within the limits (OpenSeadragon's zoomBy has none). */
  zoomBy(factor: number): void {
    if (!this.opened) return;
    const vp = this.osd.viewport;
    const z = clampMagnification(this.magnification(false) * factor, this.limits());
    vp.zoomTo(vp.imageToViewportZoom(this.mpp / umPerScreenPxAt(z)));
  }

  rotateBy(deg: number): void {
    const vp = this.osd.viewport;
    vp.setRotation(vp.getRotation(false) + deg);
  }

  goHome(): void {
    this.osd.viewport.goHome();
    this.osd.viewport.setRotation(0);
  }

  /** Viewer-element CSS pixels → full-resolution image pixels. */
  viewerElementToImageCoordinates(x: number, y: number): { x: number; y: number } {
    const p = this.osd.viewport.viewerElementToImageCoordinates(new OpenSeadragon.Point(x, y));
    return { x: p.x, y: p.y };
  }

  /** The element the viewer draws in. */
  get element(): HTMLElement {
    return this.osd.element;
  }

  /** Where drawn overlays attach: over the image, under the navigator and other controls. */
  get layerParent(): HTMLElement {
    return this.osd.canvas as HTMLElement;
  }

  /**
   * The affine map from full-resolution image pixels to viewer-element CSS pixels, as
   * [a, b, c, d, e, f] with x' = a·x + c·y + e, y' = b·x + d·y + f (rotation included).
   */
  imageToViewerElementTransform(): [number, number, number, number, number, number] {
    const vp = this.osd.viewport;
    const o = vp.imageToViewerElementCoordinates(new OpenSeadragon.Point(0, 0));
    const ex = vp.imageToViewerElementCoordinates(new OpenSeadragon.Point(1000, 0));
    const ey = vp.imageToViewerElementCoordinates(new OpenSeadragon.Point(0, 1000));
    return [(ex.x - o.x) / 1000, (ex.y - o.y) / 1000, (ey.x - o.x) / 1000, (ey.y - o.y) / 1000, o.x, o.y];
  }

  /** Image-pixel bounds of what is visible (the rotated view's bounding box). */
  visibleImageBounds(): { minX: number; minY: number; maxX: number; maxY: number } {
    const vp = this.osd.viewport;
    const size = vp.getContainerSize();
    const pts = [
      [0, 0],
      [size.x, 0],
      [0, size.y],
      [size.x, size.y],
    ].map(([x, y]) => vp.viewerElementToImageCoordinates(new OpenSeadragon.Point(x!, y!)));
    return {
      minX: Math.min(...pts.map((p) => p.x)),
      minY: Math.min(...pts.map((p) => p.y)),
      maxX: Math.max(...pts.map((p) => p.x)),
      maxY: Math.max(...pts.map((p) => p.y)),
    };
  }

  /** Full-resolution image pixels per CSS pixel at the current zoom. */
  imagePxPerScreenPx(): number {
    return 1 / this.imageZoom(true);
  }

  /** Centres the view on an image point, keeping the zoom unless asked for one. */
  flyTo(x: number, y: number, magnification?: number): void {
    const v = this.getView(false);
    this.setView({ x, y, z: magnification ?? Math.max(v.z, 10), r: v.r });
  }

  /** The pixels of a box of the image (full-resolution pixels) at `scale` image pixels per pixel. */
  readRegion(box: Box, scale: number): Promise<RegionPixels> {
    const item = this.osd.world.getItemAt(0);
    if (!item) return Promise.reject(new Error('the slide is not open'));
    return readRegion(item.source as OpenSeadragon.TileSource & BitmapTiles, box, scale);
  }

  get isOpen(): boolean {
    return this.opened;
  }

  private emitView(): void {
    if (!this.opened) return;
    const v = this.getView(true);
    for (const h of this.handlers.view) h(v);
  }

  /** Whether the viewer shows enough of the slide to be looked at (not a sliver or nothing). */
  private bigEnough(): boolean {
    const size = this.osd.viewport.getContainerSize();
    return size.x >= MIN_VISIBLE_PX && size.y >= MIN_VISIBLE_PX;
  }

  private updateReady(): void {
    const item = this.osd.world.getItemAt(0);
    const ready = this.opened && !this.animating && !!item && item.getFullyLoaded() && this.bigEnough();
    if (ready !== this.lastReady) {
      this.lastReady = ready;
      if (ready) performance.mark('lamina:viewer-ready');
      for (const h of this.handlers.ready) h(ready);
    }
  }

  destroy(): void {
    this.abort.abort();
    for (const set of Object.values(this.handlers)) set.clear();
    this.osd.destroy();
  }
}
