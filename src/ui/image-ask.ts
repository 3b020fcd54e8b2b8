import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

export interface ImageAnswerDetail {
  /** True for "Load it", false for "Back to the case". */
  readonly load: boolean;
}

/**
 * Asks before a shared link makes the browser fetch an image from another site: opening the
 * link must not, by itself, tell that server who is looking (or pull in whatever it serves).
 * The address is shown as text, never as markup.
 *
 * @fires lamina-image-answer - the user chose (detail: ImageAnswerDetail)
 */
@customElement('lamina-image-ask')
export class ImageAskElement extends LitElement {
  /** The Deep Zoom descriptor's address, as the link gave it. */
  @property() url = '';
  /** The site it is on, e.g. https://images.example.org. */
  @property() origin = '';

  static override styles = css`
    :host { display: block; max-width: 720px; margin: 0 auto; padding: 2em 24px; font: 15px/1.5 system-ui, sans-serif; color: #1d1d1f; }
    h1 { font-size: 1.3rem; margin: 0 0 0.5em; }
    .url { display: block; padding: 8px 10px; background: #f2f2f5; border: 1px solid #ddd; border-radius: 6px; overflow-wrap: anywhere; font: 13px/1.4 ui-monospace, monospace; }
    .actions { display: flex; gap: 10px; margin-top: 1.2em; }
    button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid #999; background: #fff; cursor: pointer; }
    button.load { background: #2f5fb3; border-color: #2f5fb3; color: #fff; }
    button:focus-visible { outline: 2px solid #8ab4f8; outline-offset: 2px; }
  `;

  override render() {
    return html`<section aria-labelledby="ask-title">
      <h1 id="ask-title">Open an image from another site?</h1>
      <p>This link opens a Deep Zoom image from <b>${this.origin}</b>. Lamina will fetch it and its tiles from
        there, which tells that site that you are looking. Load it only if you trust the link.</p>
      <code class="url" data-testid="image-url">${this.url}</code>
      <div class="actions">
        <button type="button" class="load" @click=${() => this.answer(true)}>Load it</button>
        <button type="button" @click=${() => this.answer(false)}>Back to the case</button>
      </div>
    </section>`;
  }

  private answer(load: boolean): void {
    this.dispatchEvent(new CustomEvent<ImageAnswerDetail>('lamina-image-answer', { detail: { load }, bubbles: true, composed: true }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-image-ask': ImageAskElement;
  }
  interface GlobalEventHandlersEventMap {
    'lamina-image-answer': CustomEvent<ImageAnswerDetail>;
  }
}
