import { LitElement, css, html } from 'lit';
import type { PropertyValues } from 'lit';
import { customElement, property, state, query } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import type { SlideInfo } from '../model/manifest';
import type { ViewState } from '../model/route';
import { viewsEqual } from '../model/route';
import { formatMagnification, magnificationFromUmPerScreenPx } from '../model/optics';
import { SlideViewer } from '../viewer/slide-viewer';
import { dziTileSource, virtualTileSource } from '../viewer/tile-sources';
import './scale-bar';
import './viewer-toolbar';
import type { ViewerActions } from './viewer-toolbar';
import { MAGNIFICATIONS } from './viewer-toolbar';
import './annotation-toolbar';
import type { SlideSession } from '../app/slide-session';
import { AnnotationLayerController } from './annotation-layer-controller';
import type { RegionPixels } from '../viewer/region-reader';
import { TOOLS } from '../tools/types';
import { KeyboardCursorController } from './keyboard-cursor-controller';
import { MenuButtonElement } from './menu-button';
import { crosshair, crosshairStyles } from './crosshair';

export interface ViewChangeDetail {
  readonly view: ViewState;
  readonly slide: string;
}

/**
 * One deep-zoom viewer with its toolbar, magnification readout, scale bar and navigator.
 * Reflects `ready` once every tile in view is drawn at the current zoom.
 *
 * @fires lamina-view-change - the visible field changed (detail: ViewChangeDetail)
 * @fires lamina-interact - the user touched this viewer (compare mode follows the last one touched)
 */
@customElement('lamina-slide-view')
export class SlideViewElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  @property({ attribute: false }) slide!: SlideInfo;
  /** Wanted view; the viewer moves there when this changes and differs from where it is. */
  @property({ attribute: false }) view: ViewState | undefined;
  @property({ type: Boolean, reflect: true }) ready = false;
  @property({ type: Boolean }) compact = false;
  @state() private umPerPx = 0;
  @state() private mag = 0;
  @state() private rotation = 0;
  @state() private error = '';
  /** A tile that could not be decoded (a damaged file): said, while the rest of the slide works. */
  @state() private tileError = '';
  /** Annotations of this slide in this tab; absent where storage is unavailable. */
  @property({ attribute: false }) session: SlideSession | undefined;
  /** A tool or class key pressed before the session arrived. */
  private pendingKey: KeyboardEvent | undefined;
  /** Annotations to make stand out (a tour step's); the others are drawn faint while any are. */
  @property({ attribute: false }) highlight: ReadonlySet<string> = new Set();
  /** "view" shows the annotations without tools (compare mode); "edit" adds the toolbar and input. */
  @property() annotationMode: 'edit' | 'view' = 'edit';
  /** The session's annotations over the viewer: overlay, pointer input, their subscriptions. */
  private readonly layer = new AnnotationLayerController(this);
  @query('.osd') private container!: HTMLDivElement;
  private viewer: SlideViewer | undefined;
  /** The magnification once the view settles, for screen readers (the readout changes every frame). */
  @state() private settledMag = '';
  private readonly cursor = new KeyboardCursorController(this, {
    element: () => this.container ?? undefined,
    viewer: () => this.viewer,
    editor: () => (this.annotationMode === 'edit' ? this.session?.editor : undefined),
  });

  static override styles = [crosshairStyles, css`
    :host { display: flex; flex-direction: column; position: relative; min-height: 200px; background: #2b2d31; color: #eee; }
    :host(:fullscreen) { width: 100vw; height: 100vh; }
    .stage { position: relative; flex: 1; min-height: 0; }
    .osd { position: absolute; inset: 0; background: #f4f2f5; }
    .osd:focus { outline: none; }
    /* The focus ring is drawn over the slide (an outline of .osd would be under its canvas). */
    .ring { display: none; position: absolute; inset: 0; border: 3px solid #8ab4f8; pointer-events: none; }
    .osd:focus-visible + .ring, .ring.on { display: block; }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    .readout { position: absolute; left: 8px; top: 8px; background: rgba(0,0,0,0.65); padding: 2px 8px; border-radius: 4px; font: 600 14px system-ui, sans-serif; pointer-events: none; }
    lamina-scale-bar { position: absolute; left: 10px; bottom: 10px; pointer-events: none; }
    .error { position: absolute; inset: 0; display: grid; place-items: center; color: #fbb; background: #2b2d31; padding: 2em; text-align: center; }
    .error a { color: #8ab4f8; }
    .tile-error { position: absolute; right: 8px; top: 8px; max-width: 50%; margin: 0; background: #fff3f3; color: #a00; padding: 4px 8px; border-radius: 4px; font: 13px system-ui, sans-serif; }
  `];

  protected override async scheduleUpdate(): Promise<void> {
    // Durability first: an edit re-renders after its write (SlidePersistence.quiet).
    await this.session?.persistence.quiet();
    super.scheduleUpdate();
  }

  override render() {
    return html`
      <lamina-viewer-toolbar .actions=${this.actions} stain=${this.slide?.stain ?? ''} slideName=${this.slide?.name ?? ''} .mag=${this.mag} .rotation=${this.rotation}
        ?compact=${this.compact}></lamina-viewer-toolbar>
      ${this.annotationMode === 'edit'
        ? html`<lamina-annotation-toolbar .session=${this.session} .status=${this.layer.saveStatus} .revision=${this.layer.revision}></lamina-annotation-toolbar>`
        : ''}
      <div class="stage">
        <div class="osd" tabindex="0" role="application" aria-roledescription="slide viewer" aria-label="Slide ${this.slide?.name ?? ''}" aria-describedby="keys"></div>
        <div class="ring ${this.cursor.state === 'off' ? '' : 'on'}"></div>
        ${this.cursor.state === 'off' ? '' : crosshair(this.cursor.state)}
        <p class="sr-only" id="keys">${this.annotationMode === 'edit' && this.session
          ? 'Arrow keys pan, Shift with arrows a little; + and − zoom. Enter or Space clicks at the centre with the current tool; Shift+Enter closes a polygon. Question mark lists every shortcut.'
          : 'Arrow keys pan, Shift with arrows a little; + and − zoom.'}</p>
        <p class="sr-only" role="status" data-testid="cursor-status">${this.cursor.message}</p>
        <p class="sr-only" role="status">${this.settledMag ? `Magnification ${this.settledMag}` : ''}</p>
        <div class="readout" data-testid="magnification" aria-hidden="true">${formatMagnification(this.mag)}</div>
        <lamina-scale-bar .umPerPx=${this.umPerPx}></lamina-scale-bar>
        ${this.tileError ? html`<p class="tile-error" role="alert" data-testid="tile-error">Part of this slide could not be shown: ${this.tileError}.</p>` : ''}
        ${this.error ? html`<div class="error" role="alert">${this.error} <a href="#/">Back to the case</a></div>` : ''}
      </div>
    `;
  }

  override firstUpdated(): void {
    // Capture phase: our keys win over OpenSeadragon's own (it would flip the image on F).
    this.addEventListener('keydown', (e) => this.onKey(e), { capture: true });
    for (const type of ['pointerdown', 'wheel', 'keydown', 'touchstart']) {
      this.addEventListener(type, () => this.dispatchEvent(new CustomEvent('lamina-interact', { bubbles: true, composed: true })), { capture: true, passive: true });
    }
    this.openViewer();
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('highlight')) this.layer.highlight(this.highlight);
    if (changed.has('session')) {
      this.attachAnnotations();
      // A tool or class key pressed while the annotations were loading takes effect now.
      const key = this.pendingKey;
      this.pendingKey = undefined;
      if (key && this.session && this.annotationMode === 'edit') this.annotationKey(key);
    }
    if (changed.has('slide') && changed.get('slide') !== undefined) {
      this.detachAnnotations();
      this.viewer?.destroy();
      this.openViewer();
      this.attachAnnotations();
    } else if (changed.has('view') && this.view && this.viewer && !viewsEqual(this.view, this.viewer.getView(false))) {
      this.viewer.setView(this.view);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.detachAnnotations();
    this.viewer?.destroy();
    this.viewer = undefined;
  }

  /** The viewer's current view (for tests and the compare page). */
  currentView(): ViewState | undefined {
    return this.viewer?.getView(true);
  }

  /**
   * Puts keyboard focus on the slide itself, not scrolling. After a navigation on a touch-only
   * screen it is focused without showing it (no ring, no crosshair over the slide of someone
   * who taps); a key press shows both.
   */
  focusViewer(afterNavigation = false): void {
    const quiet = afterNavigation && matchMedia('(hover: none)').matches;
    const focus = (): void => this.container?.focus({ preventScroll: true, ...(quiet ? { focusVisible: false } : {}) });
    if (this.container) focus();
    else void this.updateComplete.then(focus);
  }

  /** The pixels of a box of the slide (image pixels) at `scale` image pixels per pixel. */
  readRegion(box: { x: number; y: number; width: number; height: number }, scale: number): Promise<RegionPixels> {
    return this.viewer ? this.viewer.readRegion(box, scale) : Promise.reject(new Error('the viewer is not open'));
  }

  /** Where an image point is on the page (client CSS pixels), or undefined before the viewer opens. */
  imageToClient(x: number, y: number): { x: number; y: number } | undefined {
    const v = this.viewer;
    if (!v?.isOpen) return undefined;
    const [a, b, c, d, e, f] = v.imageToViewerElementTransform();
    const r = v.element.getBoundingClientRect();
    return { x: r.left + a * x + c * y + e, y: r.top + b * x + d * y + f };
  }

  /** The view that shows the whole of an image-pixel box, centred, with a small margin, on this viewer's screen. */
  viewForBox(box: { x: number; y: number; width: number; height: number }, margin = 1.08): ViewState | undefined {
    const el = this.container;
    if (!el || !(el.clientWidth > 0) || !(el.clientHeight > 0)) return undefined;
    const umPerPx = Math.max((box.width * this.slide.mpp * margin) / el.clientWidth, (box.height * this.slide.mpp * margin) / el.clientHeight);
    return { x: box.x + box.width / 2, y: box.y + box.height / 2, z: magnificationFromUmPerScreenPx(umPerPx), r: 0 };
  }

  /** The image-pixel box of what is in view (a rotated view's bounding box), clamped to the slide. */
  visibleBounds(): { x: number; y: number; width: number; height: number } | undefined {
    const b = this.viewer?.visibleImageBounds();
    if (!b) return undefined;
    const w = this.slide.width > 1 ? this.slide.width : Infinity;
    const h = this.slide.height > 1 ? this.slide.height : Infinity;
    const x0 = Math.max(0, b.minX);
    const y0 = Math.max(0, b.minY);
    return { x: x0, y: y0, width: Math.max(0, Math.min(w, b.maxX) - x0), height: Math.max(0, Math.min(h, b.maxY) - y0) };
  }

  /** Centres on an image point (from the annotation list), zooming in to at least 10x. */
  flyTo(x: number, y: number): void {
    this.viewer?.flyTo(x, y);
  }

  private attachAnnotations(): void {
    this.layer.highlight(this.highlight);
    this.layer.attach(this.viewer, this.session, this.annotationMode === 'edit');
  }

  private detachAnnotations(): void {
    this.layer.detach();
  }

  /** The slide's size for the overlay's density cells. */
  get slideSize(): { w: number; h: number } {
    // A DZI opened by its address is described with no size: its viewer knows it once open.
    const open = this.slide.width > 1 ? undefined : this.viewer?.imageSize();
    return open ? { w: open.width, h: open.height } : { w: this.slide.width, h: this.slide.height };
  }

  /** For the benchmark: how long the overlay's last frame took and what it drew. */
  overlayProbe(): { ms: number; mode: string; paintMs: number; tileBytes: number } | undefined {
    return this.layer.probe();
  }

  /** Moves without animation (used by linked viewers). */
  jumpTo(v: ViewState): void {
    this.viewer?.setView(v, true);
  }

  private openViewer(): void {
    const slide = this.slide;
    this.error = '';
    this.tileError = '';
    this.ready = false;
    let source;
    try {
      const src = slide.source;
      source =
        src.kind === 'virtual' ? virtualTileSource(slide, this.ctx.pool)
        : src.kind === 'file' ? this.ctx.ownSlides.tileSource(src.id, (m) => (this.tileError = m))
        : dziTileSource(src.url);
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return;
    }
    const v = new SlideViewer({
      element: this.container,
      tileSource: source,
      mpp: slide.mpp,
      drawer: this.ctx.drawer,
      ...(this.view ? { initialView: this.view } : {}),
    });
    v.on('view', (view) => {
      this.cursor.viewMoved();
      this.umPerPx = v.umPerScreenPx();
      this.mag = view.z;
      this.rotation = view.r;
      this.dispatchEvent(new CustomEvent<ViewChangeDetail>('lamina-view-change', { detail: { view, slide: slide.id }, bubbles: true, composed: true }));
    });
    let drawn = false;
    v.on('ready', (r) => {
      this.ready = r;
      if (r) this.settledMag = formatMagnification(v.magnification());
      if (!r || drawn) return;
      drawn = true;
      this.dispatchEvent(new CustomEvent('lamina-first-view', { bubbles: true, composed: true }));
    });
    v.on('error', (m) => (this.error = `Could not open ${slide.name}: ${m}`));
    this.viewer = v;
  }

  /** What the toolbar's buttons do: always to the viewer open now. */
  private readonly actions: ViewerActions = {
    zoomToMagnification: (m) => this.viewer?.zoomToMagnification(m),
    zoomBy: (f) => this.viewer?.zoomBy(f),
    rotateBy: (d) => this.viewer?.rotateBy(d),
    goHome: () => this.viewer?.goHome(),
    toggleFullscreen: () => this.toggleFullscreen(),
  };

  private toggleFullscreen(): void {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void this.requestFullscreen?.().catch(() => undefined);
  }

  /** Tool, class, edit and undo keys; true if used. */
  private annotationKey(e: KeyboardEvent): boolean {
    const ed = this.session!.editor;
    const ctrl = e.ctrlKey || e.metaKey;
    if (ctrl) return ed.key(e.key, { ctrl: true, shift: e.shiftKey });
    if (e.altKey) return false;
    if (!e.shiftKey && /^Digit[0-9]$/.test(e.code)) {
      const key = Number(e.code.slice(5));
      const c = this.session!.classes.find((x) => x.key === key && key > 0);
      if (!c) return false;
      ed.pickClass(c.id, c.tool);
      return true;
    }
    const tool = TOOLS.find((t) => t.key === e.key);
    if (tool && !e.shiftKey) {
      ed.setTool(tool.name);
      return true;
    }
    return ed.key(e.key);
  }

  private onKey(e: KeyboardEvent): void {
    // Typing in a field (label, note, search) is text, not shortcuts.
    const path = e.composedPath();
    if (path.some((t) => t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement)) return;
    // An open menu keeps its keys (Escape closes it, arrows move in it); Enter and Space press a button.
    if (path.some((t) => t instanceof MenuButtonElement && t.open)) return;
    if ((e.key === 'Enter' || e.key === ' ') && path[0] instanceof HTMLButtonElement) return;
    // On the slide itself: arrows, W/A/S/D, +/− and the keyboard cursor's Enter, Space and Escape.
    if (path[0] === this.container && this.cursor.key(e)) {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    // The shortcut list opens whatever the annotations' state (they load after the first view).
    if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey) {
      this.dispatchEvent(new CustomEvent('lamina-help', { bubbles: true, composed: true }));
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (this.session && this.annotationMode === 'edit' && this.annotationKey(e)) {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    // Annotations load after the first view: a tool or class key pressed before is kept (the last one).
    if (!this.session && this.annotationMode === 'edit' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey && (/^Digit[0-9]$/.test(e.code) || TOOLS.some((t) => t.key === e.key))) {
      this.pendingKey = e;
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const v = this.viewer;
    if (!v) return;
    if (e.shiftKey && /^Digit[1-4]$/.test(e.code)) {
      v.zoomToMagnification(MAGNIFICATIONS[Number(e.code.slice(5)) - 1]!);
    } else if (e.key === '[') v.rotateBy(-15);
    else if (e.key === ']') v.rotateBy(15);
    else if (e.key === 'h' || e.key === 'H') v.goHome();
    else if (e.key === 'F') this.toggleFullscreen();
    else return;
    e.preventDefault();
    e.stopPropagation();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-slide-view': SlideViewElement;
  }
  interface GlobalEventHandlersEventMap {
    'lamina-view-change': CustomEvent<ViewChangeDetail>;
    'lamina-interact': CustomEvent<void>;
  }
}
