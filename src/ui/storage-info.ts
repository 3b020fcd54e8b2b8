import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';

/**
 * Whether the browser keeps our data when space runs short (persistent storage), and how much
 * is used. Asks for persistence once; shows the browser's answer, whatever it is.
 */
@customElement('lamina-storage-info')
export class StorageInfoElement extends LitElement {
  @state() private persisted: boolean | undefined;
  @state() private usage = '';
  @state() private notice = '';
  private readonly onNotice = (e: Event): void => {
    this.notice = String((e as CustomEvent<string>).detail);
  };

  static override styles = css`
    :host { display: block; font: 12px system-ui, sans-serif; color: #555; }
    .notice { color: #a00; font-weight: 600; }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('lamina-storage-notice', this.onNotice);
    void this.check();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('lamina-storage-notice', this.onNotice);
  }

  private async check(): Promise<void> {
    const sm = navigator.storage;
    if (!sm) return;
    try {
      this.persisted = (await sm.persisted?.()) || (await sm.persist?.()) || false;
      const est = await sm.estimate?.();
      if (est?.usage !== undefined) this.usage = `${(est.usage / 1e6).toFixed(1)} MB used of ${((est.quota ?? 0) / 1e9).toFixed(1)} GB available`;
    } catch {
      this.persisted = false;
    }
  }

  override render() {
    return html`${this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : ''}
      <p data-testid="persisted">Storage: ${this.persisted === undefined ? 'checking…' : this.persisted ? 'persistent (the browser will not evict it)' : 'best-effort (the browser may evict it under pressure)'}${this.usage ? ` · ${this.usage}` : ''}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-storage-info': StorageInfoElement;
  }
}
