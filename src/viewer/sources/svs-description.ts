/**
 * Aperio's ImageDescription: "Aperio Image Library v11 \r\n46000x32914 [...] (240x240) JPEG/RGB
 * Q=30|AppMag = 20|MPP = 0.4990|…" on the full-resolution image; "label 387x463" and
 * "macro 1280x431" on the associated images; "… -> 574x768 - " on the thumbnail. Pure.
 */

export interface SvsDescription {
  readonly aperio: boolean;
  /** µm per pixel (the MPP field), where present and plausible. */
  readonly mpp: number | undefined;
  /** The scanning objective (AppMag). */
  readonly appMag: number | undefined;
  /** Which associated image this directory is, where it says. */
  readonly associated: 'label' | 'macro' | 'thumbnail' | undefined;
}

/** µm per pixel a microscope slide can plausibly have: 5 nm (electron) to 100 µm (a photo of a slide). */
export const MPP_PLAUSIBLE = [0.005, 100] as const;

export function plausibleMpp(x: number | undefined): number | undefined {
  return x !== undefined && Number.isFinite(x) && x >= MPP_PLAUSIBLE[0] && x <= MPP_PLAUSIBLE[1] ? x : undefined;
}

export function parseSvsDescription(text: string | undefined): SvsDescription {
  const t = (text ?? '').slice(0, 20_000);
  const aperio = /^\s*Aperio/i.test(t);
  const field = (name: string): number | undefined => {
    const m = new RegExp(`\\|\\s*${name}\\s*=\\s*([0-9.eE+-]+)`).exec(t);
    return m ? Number(m[1]) : undefined;
  };
  const firstLineAfter = t.split(/\r?\n/)[1] ?? '';
  let associated: SvsDescription['associated'];
  if (aperio) {
    if (/^\s*label\b/im.test(firstLineAfter) || /\nlabel\s+\d+x\d+/i.test(t)) associated = 'label';
    else if (/^\s*macro\b/im.test(firstLineAfter) || /\nmacro\s+\d+x\d+/i.test(t)) associated = 'macro';
    else if (/\d+x\d+\s*->\s*\d+x\d+/.test(firstLineAfter)) associated = 'thumbnail';
  }
  const mag = field('AppMag');
  return { aperio, mpp: aperio ? plausibleMpp(field('MPP')) : undefined, appMag: mag !== undefined && Number.isFinite(mag) && mag > 0 ? mag : undefined, associated };
}

/** µm per pixel from an OME-XML description's PhysicalSizeX (and its unit), where present. */
export function parseOmeMpp(text: string | undefined): number | undefined {
  const t = (text ?? '').slice(0, 200_000);
  if (!/<OME[\s>]/.test(t)) return undefined;
  const m = /PhysicalSizeX\s*=\s*"([0-9.eE+-]+)"/.exec(t);
  if (!m) return undefined;
  const unit = /PhysicalSizeXUnit\s*=\s*"([^"]*)"/.exec(t)?.[1] ?? 'µm';
  const factor: Record<string, number> = { 'µm': 1, 'μm': 1, um: 1, nm: 0.001, mm: 1000, cm: 10_000, m: 1e6 };
  const f = factor[unit];
  return f === undefined ? undefined : plausibleMpp(Number(m[1]) * f);
}
