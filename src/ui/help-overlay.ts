import { LitElement, css, html } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { TOOLS } from '../tools/types';

export const SHORTCUTS: ReadonlyArray<readonly [string, string]> = [
  ...TOOLS.map((t) => [t.key.toUpperCase(), `${t.label} tool`] as const),
  ['1 – 9', 'Class for new shapes (and recolour the selection)'],
  ['Arrows, W A S D', 'Pan: the slide moves under the crosshair at the centre'],
  ['Shift + arrows', 'Pan a few pixels'],
  ['+ / −', 'Zoom in and out'],
  ['Enter / Space', 'Click at the crosshair with the current tool: a point, a polygon vertex, a selection; a rectangle, ellipse, ruler or freehand line starts on one press and ends on the next'],
  ['Shift + Enter', 'Close the polygon being drawn'],
  ['Double-click', 'Close the polygon being drawn (Enter too, while drawing with a pointer)'],
  ['Backspace', 'Remove the last vertex while drawing; delete the selection otherwise'],
  ['Delete', 'Delete the selected annotation'],
  ['Escape', 'Cancel the drawing in progress, or deselect'],
  ['Alt + click vertex', 'Remove a vertex (Select tool)'],
  ['Double-click edge', 'Add a vertex (Select tool)'],
  ['Ctrl/⌘ + Z', 'Undo'],
  ['Ctrl/⌘ + Shift + Z', 'Redo'],
  ['Shift + 1 … 4', 'Zoom to 2.5x, 10x, 20x, 40x'],
  ['[ / ]', 'Rotate 15°'],
  ['H', 'Whole slide'],
  ['Shift + F', 'Fullscreen'],
  ['?', 'This list'],
];

/**
 * The keyboard shortcut list, as a modal dialog (a native <dialog>: focus moves into it and
 * back to where it was on close, Escape closes it, the page behind is inert).
 */
@customElement('lamina-help-overlay')
export class HelpOverlayElement extends LitElement {
  @property({ type: Boolean, reflect: true }) open = false;
  @query('dialog') private dialog!: HTMLDialogElement;

  static override styles = css`
    :host { display: contents; }
    dialog { border: none; border-radius: 8px; padding: 16px 22px; max-height: 85vh; max-width: min(640px, 92vw); overflow: auto; font: 14px system-ui, sans-serif; color: #111; }
    dialog::backdrop { background: #0008; }
    kbd { font: 600 12px ui-monospace, monospace; background: #eee; border: 1px solid #ccc; border-radius: 4px; padding: 1px 5px; white-space: nowrap; }
    th { text-align: left; font-size: 12px; color: #555; padding: 0 10px 4px 0; }
    td { padding: 3px 10px 3px 0; vertical-align: top; }
    h2 { margin: 0 0 8px; font-size: 1.1rem; }
  `;

  override render() {
    return html`<dialog aria-labelledby="title" @close=${this.onClose} @click=${this.onClick}>
      <h2 id="title">Keyboard shortcuts</h2>
      <table>
        <thead><tr><th scope="col">Keys</th><th scope="col">What they do</th></tr></thead>
        <tbody>${SHORTCUTS.map(([k, d]) => html`<tr><td><kbd>${k}</kbd></td><td>${d}</td></tr>`)}</tbody>
      </table>
      <p><button type="button" @click=${() => (this.open = false)}>Close</button></p>
    </dialog>`;
  }

  override updated(changed: Map<string, unknown>): void {
    if (!changed.has('open') || !this.dialog) return;
    if (this.open && !this.dialog.open) this.dialog.showModal();
    else if (!this.open && this.dialog.open) this.dialog.close();
  }

  /** Closed by Escape (the dialog's own cancel) or by Close: `open` follows the dialog. */
  private onClose = (): void => {
    this.open = false;
  };

  /** A click on the backdrop (the dialog element itself, outside its content) closes it. */
  private onClick = (e: MouseEvent): void => {
    if (e.target !== this.dialog) return;
    const r = this.dialog.getBoundingClientRect();
    if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) this.open = false;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-help-overlay': HelpOverlayElement;
  }
}
