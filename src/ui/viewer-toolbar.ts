import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatMagnification } from '../model/optics';
import { NarrowController } from './narrow-controller';
import './menu-button';

export const MAGNIFICATIONS = [2.5, 10, 20, 40] as const;

/** What the toolbar's buttons do to the viewer it belongs to. */
export interface ViewerActions {
  zoomToMagnification(mag: number): void;
  zoomBy(factor: number): void;
  rotateBy(deg: number): void;
  goHome(): void;
  toggleFullscreen(): void;
}

/**
 * Narrower than this, the magnifications and the rarer buttons collapse into menus: the widths
 * at which the full row (without fullscreen in compare mode) no longer fits on one line.
 */
const NARROW_PX = 540;
const NARROW_COMPACT_PX = 460;

/**
 * The viewer's controls: stain, 2.5x–40x, zoom, rotation, home, fullscreen. A thin view over
 * the viewer's state; narrow (a phone, a compare column), the magnifications are one menu
 * showing the current one, and rotation, home and fullscreen another.
 */
@customElement('lamina-viewer-toolbar')
export class ViewerToolbarElement extends LitElement {
  @property({ attribute: false }) actions: ViewerActions | undefined;
  @property() stain = '';
  @property() slideName = '';
  @property({ type: Number }) mag = 0;
  @property({ type: Number }) rotation = 0;
  /** Compare mode: no fullscreen of one column. */
  @property({ type: Boolean }) compact = false;
  private readonly width = new NarrowController(this, () => (this.compact ? NARROW_COMPACT_PX : NARROW_PX));

  static override styles = css`
    :host { display: block; }
    .toolbar { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; padding: 4px 6px; background: #1e1f22; font: 13px system-ui, sans-serif; color: #eee; }
    button { font: inherit; color: #eee; background: #3a3c42; border: 1px solid #555; border-radius: 4px; padding: 3px 8px; cursor: pointer; white-space: nowrap; }
    button:hover, button:focus-visible { background: #4a4d55; outline: 2px solid #8ab4f8; outline-offset: -1px; }
    button[aria-pressed='true'] { background: #2f5fb3; border-color: #8ab4f8; }
    lamina-menu-button button { text-align: left; }
    .label { font-weight: 600; margin-right: 6px; }
    @media (pointer: coarse) { button { min-height: 34px; min-width: 34px; } }
    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  `;

  override render() {
    const a = this.actions;
    const mags = MAGNIFICATIONS.map(
      (m, i) => html`<button type="button" aria-pressed=${Math.abs(this.mag - m) < 0.05 * m ? 'true' : 'false'} title="Zoom to ${m}x (Shift+${i + 1})"
        @click=${() => a?.zoomToMagnification(m)}>${m}x</button>`,
    );
    const zoom = html`<button type="button" title="Zoom out (-)" aria-label="Zoom out" @click=${() => a?.zoomBy(0.5)}>−</button>
      <button type="button" title="Zoom in (+)" aria-label="Zoom in" @click=${() => a?.zoomBy(2)}>+</button>`;
    const rotate = html`<button type="button" title="Rotate left 15° ([)" aria-label="Rotate left" @click=${() => a?.rotateBy(-15)}>⟲</button>
      <button type="button" title="Rotate right 15° (])" aria-label="Rotate right" @click=${() => a?.rotateBy(15)}>⟳</button>`;
    const rotation = html`<span data-testid="rotation">${Math.round(this.rotation)}°</span>`;
    const home = html`<button type="button" title="Whole slide (H)" aria-label="Home" @click=${() => a?.goHome()}>⌂</button>`;
    const full = this.compact ? '' : html`<button type="button" title="Fullscreen (Shift+F)" aria-label="Fullscreen" @click=${() => a?.toggleFullscreen()}>Fullscreen</button>`;
    const label = html`<span class="label">${this.stain}</span>`;
    if (this.width.narrow) {
      return html`<div class="toolbar" role="toolbar" aria-label="Viewer controls for ${this.slideName || 'slide'}">
        ${label}
        <lamina-menu-button label="Magnifications"><span slot="label"><span class="sr-only">Magnification </span>${formatMagnification(this.mag)}</span>${mags}</lamina-menu-button>
        ${zoom} ${rotation}
        <lamina-menu-button label="More viewer controls" align="end"><span slot="label"><span aria-hidden="true">⋯</span><span class="sr-only">More viewer controls</span></span>
          <button type="button" title="Rotate left 15° ([)" @click=${() => a?.rotateBy(-15)}>⟲ Rotate left</button>
          <button type="button" title="Rotate right 15° (])" @click=${() => a?.rotateBy(15)}>⟳ Rotate right</button>
          <button type="button" title="Whole slide (H)" @click=${() => a?.goHome()}>⌂ Whole slide</button>
          ${this.compact ? '' : html`<button type="button" title="Fullscreen (Shift+F)" @click=${() => a?.toggleFullscreen()}>Fullscreen</button>`}
        </lamina-menu-button>
      </div>`;
    }
    return html`<div class="toolbar" role="toolbar" aria-label="Viewer controls for ${this.slideName || 'slide'}">
      ${label} ${mags} ${zoom} ${rotate} ${rotation} ${home} ${full}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-viewer-toolbar': ViewerToolbarElement;
  }
}
