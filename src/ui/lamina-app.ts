import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import type { SlideInfo } from '../model/manifest';
import { figureByNumber, slideById } from '../model/manifest';
import type { ParsedRoute, Route } from '../model/route';
import { foreignOrigin, formatRoute } from '../model/route';
import { figureView } from '../model/manifest';
import type { ImageAnswerDetail } from './image-ask';
import './case-home';
import './viewer-page';
import './compare-page';
import './study-page';
import './image-ask';
import './own-slide-page';
import './open-slide';
import { droppedFiles } from './open-slide';
import type { OpenSlideElement } from './open-slide';

/** The shell: renders the screen the address names. */
@customElement('lamina-app')
export class LaminaAppElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  @state() private route: ParsedRoute = { name: 'home' };
  private unsubscribe: (() => void) | undefined;
  /**
   * Sites the user agreed to load images from, for as long as this page lives: a yes is about
   * one link being followed now, so it is deliberately not stored anywhere.
   */
  private readonly trustedOrigins = new Set<string>();

  static override styles = css`
    :host { display: flex; flex-direction: column; height: 100vh; }
    main { flex: 1; min-height: 0; overflow: auto; }
    .missing { padding: 2em; font: 16px system-ui, sans-serif; max-width: 720px; overflow-wrap: anywhere; }
    .missing a { margin-right: 1em; }
    .drop { position: fixed; inset: 0; z-index: 100; display: grid; place-items: center; background: #2f5fb3cc; color: #fff; font: 600 24px system-ui, sans-serif; pointer-events: none; }
    .dropper { position: fixed; left: 12px; bottom: 12px; z-index: 100; background: #fff; padding: 8px; border-radius: 8px; box-shadow: 0 4px 16px #0004; }
    .dropper[hidden] { display: none; }
  `;
  @state() private dragging = false;
  @state() private dropError = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // A slide file dropped anywhere on the page opens, whatever the screen.
    this.addEventListener('dragover', this.onDragOver);
    this.addEventListener('dragleave', () => (this.dragging = false));
    this.addEventListener('drop', this.onDrop);
    this.route = this.ctx.router.current();
    this.unsubscribe = this.ctx.router.onChange((r) => (this.route = r));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  override render() {
    return html`<main>${this.screen()}</main>
      ${this.dragging ? html`<div class="drop" aria-hidden="true">Drop a slide file to open it</div>` : ''}
      <div class="dropper" ?hidden=${!this.dropError}><lamina-open-slide .ctx=${this.ctx} @lamina-slide-opened=${() => (this.dropError = false)}></lamina-open-slide>
        <button type="button" @click=${() => (this.dropError = false)}>Close</button></div>`;
  }

  private onDragOver = (e: DragEvent): void => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  };

  private onDrop = async (e: DragEvent): Promise<void> => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    this.dragging = false;
    const { files, handles } = await droppedFiles(e.dataTransfer);
    const opener = this.renderRoot.querySelector<OpenSlideElement>('.dropper lamina-open-slide');
    if (!opener || files.length === 0) return;
    await opener.openFiles(files, handles);
    // Errors show beside the opener; a success navigates away.
    this.dropError = !!opener.shadowRoot?.querySelector('[role=alert]');
  };

  private screen() {
    const r = this.route;
    const m = this.ctx.manifest;
    switch (r.name) {
      case 'home':
        return html`<lamina-case-home .ctx=${this.ctx}></lamina-case-home>`;
      case 'invalid':
        return this.missing(`This address does not work. ${r.reason}`, r.suggestion);
      case 'figure': {
        const f = figureByNumber(m, r.figure);
        const s = f && slideById(m, f.slide);
        if (!f || !s) return this.missing(`There is no figure ${r.figure} in this case.`);
        return html`<lamina-viewer-page .ctx=${this.ctx} .slide=${s} .figure=${f} .view=${r.view ?? figureView(f, s)}
          .routeFor=${(view: typeof r.view) => ({ name: 'figure', figure: f.number, view })}></lamina-viewer-page>`;
      }
      case 'slide': {
        const s = slideById(m, r.slide);
        if (!s) return this.missing(`There is no slide "${r.slide}" in this case.`);
        return html`<lamina-viewer-page .ctx=${this.ctx} .slide=${s} .figure=${undefined} .view=${r.view}
          .routeFor=${(view: typeof r.view) => ({ name: 'slide', slide: s.id, view })}></lamina-viewer-page>`;
      }
      case 'compare': {
        const unknown = r.slides.filter((id) => !slideById(m, id));
        const names = unknown.map((id) => `"${id}"`).join(', ');
        if (unknown.length > 0) return this.missing(unknown.length === 1 ? `There is no slide ${names} in this case.` : `There are no slides ${names} in this case.`);
        const slides = r.slides.map((id) => slideById(m, id)).filter((s): s is SlideInfo => !!s);
        return html`<lamina-compare-page .ctx=${this.ctx} .slides=${slides} .view=${r.view} .linked=${r.linked}></lamina-compare-page>`;
      }
      case 'file':
        return html`<lamina-own-slide-page .ctx=${this.ctx} .slideId=${r.id} .view=${r.view}></lamina-own-slide-page>`;
      case 'study':
        return html`<lamina-study-page .ctx=${this.ctx} .setId=${r.set} .item=${r.item} .step=${r.step}></lamina-study-page>`;
      case 'image': {
        const origin = foreignOrigin(r.url, location.href);
        if (origin !== undefined && !this.trustedOrigins.has(origin)) {
          return html`<lamina-image-ask .url=${r.url} .origin=${origin} @lamina-image-answer=${(e: CustomEvent<ImageAnswerDetail>) => this.onAnswer(origin, e.detail)}></lamina-image-ask>`;
        }
        const name = r.url.split('/').pop()?.split('?')[0] || r.url;
        // Annotations of a user's image belong to that image: the id is derived from its address.
        const s: SlideInfo = { id: `image-${hashString(r.url)}`, name, stain: 'Own image', width: 1, height: 1, mpp: r.mpp, source: { kind: 'dzi', url: r.url } };
        return html`<lamina-viewer-page .ctx=${this.ctx} .slide=${s} .figure=${undefined} .view=${r.view}
          .routeFor=${(view: typeof r.view) => ({ name: 'image', url: r.url, mpp: r.mpp, view })}></lamina-viewer-page>`;
      }
    }
  }

  /** A screen that cannot be shown: why (as text), the way back, and the nearest that works. */
  private missing(text: string, suggestion?: Route) {
    return html`<p class="missing" role="alert">${text}<br />
      <a href="#/">Back to the case</a>
      ${suggestion ? html`<a href=${formatRoute(suggestion)}>Open it at its own view</a>` : ''}</p>`;
  }

  private onAnswer(origin: string, answer: ImageAnswerDetail): void {
    if (!answer.load) {
      this.ctx.router.go({ name: 'home' });
      return;
    }
    this.trustedOrigins.add(origin);
    this.requestUpdate();
  }
}

/** FNV-1a, 32 bit, as base-36 text: a short stable id for a URL. */
function hashString(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-app': LaminaAppElement;
  }
}
