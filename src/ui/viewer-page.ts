import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import type { FigureView, SlideInfo } from '../model/manifest';
import type { Route, ViewState } from '../model/route';
import type { ViewChangeDetail } from './slide-view';
import './slide-view';

/** The figure's own view: its centre, its objective, its rotation. */
export function figureView(f: FigureView, slide: SlideInfo): ViewState {
  return { x: f.centerUm[0] / slide.mpp, y: f.centerUm[1] / slide.mpp, z: f.objective, r: f.rotation };
}

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

  static override styles = css`
    :host { display: flex; flex-direction: column; height: 100%; font: 14px/1.4 system-ui, sans-serif; }
    header { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: baseline; padding: 6px 14px; background: #f7f7f9; border-bottom: 1px solid #ddd; }
    h1 { font-size: 1.1rem; margin: 0; }
    .caption { flex-basis: 100%; margin: 0; color: #333; }
    .notice { color: #7a5b00; font-size: 0.85rem; }
    lamina-slide-view { flex: 1; min-height: 0; }
  `;

  override render() {
    const f = this.figure;
    const s = this.slide;
    return html`
      <header>
        <a href="#/">← Case</a>
        <h1>${f ? `Figure ${f.number} · ${f.stain} · ${f.objective}x` : s.name}</h1>
        ${s.source.kind === 'virtual'
          ? html`<span class="notice">Virtual specimen standing in for the published figure; not the original image.</span>
              <a href="#/compare" @click=${this.openCompare}>Compare stains</a>`
          : ''}
        ${f ? html`<p class="caption" data-testid="caption">${f.caption}</p>` : ''}
      </header>
      <lamina-slide-view .ctx=${this.ctx} .slide=${s} .view=${this.view} @lamina-view-change=${this.onView}></lamina-slide-view>
    `;
  }

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
