import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { TOOLS } from '../tools/types';

export const SHORTCUTS: ReadonlyArray<readonly [string, string]> = [
  ...TOOLS.map((t) => [t.key.toUpperCase(), `${t.label} tool`] as const),
  ['1 – 9', 'Class for new shapes (and recolour the selection)'],
  ['Enter / double-click', 'Close the polygon being drawn'],
  ['Backspace', 'Remove the last vertex while drawing; delete the selection otherwise'],
  ['Delete', 'Delete the selected annotation'],
  ['Escape', 'Cancel the drawing in progress, or deselect'],
  ['Alt + click vertex', 'Remove a vertex (Select tool)'],
  ['Double-click edge', 'Add a vertex (Select tool)'],
  ['Ctrl/⌘ + Z', 'Undo'],
  ['Ctrl/⌘ + Shift + Z', 'Redo'],
  ['Shift + 1 … 4', 'Zoom to 2.5x, 10x, 20x, 40x'],
  ['Arrows, + / −', 'Pan and zoom'],
  ['[ / ]', 'Rotate 15°'],
  ['H', 'Whole slide'],
  ['Shift + F', 'Fullscreen'],
  ['?', 'This list'],
];

/** The keyboard shortcut list, as a modal dialog. */
@customElement('lamina-help-overlay')
export class HelpOverlayElement extends LitElement {
  @property({ type: Boolean, reflect: true }) open = false;

  static override styles = css`
    :host { display: none; }
    :host([open]) { display: grid; place-items: center; position: fixed; inset: 0; background: #0008; z-index: 50; }
    .box { background: #fff; color: #111; border-radius: 8px; padding: 16px 22px; max-height: 85vh; overflow: auto; font: 14px system-ui, sans-serif; min-width: 360px; }
    kbd { font: 600 12px ui-monospace, monospace; background: #eee; border: 1px solid #ccc; border-radius: 4px; padding: 1px 5px; white-space: nowrap; }
    td { padding: 3px 10px 3px 0; }
    h2 { margin: 0 0 8px; font-size: 1.1rem; }
  `;

  override render() {
    return html`<div class="box" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
      <h2>Keyboard shortcuts</h2>
      <table>${SHORTCUTS.map(([k, d]) => html`<tr><td><kbd>${k}</kbd></td><td>${d}</td></tr>`)}</table>
      <p><button type="button" @click=${() => (this.open = false)}>Close</button></p>
    </div>`;
  }

  private readonly onKey = (e: KeyboardEvent): void => {
    if (this.open && e.key === 'Escape') {
      this.open = false;
      e.stopPropagation();
    }
  };

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('click', (e) => {
      if (e.target === this) this.open = false;
    });
    // Escape closes the list wherever focus is (it stays on the viewer when opened with ?).
    window.addEventListener('keydown', this.onKey, { capture: true });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('keydown', this.onKey, { capture: true });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-help-overlay': HelpOverlayElement;
  }
}
