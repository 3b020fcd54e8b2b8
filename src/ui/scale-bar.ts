import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { scaleBar } from '../model/optics';

/**
 * A calibrated scale bar: the longest 1/2/5 × 10ⁿ µm length that fits.
 * @csspart bar - the bar itself
 */
@customElement('lamina-scale-bar')
export class ScaleBarElement extends LitElement {
  /** µm covered by one CSS pixel at the current zoom. */
  @property({ type: Number }) umPerPx = 0;

  static override styles = css`
    :host { display: inline-flex; flex-direction: column; align-items: flex-start; font: 12px/1.2 system-ui, sans-serif; color: #111; }
    .bar { height: 6px; border: 2px solid #111; border-top: none; background: rgba(255,255,255,0.6); box-sizing: border-box; }
    .label { margin-top: 2px; background: rgba(255,255,255,0.8); padding: 0 4px; border-radius: 3px; font-variant-numeric: tabular-nums; }
  `;

  override render() {
    const bar = scaleBar(this.umPerPx);
    return html`<div class="bar" part="bar" style="width:${bar.px.toFixed(1)}px"></div>
      <span class="label" data-testid="scale-label">${bar.label}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'lamina-scale-bar': ScaleBarElement;
  }
}
