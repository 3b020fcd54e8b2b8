import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { StorageGuard, StorageState } from '../app/storage-guard';

/**
 * Whether the browser keeps our data when space runs short (persistent storage), and how much
 * is used: the browser's answer, whatever it is. Persistence is asked for at the first
 * annotation (see app/storage-guard.ts), not here.
 */
@customElement('lamina-storage-info')
export class StorageInfoElement extends LitElement {
  @property({ attribute: false }) guard: StorageGuard | undefined;
  @state() private storage: StorageState | undefined;
  @state() private notice = '';
  private off: (() => void) | undefined;
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
    this.subscribe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('lamina-storage-notice', this.onNotice);
    this.off?.();
    this.off = undefined;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('guard')) this.subscribe();
  }

  private subscribe(): void {
    this.off?.();
    this.off = this.guard?.onChange((s) => (this.storage = s));
    void this.guard?.refresh();
  }

  override render() {
    const s = this.storage;
    const answer = s?.persisted === undefined ? 'not asked yet (asked at your first annotation)' : s.persisted ? 'persistent (the browser will not evict it)' : 'best-effort (the browser may evict it under pressure: export a backup)';
    const usage = s?.usage !== undefined ? ` · ${(s.usage / 1e6).toFixed(1)} MB used of ${((s.quota ?? 0) / 1e9).toFixed(1)} GB available` : '';
    return html`${this.notice ? html`<p class="notice" role="alert">${this.notice}</p>` : ''}
      <p data-testid="persisted">Storage: ${answer}${usage}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-storage-info': StorageInfoElement;
  }
}
