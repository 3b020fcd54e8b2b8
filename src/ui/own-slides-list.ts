import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AppContext } from '../app/context';
import type { OwnSlideRecord } from '../storage/own-slide-record';
import { formatRoute } from '../model/route';

/** The user's own slide files on the home page: thumbnail, name, format, size; each removable. */
@customElement('lamina-own-slides')
export class OwnSlidesListElement extends LitElement {
  @property({ attribute: false }) ctx!: AppContext;
  @state() private slides: OwnSlideRecord[] = [];
  @state() private error = '';
  private urls: string[] = [];
  private unsub: (() => void) | undefined;

  static override styles = css`
    :host { display: block; }
    ul { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px; }
    li { border: 1px solid #ddd; border-radius: 8px; padding: 8px; background: #fff; display: flex; flex-direction: column; gap: 4px; }
    li a { color: inherit; text-decoration: none; font-weight: 600; overflow-wrap: anywhere; }
    img, .noimg { width: 100%; height: 140px; object-fit: contain; background: #f3f3f3; border-radius: 4px; }
    .meta { font-size: 0.85rem; color: #555; }
    button { align-self: flex-start; font: inherit; font-size: 0.85rem; }
    .empty { color: #555; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    this.unsub = this.ctx.ownSlides.onChange(() => void this.load());
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsub?.();
    this.revoke();
  }

  private revoke(): void {
    for (const u of this.urls) URL.revokeObjectURL(u);
    this.urls = [];
  }

  private async load(): Promise<void> {
    try {
      const slides = await this.ctx.ownSlides.list();
      this.revoke();
      this.slides = slides;
    } catch (e) {
      this.error = `Your slides cannot be listed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private thumb(r: OwnSlideRecord) {
    if (!r.thumbnail) return html`<div class="noimg" aria-hidden="true"></div>`;
    const url = URL.createObjectURL(r.thumbnail);
    this.urls.push(url);
    return html`<img src=${url} alt="" />`;
  }

  override render() {
    if (this.error) return html`<p role="alert">${this.error}</p>`;
    if (this.slides.length === 0) return html`<p class="empty">Slides you open are listed here. They stay on your computer: nothing is uploaded.</p>`;
    return html`<ul data-testid="own-slides">
      ${this.slides.map(
        (r) => html`<li data-slide=${r.id}>
          <a href=${formatRoute({ name: 'file', id: r.id })}>${this.thumb(r)}${r.name}</a>
          <span class="meta">${r.format} · ${r.width.toLocaleString('en')} × ${r.height.toLocaleString('en')} px · ${megabytes(r.files)}${r.mpp !== undefined ? ` · ${r.mpp} µm/px` : ' · scale not set'}${r.copied ? ' · copy kept' : ''}</span>
          <button type="button" @click=${() => this.removeSlide(r)}>Remove</button>
        </li>`,
      )}
    </ul>`;
  }

  private async removeSlide(r: OwnSlideRecord): Promise<void> {
    if (!confirm(`Remove “${r.name}” from your slides? The file on your disk is not touched, and its annotations are kept: opening the file again brings them back.`)) return;
    await this.ctx.ownSlides.remove(r.id);
  }
}

function megabytes(files: OwnSlideRecord['files']): string {
  const bytes = files.reduce((s, f) => s + f.size, 0);
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.max(0.1, bytes / 1e6).toFixed(1)} MB`;
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-own-slides': OwnSlidesListElement;
  }
}
