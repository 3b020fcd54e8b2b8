import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import type { FigureView, SlideInfo } from '../model/manifest';
import type { Route, ViewState } from '../model/route';
import type { ViewChangeDetail } from './slide-view';
import './slide-view';
import './annotation-panel';
import './help-overlay';
import './storage-info';
import './backup-controls';
import './transfer-controls';
import './set-author';
import './count-panel';
import { state } from 'lit/decorators.js';
import type { SlideSession } from '../app/slide-session';
import type { FlyToDetail } from './annotation-panel';
import type { SlideViewElement } from './slide-view';
import { NarrowController } from './narrow-controller';

/** Narrower than this, the annotation panel is a bottom sheet over the viewer, not beside it. */
const SHEET_PX = 900;
/**
 * Narrower or shorter than this (a phone, upright or on its side), the figure's caption and
 * notice fold into "About this figure".
 */
const FOLD_CAPTION_PX = 600;

/**
 * One slide in a full-page viewer: a published figure (with its caption) or a whole slide.
 */
@customElement('lamina-viewer-page')
export class ViewerPageElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  @property({ attribute: false }) slide!: SlideInfo;
  @property({ attribute: false }) figure: FigureView | undefined;
  /** Where the route asked to be; `current` is where the viewer is now. */
  @property({ attribute: false }) view: ViewState | undefined;
  private current: ViewState | undefined;
  /** The address of this screen at a given view. */
  @property({ attribute: false }) routeFor: (v: ViewState) => Route = (view) => ({ name: 'slide', slide: this.slide.id, view });

  @state() private session: SlideSession | undefined;
  @state() private sessionError = '';
  @state() private revision = 0;
  /** Whether the bottom sheet (narrow screens) is open. */
  @state() private sheetOpen = false;
  private unsub: Array<() => void> = [];
  private readonly width = new NarrowController(this, SHEET_PX);
  private readonly phone = new NarrowController(this, FOLD_CAPTION_PX, FOLD_CAPTION_PX);

  static override styles = css`
    :host { display: flex; flex-direction: column; height: 100%; font: 14px/1.4 system-ui, sans-serif; }
    .body { flex: 1; display: flex; min-height: 0; position: relative; }
    .body lamina-slide-view { flex: 1; min-width: 0; min-height: 0; }
    lamina-annotation-panel { width: 320px; flex: none; box-sizing: border-box; }
    .session-error { padding: 10px; color: #a00; width: 320px; box-sizing: border-box; flex: none; margin: 0; border-left: 1px solid #ddd; }
    .session-error[aria-busy='true'] { color: #666; }
    header { position: relative; display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: baseline; padding: 6px 14px; background: #f7f7f9; border-bottom: 1px solid #ddd; }
    h1 { font-size: 1.1rem; margin: 0; }
    .caption { flex-basis: 100%; margin: 0; color: #333; }
    .notice { color: #7a5b00; font-size: 0.85rem; }
    .skip { position: absolute; left: 8px; top: 4px; z-index: 60; padding: 6px 10px; font: inherit; background: #fff; border: 2px solid #2f5fb3; border-radius: 4px; transform: translateY(-200%); }
    .skip:focus { transform: none; }
    /* Narrow: the viewer takes the whole width; the panel is a sheet over its lower part (it
       never resizes the viewer, so the magnification stays), opened from a bar below it. */
    :host([narrow]) header { padding: 4px 10px; gap: 2px 12px; }
    :host([narrow]) h1 { font-size: 1rem; }
    details.about { flex-basis: 100%; font-size: 0.9rem; }
    details.about summary { cursor: pointer; color: #2f5fb3; }
    details.about p { margin: 4px 0; }
    /* Low enough that the viewer's centre (where the list flies to) stays above it. */
    .sheet { position: absolute; left: 0; right: 0; bottom: 0; height: 40%; z-index: 40; display: flex; flex-direction: column;
      background: #fafafa; border-top: 1px solid #bbb; border-radius: 10px 10px 0 0; box-shadow: 0 -6px 20px #0005; overflow: hidden; }
    .sheet[hidden] { display: none; }
    .sheet lamina-annotation-panel, .sheet .session-error { width: auto; flex: 1; min-height: 0; border-left: none; }
    .sheet-bar { flex: none; display: flex; }
    .sheet-bar button { flex: 1; font: 600 15px system-ui, sans-serif; padding: 10px; border: none; border-top: 1px solid #ccc; background: #eef2fb; color: #1d3d80; cursor: pointer; }
    .sheet-bar button:focus-visible { outline: 3px solid #2f5fb3; outline-offset: -3px; }
  `;

  protected override async scheduleUpdate(): Promise<void> {
    // Durability first: an edit re-renders after its write (SlidePersistence.quiet).
    await this.session?.persistence.quiet();
    super.scheduleUpdate();
  }

  override render() {
    const f = this.figure;
    const s = this.slide;
    const narrow = this.width.narrow;
    const notice = s.source.kind === 'virtual'
      ? html`<span class="notice">Virtual specimen standing in for the published figure; not the original image.</span>
          <a href="#/compare" @click=${this.openCompare}>Compare stains</a>`
      : '';
    const caption = f ? html`<p class="caption" data-testid="caption">${f.caption}</p>` : '';
    return html`
      <header>
        <button type="button" class="skip" @click=${() => this.focusViewer()}>Skip to the slide viewer</button>
        <a href="#/">← Case</a>
        <h1>${f ? `Figure ${f.number} · ${f.stain} · ${f.objective}x` : s.name}</h1>
        ${this.phone.narrow
          ? // A phone has no room for the caption above the viewer: it is one tap away.
            notice || caption ? html`<details class="about"><summary>About this ${f ? 'figure' : 'slide'}</summary>${caption}${notice ? html`<p>${notice}</p>` : ''}</details>` : ''
          : html`${notice}${caption}`}
      </header>
      <div class="body">
        <lamina-slide-view .ctx=${this.ctx} .slide=${s} .view=${this.view} .session=${this.session} annotationMode=${this.sessionError ? "view" : "edit"}
          @lamina-view-change=${this.onView} @lamina-help=${this.openHelp}></lamina-slide-view>
        ${narrow ? html`<div class="sheet" id="sheet" role="region" aria-label="Annotations" ?hidden=${!this.sheetOpen} @keydown=${this.sheetKey}>${this.panel(true)}</div>` : this.panel(false)}
      </div>
      ${narrow
        ? html`<div class="sheet-bar"><button type="button" data-testid="sheet-toggle" aria-expanded=${this.sheetOpen ? 'true' : 'false'} aria-controls="sheet"
            @click=${() => (this.sheetOpen = !this.sheetOpen)}>Annotations (${this.session ? this.session.store.size : '…'}) <span aria-hidden="true">${this.sheetOpen ? '▾' : '▴'}</span></button></div>`
        : ''}
      <lamina-help-overlay></lamina-help-overlay>
    `;
  }

  /** The annotation panel, or why there is none yet. */
  private panel(compact: boolean) {
    if (this.session)
      return html`<lamina-annotation-panel .session=${this.session} .revision=${this.revision} ?compact=${compact} @lamina-fly-to=${this.onFlyTo}>
        <lamina-transfer-controls slot="transfer" .session=${this.session} .slide=${this.slide} .workspace=${this.ctx.annotations} .ctx=${this.ctx}
          .slides=${[this.slide, ...this.ctx.manifest.slides.filter((x) => x.id !== this.slide.id)]}></lamina-transfer-controls>
        <lamina-count-panel slot="count" .ctx=${this.ctx} .session=${this.session} .slide=${this.slide} .read=${this.readRegion} .revision=${this.revision}></lamina-count-panel>
        <lamina-set-author slot="teach" .ctx=${this.ctx} .slide=${this.slide} .figure=${this.figure} .session=${this.session} .viewNow=${this.viewNow}></lamina-set-author>
        <lamina-storage-info slot="storage" .guard=${this.ctx.annotations.storage}></lamina-storage-info>
        <lamina-backup-controls slot="storage" .workspace=${this.ctx.annotations}></lamina-backup-controls>
      </lamina-annotation-panel>`;
    if (this.sessionError) return html`<p class="session-error" role="alert">${this.sessionError}</p>`;
    // Hold the panel's place while annotations load, so the viewer never changes width under a
    // view that was just set (it would change the magnification).
    return html`<p class="session-error" aria-busy="true">Loading annotations…</p>`;
  }

  /** Escape in the sheet closes it and gives focus back to the bar that opened it. */
  private sheetKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    e.stopPropagation();
    this.sheetOpen = false;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>('[data-testid=sheet-toggle]')?.focus());
  };

  private focusViewer = (afterNavigation = false): void => {
    this.renderRoot.querySelector<SlideViewElement>('lamina-slide-view')?.focusViewer(afterNavigation);
  };

  override willUpdate(): void {
    this.toggleAttribute('narrow', this.width.narrow);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.openSession();
  }

  /**
   * Tiles first: the annotations are read and drawn once the first view is drawn, or after a
   * second at most. Creating the database on a first visit costs ~1 s of a small machine's two
   * cores, and done alongside the first view it made that view ~0.4 s later (figure 4 cold:
   * 1.7 → 1.3 s); with the database open, setting up the session, its overlay and its panel
   * still held the first tiles back by ~30 ms of main thread (an own 3 GB slide: ready ~65
   * instead of ~100 ms after the viewer opened).
   */
  private firstViewDrawn(maxMs = 1000): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.removeEventListener('lamina-first-view', done);
        resolve();
      };
      const timer = setTimeout(done, maxMs);
      this.addEventListener('lamina-first-view', done);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.closeSession();
  }

  override firstUpdated(): void {
    // After navigation, keyboard and screen-reader users land on the slide, not the top of the page.
    this.focusViewer(true);
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('slide') && changed.get('slide') !== undefined) {
      this.closeSession();
      void this.openSession();
      this.focusViewer(true);
    }
  }

  /** Counts session opens, so a stale one (the page left or the slide changed meanwhile) stops. */
  private generation = 0;

  private async openSession(): Promise<void> {
    const slide = this.slide;
    // One open at a time: a reconnect or a new slide while this one waits makes it stale.
    const generation = ++this.generation;
    const stale = (): boolean => generation !== this.generation || !this.isConnected || this.slide !== slide;
    this.sessionError = '';
    await this.firstViewDrawn();
    if (stale()) return;
    performance.mark('lamina:annotations-load');
    try {
      const session = await this.ctx.annotations.openSession(slide);
      if (stale()) {
        session.destroy();
        return;
      }
      this.session = session;
      const bump = (): void => {
        this.revision++;
      };
      this.unsub.push(session.store.subscribe(bump), session.editor.onChange(bump), session.onChange(bump));
    } catch (e) {
      if (!stale()) this.sessionError = `Annotations are unavailable: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private closeSession(): void {
    this.generation++;
    for (const u of this.unsub) u();
    this.unsub = [];
    this.session?.destroy();
    this.session = undefined;
  }

  /** A box of the slide's pixels, for the Ki67 assist. */
  private readRegion = (box: { x: number; y: number; width: number; height: number }, scale: number) => {
    const v = this.renderRoot.querySelector<SlideViewElement>('lamina-slide-view');
    return v ? v.readRegion(box, scale) : Promise.reject(new Error('the viewer is not open'));
  };

  /** Where the viewer is and what it shows, for a tour step or quiz made here. */
  private viewNow = (): { view: ViewState; field: { x: number; y: number; width: number; height: number } } | undefined => {
    const v = this.renderRoot.querySelector<SlideViewElement>('lamina-slide-view');
    const view = v?.currentView();
    const field = v?.visibleBounds();
    return view && field ? { view, field } : undefined;
  };

  private openHelp = (): void => {
    const o = this.renderRoot.querySelector('lamina-help-overlay');
    if (o) o.open = true;
  };

  private onFlyTo = (e: CustomEvent<FlyToDetail>): void => {
    this.renderRoot.querySelector<SlideViewElement>('lamina-slide-view')?.flyTo(e.detail.x, e.detail.y);
  };

  private openCompare = (e: Event): void => {
    e.preventDefault();
    const slides = this.ctx.manifest.slides.filter((x) => x.source.kind === 'virtual').map((x) => x.id);
    const view = this.current ?? this.view;
    this.ctx.router.go({ name: 'compare', slides, linked: true, ...(view ? { view } : {}) });
  };

  private onView = (e: CustomEvent<ViewChangeDetail>): void => {
    this.current = e.detail.view;
    this.ctx.router.replace(this.routeFor(e.detail.view));
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-viewer-page': ViewerPageElement;
  }
}
