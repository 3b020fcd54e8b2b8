import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import type { SlideAvailability } from '../app/own-slides';
import type { ViewState } from '../model/route';
import './viewer-page';
import './open-slide';
import './calibration-bar';

/**
 * A slide file of the user's own: the viewer once the file is open in this page, or what it
 * takes to open it again (the browser's permission for a stored handle, or the file picked
 * again: verified by its hash). Its annotations are kept whatever happens to the file.
 */
@customElement('lamina-own-slide-page')
export class OwnSlidePageElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  @property() slideId = '';
  @property({ attribute: false }) view: ViewState | undefined;
  @state() private avail: SlideAvailability | undefined;
  @state() private message = '';
  private unsub: (() => void) | undefined;

  static override styles = css`
    :host { display: flex; flex-direction: column; height: 100%; font: 15px/1.5 system-ui, sans-serif; }
    lamina-viewer-page { flex: 1; min-height: 0; overflow: hidden; }
    .away { padding: 2em; max-width: 720px; }
    .away h1 { font-size: 1.3rem; }
    .error { color: #a00; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsub = this.ctx.ownSlides.onChange(() => void this.load());
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsub?.();
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('slideId') && changed.get('slideId') !== undefined) {
      this.avail = undefined;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    const id = this.slideId;
    const a = await this.ctx.ownSlides.availability(id);
    if (id !== this.slideId) return;
    // Keep the same SlideInfo object while nothing in it changed: a new one reopens the viewer.
    const old = this.avail;
    if (a.state === 'open' && old?.state === 'open' && old.slide.mpp === a.slide.mpp && old.slide.name === a.slide.name) {
      this.avail = { ...a, slide: old.slide };
      return;
    }
    this.avail = a;
  }

  override render() {
    const a = this.avail;
    if (!a) return html`<p class="away" aria-busy="true">Opening the slide file…</p>`;
    switch (a.state) {
      case 'open':
        return html`<lamina-calibration-bar .ctx=${this.ctx} .slide=${a.slide} .record=${a.record} .info=${a.info}></lamina-calibration-bar>
          <lamina-viewer-page .ctx=${this.ctx} .slide=${a.slide} .figure=${undefined} .view=${this.view}
            .routeFor=${(view: ViewState) => ({ name: 'file', id: a.slide.id, view })}></lamina-viewer-page>`;
      case 'permission':
        return html`<div class="away"><h1>${a.record.name}</h1>
          <p>Lamina needs your permission to read this file again (browsers ask after a restart).</p>
          <button type="button" data-testid="allow-file" @click=${this.allow}>Allow reading ${a.record.name}</button>
          ${this.message ? html`<p class="error" role="alert">${this.message}</p>` : ''}
          <p>Or pick it again: <lamina-open-slide .ctx=${this.ctx} reconnect=${a.record.id} label="Pick the file…"></lamina-open-slide></p>
          <p><a href="#/">Back to the case</a></p></div>`;
      case 'missing':
        return html`<div class="away"><h1>${a.record.name}</h1>
          <p role="alert" data-testid="file-missing">This slide’s file is not reachable. ${a.why} Its annotations are kept.</p>
          <p>Pick the file again to reconnect it (Lamina checks that it is the same file):</p>
          <lamina-open-slide .ctx=${this.ctx} reconnect=${a.record.id} label="Pick the file…"></lamina-open-slide>
          <p><a href="#/">Back to the case</a></p></div>`;
      case 'unknown':
        return html`<div class="away"><h1>A slide file not opened in this browser</h1>
          <p role="alert" data-testid="file-missing">This link is to a slide file (${this.slideId}) that has not been opened here. Open that file to see it (Lamina checks that it is the same file):</p>
          <lamina-open-slide .ctx=${this.ctx} reconnect=${this.slideId} label="Pick the file…"></lamina-open-slide>
          <p><a href="#/">Back to the case</a></p></div>`;
    }
  }

  private allow = async (): Promise<void> => {
    const why = await this.ctx.ownSlides.allow(this.slideId);
    this.message = why ?? '';
    await this.load();
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-own-slide-page': OwnSlidePageElement;
  }
}
