import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';

/**
 * A button that shows its current choice and opens a popup of choices below it: how a toolbar
 * too wide for a phone collapses. A disclosure (button with aria-expanded), not an ARIA menu:
 * the choices stay ordinary buttons with their own names and pressed states, reachable by Tab
 * or by Up and Down. Escape, a choice, a press outside or focus leaving closes it.
 *
 * @slot label - the trigger's content: the current choice
 * @slot - the choices (buttons)
 * @csspart trigger - the trigger button
 * @csspart popup - the popup
 */
@customElement('lamina-menu-button')
export class MenuButtonElement extends LitElement {
  @property({ type: Boolean, reflect: true }) open = false;
  @property({ type: Boolean }) disabled = false;
  /** What the choices are, for assistive technology (e.g. "Tools"). */
  @property() label = '';
  /** Which edge the popup lines up with: a menu at a toolbar's right end opens leftwards. */
  @property() align: 'start' | 'end' = 'start';
  @query('.trigger') private trigger!: HTMLButtonElement;

  static override styles = css`
    :host { position: relative; display: inline-block; }
    .trigger { font: inherit; color: #eee; background: #3a3c42; border: 1px solid #555; border-radius: 4px; padding: 3px 7px; cursor: pointer; white-space: nowrap; }
    .trigger:hover, .trigger:focus-visible { background: #4a4d55; outline: 2px solid #8ab4f8; outline-offset: -1px; }
    .trigger:disabled { opacity: 0.45; cursor: default; }
    @media (pointer: coarse) { .trigger { min-height: 34px; min-width: 34px; } }
    .caret { font-size: 0.8em; margin-left: 3px; }
    .popup { position: absolute; top: calc(100% + 2px); left: 0; z-index: 30; display: flex; flex-direction: column; align-items: stretch; gap: 2px;
      min-width: 100%; max-height: 60vh; overflow: auto; padding: 4px; background: #1e1f22; border: 1px solid #555; border-radius: 6px; box-shadow: 0 6px 18px #0008; }
    :host([align='end']) .popup { left: auto; right: 0; }
    .popup[hidden] { display: none; }
  `;

  override render() {
    return html`<button type="button" class="trigger" part="trigger" aria-expanded=${this.open ? 'true' : 'false'} aria-controls="popup"
        ?disabled=${this.disabled} @click=${this.toggle}><slot name="label"></slot><span class="caret" aria-hidden="true">▾</span></button>
      <div id="popup" class="popup" part="popup" role="group" aria-label=${this.label} ?hidden=${!this.open} @click=${this.onChoice} @keydown=${this.onKey}><slot></slot></div>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('focusout', this.onFocusOut);
    this.addEventListener('keydown', this.onEscape);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('focusout', this.onFocusOut);
    this.removeEventListener('keydown', this.onEscape);
    document.removeEventListener('pointerdown', this.onOutside, { capture: true });
  }

  override updated(changed: Map<string, unknown>): void {
    if (!changed.has('open')) return;
    // Listening for outside presses only while open: closed menus cost nothing.
    if (this.open) document.addEventListener('pointerdown', this.onOutside, { capture: true });
    else document.removeEventListener('pointerdown', this.onOutside, { capture: true });
  }

  /** Closes the popup, returning focus to the trigger when it was inside. */
  close(refocus = false): void {
    this.open = false;
    if (refocus) this.trigger?.focus();
  }

  private toggle = (): void => {
    this.open = !this.open;
    if (this.open) void this.updateComplete.then(() => this.choices().find((b) => b.getAttribute('aria-pressed') === 'true')?.focus() ?? this.choices()[0]?.focus());
  };

  private choices(): HTMLButtonElement[] {
    const slot = this.renderRoot.querySelector<HTMLSlotElement>('.popup slot');
    return (slot?.assignedElements({ flatten: true }) ?? []).flatMap((el) =>
      el instanceof HTMLButtonElement ? [el] : [...el.querySelectorAll('button')],
    ).filter((b) => !b.disabled);
  }

  private onChoice = (e: Event): void => {
    if (e.composedPath().some((t) => t instanceof HTMLButtonElement)) this.close(true);
  };

  private onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const items = this.choices();
    const i = items.findIndex((b) => e.composedPath().includes(b));
    const n = items.length;
    if (n === 0) return;
    const to = e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : (i + (e.key === 'ArrowDown' ? 1 : -1) + n) % n;
    e.preventDefault();
    items[to]?.focus();
  };

  private onEscape = (e: KeyboardEvent): void => {
    if (!this.open || e.key !== 'Escape') return;
    e.preventDefault();
    e.stopPropagation();
    this.close(true);
  };

  private onFocusOut = (e: FocusEvent): void => {
    const to = e.relatedTarget as Node | null;
    if (this.open && to && !this.contains(to) && !this.renderRoot.contains(to)) this.open = false;
  };

  private onOutside = (e: PointerEvent): void => {
    if (!e.composedPath().includes(this)) this.open = false;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-menu-button': MenuButtonElement;
  }
}
