import { css, html, svg } from 'lit';

/** The crosshair's four arms (a gap in the middle leaves the target itself in view). */
const ARMS = [[-19, 0, -5, 0], [5, 0, 19, 0], [0, -19, 0, -5], [0, 5, 0, 19]] as const;

/**
 * The keyboard cursor's crosshair, centred in its positioned parent (the viewer's stage, whose
 * centre is where Enter clicks): black on a white halo to show on any stain, orange while a
 * drag is held.
 */
export function crosshair(state: 'aiming' | 'holding') {
  const arms = (cls: string) => ARMS.map(([x1, y1, x2, y2]) => svg`<line class=${cls} x1=${x1} y1=${y1} x2=${x2} y2=${y2}></line>`);
  return html`<svg class="crosshair ${state}" viewBox="-22 -22 44 44" aria-hidden="true" data-testid="crosshair">${arms('halo')}${arms('hair')}</svg>`;
}

export const crosshairStyles = css`
  .crosshair { position: absolute; left: calc(50% - 22px); top: calc(50% - 22px); width: 44px; height: 44px; pointer-events: none; }
  .crosshair line { stroke-linecap: round; }
  .crosshair .halo { stroke: #fff; stroke-width: 4; }
  .crosshair .hair { stroke: #111; stroke-width: 2; }
  .crosshair.holding .hair { stroke: #d93f00; stroke-width: 2.5; }
`;
