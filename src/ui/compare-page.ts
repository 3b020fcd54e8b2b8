import { LitElement, css, html } from 'lit';
import { customElement, property, queryAll } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import type { SlideInfo } from '../model/manifest';
import type { ViewState } from '../model/route';
import { viewsEqual } from '../model/route';
import type { SlideViewElement, ViewChangeDetail } from './slide-view';
import './slide-view';
import { state } from 'lit/decorators.js';
import type { SlideSession } from '../app/slide-session';

/**
 * Serial sections side by side. The sections share one coordinate frame, so linking is exact:
 * the viewer the user last touched leads, and the others follow its centre, zoom and rotation.
 */
@customElement('lamina-compare-page')
export class ComparePageElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  @property({ attribute: false }) slides: readonly SlideInfo[] = [];
  @property({ attribute: false }) view: ViewState | undefined;
  @property({ type: Boolean }) linked = true;
  @queryAll('lamina-slide-view') private views!: NodeListOf<SlideViewElement>;
  private leader: SlideViewElement | undefined;
  /** Each section's annotations, shown (not edited) where they were drawn. */
  @state() private sessions = new Map<string, SlideSession>();
  /** Where the leading viewer is now (the `view` property is only where the route asked to be). */
  private current: ViewState | undefined;

  static override styles = css`
    :host { display: flex; flex-direction: column; height: 100%; font: 14px system-ui, sans-serif; }
    header { display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: center; padding: 6px 14px; background: #f7f7f9; border-bottom: 1px solid #ddd; }
    h1 { font-size: 1.1rem; margin: 0; }
    .grid { flex: 1; display: grid; gap: 4px; min-height: 0; background: #111; grid-template-columns: repeat(var(--n), minmax(0, 1fr)); }
    lamina-slide-view { min-height: 0; min-width: 0; }
    /* Portrait phones and tablets: the sections (wider than tall) one above the other. */
    @media (max-width: 1000px) and (orientation: portrait) {
      .grid { grid-template-columns: minmax(0, 1fr); grid-template-rows: repeat(var(--n), minmax(0, 1fr)); }
    }
  `;

  override render() {
    return html`
      <header>
        <a href="#/">← Case</a>
        <h1>Compare: ${this.slides.map((s) => s.stain).join(' · ')}</h1>
        <label><input type="checkbox" data-testid="link-toggle" .checked=${this.linked} @change=${this.onLinkToggle} /> Link pan, zoom and rotation</label>
        <span class="notice">Virtual serial sections of one block.</span>
      </header>
      <div class="grid" style="--n: ${this.slides.length}">
        ${this.slides.map(
          (s) => html`<lamina-slide-view compact annotationMode="view" .session=${this.sessions.get(s.id)} .ctx=${this.ctx} .slide=${s} .view=${this.view}
            data-slide=${s.id} @lamina-interact=${this.onInteract} @lamina-view-change=${this.onView}></lamina-slide-view>`,
        )}
      </div>
    `;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.openSessions();
  }

  override firstUpdated(): void {
    // After navigation, keyboard and screen-reader users land on the first section.
    this.views[0]?.focusViewer(true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const s of this.sessions.values()) s.destroy();
    this.sessions = new Map();
  }

  private async openSessions(): Promise<void> {
    try {
      const opened = await Promise.all(this.slides.map((s) => this.ctx.annotations.openSession(s)));
      if (!this.isConnected) {
        for (const s of opened) s.destroy();
        return;
      }
      this.sessions = new Map(opened.map((s) => [s.slideId, s]));
    } catch {
      // Without storage the sections are still worth comparing; the viewers show no marks.
    }
  }

  private onLinkToggle = (e: Event): void => {
    this.linked = (e.target as HTMLInputElement).checked;
    this.publish();
  };

  private onInteract = (e: Event): void => {
    this.leader = e.currentTarget as SlideViewElement;
  };

  private onView = (e: CustomEvent<ViewChangeDetail>): void => {
    const source = e.currentTarget as SlideViewElement;
    // Before anyone touches a viewer, the first one leads.
    const leader = this.leader ?? this.views[0];
    if (source !== leader) return;
    this.current = e.detail.view;
    if (this.linked) {
      for (const v of this.views) {
        if (v === source) continue;
        const cur = v.currentView();
        if (!cur || !viewsEqual(cur, e.detail.view, 0.25)) v.jumpTo(e.detail.view);
      }
    }
    this.publish();
  };

  private publish(): void {
    this.ctx.router.replace({
      name: 'compare',
      slides: this.slides.map((s) => s.id),
      linked: this.linked,
      ...(this.current ? { view: this.current } : this.view ? { view: this.view } : {}),
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-compare-page': ComparePageElement;
  }
}
