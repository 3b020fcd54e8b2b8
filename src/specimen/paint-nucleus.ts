import type { Buffers } from './paint-tissue';
import type { Scene } from './scene';
import { hash3, unit } from './hash';
import { clamp01 } from './coverage';
import { ACTIN_CLEAR_UM, ACTIN_LOSS_MIN, ACTIN_LOSS_SIDE, ACTIN_LOSS_SPAN, actinClearing } from './actin';
import { COARSE, PLAIN, SMUDGED, VESICULAR } from './nucleus-style';
import type { NucleusStyle } from './nucleus-style';

/**
 * The painters' primitives: a nucleus (an irregular blunt-ended superellipse with chromatin),
 * a sub-pixel nucleus as deposited stain mass, and cleared or deepened cytoplasm.
 */

/** Tile frame: origin (µm), µm per pixel, and the drawable size. */
export interface Frame {
  x0: number;
  y0: number;
  upp: number;
  w: number;
  h: number;
  /** Which stain's nuclei carry DAB (Ki67) — decided per section. */
  ki67: boolean;
  /** Whether actin is drawn (SMA): only then is its perinuclear clearing worth the pixels. */
  actin?: boolean;
}

/** Thickness (µm) of the dark line of chromatin along a nuclear membrane. */
const MEMBRANE_UM = 0.3;
/**
 * Gain on the chromatin's fine texture (grains, clumps and membrane) about its mean. Measured on
 * nuclei segmented from screen pixels (darkest 22%, eroded 2 px): the luminance SD inside a
 * nucleus is 12.7 at 40x and 11.8 at 20x in he-carcinoma-40x.png, and was 8.3 / 6.3 here.
 */
const CHROMATIN_GAIN = 1.5;
/**
 * Chromatin's coarser unevenness (clumps and blotches of 1–3 µm, darker on one side or in a
 * band): in a real scan most of the texture inside a nucleus is at this scale (its SD barely
 * drops when 40x is averaged down to 20x), so it is drawn at 40x and 20x as well as at 10x.
 */
const MOTTLE_FINE = 0.75;
const MOTTLE_COARSE = 0.45;

/** Contrast of the Ki67 precipitate's clumps of 1-2 µm (at 40x and 20x). */
const DAB_CLUMP = 0.6;
/** Haematoxylin amount (OD) of an average nucleus: calibrated against the reference H&E scan. */
export const NUCLEAR_OD = 0.41;
/** The share of a negative nucleus's hyperchromasia that Ki67's short counterstain shows. */
const KI67_HYPER = 0.7;
/** Width (µm) over which a nucleolus's edge fades into the chromatin round it. */
const NUCLEOLUS_SOFT_UM = 0.25;
/** The amount of an average Ki67-positive nucleus, in the same units (the assist's calibration). */
const DAB_OD = 0.47;
const DAB_PER_H = DAB_OD / NUCLEAR_OD;

/**
 * A sub-pixel nucleus, deposited as area-weighted stain mass over the pixels it falls into,
 * so that mean colour is kept across pyramid levels.
 */
export function depositPoint(b: Buffers, f: Frame, x: number, y: number, massH: number, massD: number, areaUm2: number): void {
  const fx = (x - f.x0) / f.upp - 0.5;
  const fy = (y - f.y0) / f.upp - 0.5;
  const ix = Math.floor(fx);
  const iy = Math.floor(fy);
  const ax = fx - ix;
  const ay = fy - iy;
  const area = f.upp * f.upp;
  for (let k = 0; k < 4; k++) {
    const px = ix + (k & 1);
    const py = iy + (k >> 1);
    if (px < 0 || py < 0 || px >= f.w || py >= f.h) continue;
    const wgt = ((k & 1) ? ax : 1 - ax) * ((k >> 1) ? ay : 1 - ay);
    const i = py * b.size + px;
    b.H[i] = b.H[i]! + (massH * wgt) / area;
    b.D[i] = b.D[i]! + (massD * wgt) / area;
    // The share of the pixel the nucleus covers holds no actin and less eosin, as drawn larger.
    const cov = Math.min(1, (areaUm2 * wgt) / area);
    b.S[i] = b.S[i]! * (1 - 0.75 * cov);
    b.E[i] = b.E[i]! * (1 - 0.45 * cov) + 0.05 * cov;
  }
}

/**
 * An irregular blunt-ended nucleus (superellipse with a noisy outline and chromatin texture).
 * `dark` scales haematoxylin; for a Ki67-positive nucleus most of it is DAB instead. `style`
 * gives atypical nuclei their clumped, smudged or vesicular chromatin, notches, lobes and
 * macronucleoli.
 */
export function paintNucleus(scene: Scene, b: Buffers, f: Frame, cx: number, cy: number, angle: number, a: number, bb: number, dark: number, dab: boolean, seed: number, irregular: number, bumps = 0.32, style: NucleusStyle = PLAIN): void {
  const { upp } = f;
  // The counterstain stains every nucleus, positive or not, at full strength: DAB lies over the
  // haematoxylin, which is why weak positives look grey-brown and strong ones chocolate on a
  // real Ki67 slide. (With a fifth of it under the DAB, positives were a clean orange-brown and
  // the haematoxylin per unit of DAB a third of the real scan's.)
  // Ki67 staining strength varies widely from nucleus to nucleus, as the antigen does through
  // the cycle: most faint tan to moderate brown, a few near-black. Weak nuclei stain in granules
  // (the antigen is in nucleoli and heterochromatin); strong ones are solid.
  const dStrength = dab ? unit(hash3(seed, 5, 1)) : 0;
  const dFrac = dab ? 0.9 + 7 * dStrength ** 1.7 : 0;
  // (Granules of about 0.7 µm, at a contrast of 4, that leave blue between them: half the size
  // at a contrast of 1.5, a weak positive printed as a flat grey mix of brown and blue.)
  const dGrain = dab ? 4 * (1 - dStrength) : 0;
  if (bb * 2 < upp * 1.2) {
    // Effective stain mass of a small dark nucleus; 0.8 compensates Beer–Lambert's nonlinearity.
    const mass = Math.PI * a * bb * NUCLEAR_OD * dark * 0.8;
    depositPoint(b, f, cx, cy, mass, mass * dFrac * DAB_PER_H, Math.PI * a * bb);
    return;
  }
  const cs = Math.cos(angle);
  const sn = Math.sin(angle);
  let reach = a * (1.25 + style.lobe) + upp;
  const tex = scene.tex;
  const nq = scene.scratch.noiseXY;
  const nn = scene.scratch.noiseOut;
  const ox = unit(seed) * 200;
  const oy = unit(hash3(seed, 1, 1)) * 200;
  // Edge width: anti-aliased at every zoom, and never sharper than a real objective's depth of
  // field renders a nuclear membrane (about 0.45 µm); nuclei lying deeper or shallower in the
  // section than the focal plane are softer, up to 1.65 µm (a scan is in focus at one depth
  // of a 4 µm section, so its nuclei are not all equally crisp), a thin one (an endothelial
  // nucleus) no softer than it is wide, or it would vanish.
  const defocus = unit(hash3(seed, 16, 1));
  const soft = Math.min(0.9 + 2.4 * defocus * defocus, Math.max(0.9, 1.2 * bb));
  // (At 10x and coarser the edge's coverage ramps over three quarters of a pixel: over half of
  // one, as at 20x and 40x where the soft edge is the wider anyway, outlines came out
  // stair-stepped.)
  const sharp = Math.min(bb / ((2 + clamp01((upp - 0.6) / 0.4)) * upp), bb / soft);
  const fine = clamp01(1.6 - upp * 1.6);
  // Tumour nuclei: most a little paler than their style's mean, about one in five much darker
  // (hyperchromatic): a scan's darkest pixels are a few nuclei, not all of them a shade darker.
  // Other cells' nuclei and debris vary less.
  const pu = unit(hash3(seed, 2, 1));
  const pale = style === PLAIN ? 0.85 + 0.3 * pu : pu < 0.22 ? 1.3 + 0.25 * (pu / 0.22) : 0.64 + 0.22 * ((pu - 0.22) / 0.78);
  // Chromatin differs from nucleus to nucleus: fine or coarse grains, evenly spread or clumped.
  const grain = 0.9 + 0.9 * unit(hash3(seed, 6, 1));
  const clump = 0.6 + 0.9 * unit(hash3(seed, 7, 1));
  // Ki67's counterstain is short: a hyperchromatic negative nucleus is a deeper sky blue, not
  // the cobalt twice the haematoxylin prints through its vector (which absorbs little blue; a
  // blind reader's tell). The reference scan's negatives are all pale: per-nucleus mean
  // haematoxylin p90 0.37, p98 0.46 (ihc.test.ts holds ours near it).
  const tone = dark * pale;
  const base = NUCLEAR_OD * (f.ki67 && !dab && tone > 1 ? 1 + (tone - 1) * KI67_HYPER : tone);
  // A nucleolus: a macronucleolus (cherry-red, in a paler rim) where the style has one, else
  // (plain nuclei of other cells) a small dark dot in darker nuclei.
  const macro = style.nucleolus;
  const nr = macro > 0 ? Math.min(macro, bb * 0.45) : 0.67;
  const nucleolus = macro > 0 || (style === PLAIN && dark > 1.15 && bb > 1.5);
  // Anywhere in the nucleus but its rim, a soft-edged oval at an angle of its own, and in some
  // nuclei a second, smaller one, at its own angle and shape, clear of the first. (One round
  // disc near the middle of every such nucleus, in a pale ring, read to a blind reader as a
  // bull's-eye stamped on each.) (Salts 50 and up: the cell painters hash c.h too.)
  const nx = (unit(hash3(seed, 3, 1)) - 0.5) * (a - nr) * 1.1;
  const ny = (unit(hash3(seed, 4, 1)) - 0.5) * (bb - nr) * 0.9;
  const oAng = unit(hash3(seed, 50, 1)) * 6.283;
  const oCos = Math.cos(oAng);
  const oSin = Math.sin(oAng);
  const nAsp = 0.6 + 0.4 * unit(hash3(seed, 51, 1));
  const twin = nucleolus && unit(hash3(seed, 52, 1)) < (macro > 0 ? 0.45 : 0.3);
  const nr2 = nr * (0.45 + 0.25 * unit(hash3(seed, 53, 1)));
  const tAng2 = unit(hash3(seed, 56, 1)) * 6.283;
  const tCos = Math.cos(tAng2);
  const tSin = Math.sin(tAng2);
  const nAsp2 = 0.6 + 0.4 * unit(hash3(seed, 57, 1));
  // On the other side of the middle from the first, and at least their two radii and a soft
  // edge apart along the nucleus (else the two merged into one blob), room allowing.
  const side2 = nx > 0 ? -1 : 1;
  const gap = nr + nr2 + NUCLEOLUS_SOFT_UM;
  const nx2 = side2 * Math.min(a - nr2, Math.max((0.15 + 0.35 * unit(hash3(seed, 54, 1))) * (a - nr2), gap - Math.abs(nx)));
  const ny2 = (unit(hash3(seed, 55, 1)) - 0.5) * (bb - nr2) * 0.9;
  const chromatin = style.chromatin;
  const tilt = 0.18 * unit(hash3(seed, 13, 1));
  const tAng = unit(hash3(seed, 14, 1)) * 6.283;
  const tcx = Math.cos(tAng);
  const tcy = Math.sin(tAng);
  // Some nuclei take up a little more eosin (purple), some less (blue).
  const eNuc = 0.01 + 0.06 * unit(hash3(seed, 15, 1));
  // Lobes (three-fold, at a phase of their own) and a notch (a cleft in one direction).
  const lobe = style.lobe;
  const lc = Math.cos(unit(hash3(seed, 8, 1)) * 6.283);
  const ls = Math.sin(unit(hash3(seed, 8, 1)) * 6.283);
  const notch = style.notch;
  const nAng = unit(hash3(seed, 9, 1)) * 6.283;
  const ncx = Math.cos(nAng);
  const ncy = Math.sin(nAng);
  const ia = 1 / a;
  const ib = 1 / bb;
  // No two spindle nuclei the same shape: some curve like a banana or an S along the fibre, one
  // end plumper than the other, blunt-ended or tapering. (All one blunt superellipse, nuclei
  // read to blind readers as "flat, smooth-edged, all alike".) Only elongated nuclei: a round
  // profile of one cut across has nothing to bend. Curves are measured across the nucleus, in
  // µm at its ends, and centred (u² − 0.3) so the nucleus stays where the ground truth has it.
  const elong = clamp01((a * ib - 1.6) / 1.4);
  const rb = unit(hash3(seed, 17, 1));
  const bendUm = elong * Math.min(2, 0.25 * a) * (rb < 0.5 ? -1 : 1) * Math.abs(2 * rb - 1) ** 1.6;
  const rs = unit(hash3(seed, 18, 1));
  const sUm = rs < 0.2 ? elong * Math.min(1.2, 0.15 * a) * (rs * 10 - 1) : 0;
  const kBend = bendUm * ib;
  const kS = sUm * ib;
  const taper = elong * 0.5 * (unit(hash3(seed, 19, 1)) - 0.5);
  // Share of the outline's quartic (blunt ends) against its quadratic (tapering ends).
  const blunt = 0.3 + 0.5 * unit(hash3(seed, 20, 1));
  const shaped = kBend !== 0 || kS !== 0 || taper !== 0;
  // Beyond this the outline's wobble cannot reach (its noise stays within ±1).
  let qMax = Math.min(2.2, (1 + 0.25 / sharp) / Math.max(0.1, 1 - 1.25 * irregular));
  // Most tumour nuclei sit in a thin clear halo where the cytoplasm shrank from them in
  // fixation: white round the nucleus at 40x, gone into the mean at lower powers.
  const haloW = style !== PLAIN && unit(hash3(seed, 10, 1)) < 0.4 ? 0.2 + 0.5 * unit(hash3(seed, 11, 1)) : 0;
  // A crescent more often than a ring: strongest on one side.
  const hAng = unit(hash3(seed, 12, 1)) * 6.283;
  const hcx = Math.cos(hAng);
  const hcy = Math.sin(hAng);
  const qHalo = haloW > 0 && fine > 0 ? (1 + haloW / bb) ** 2 : 0;
  if (qHalo > qMax) qMax = qHalo;
  // Actin keeps away from a smooth-muscle nucleus: on SMA a paler zone round it, widest at its
  // poles (in units of q, so the zone stretches with the nucleus), fading into the cytoplasm.
  const actinFade = f.actin && style !== PLAIN ? actinClearing(upp) : 0;
  // (It starts where the nucleus's soft edge ends, so a defocused nucleus keeps its zone.)
  const qEdge = 1 + 1 / (4 * sharp);
  const qActin = actinFade > 0 ? (Math.sqrt(qEdge) + ACTIN_CLEAR_UM / bb) ** 2 : 0;
  // How much actin the zone loses at the nucleus: each cell its own, most at the poles, and
  // ragged with the outline's noise (a factor clamp01(0.7 + 0.6 n), about 0.7 on average, so a
  // pole loses 30-60%). (A white ring of one width round every nucleus, 96% of the actin gone,
  // read to a blind reader as "a dilated mask cut out".)
  const actinLoss = actinFade * (ACTIN_LOSS_MIN + ACTIN_LOSS_SPAN * unit(hash3(seed, 21, 1)));
  if (qActin > 0) {
    // The zone reaches past the nucleus's own box at its poles: widen the box to where the
    // superellipse's q (blunt·u⁴ + (1 − blunt)·u², before the outline's wobble) reaches it,
    // and past that by its curve.
    const qA = qActin / Math.max(0.1, 1 - 1.25 * irregular);
    if (qA > qMax) qMax = qA;
    const z = (blunt - 1 + Math.sqrt((1 - blunt) ** 2 + 4 * blunt * qA)) / (2 * blunt);
    reach = Math.max(reach, a * Math.sqrt(z) + Math.abs(bendUm) + Math.abs(sUm) + upp);
  }
  const px0 = Math.max(0, Math.floor((cx - reach - f.x0) / upp));
  const px1 = Math.min(f.w - 1, Math.floor((cx + reach - f.x0) / upp));
  const py0 = Math.max(0, Math.floor((cy - reach - f.y0) / upp));
  const py1 = Math.min(f.h - 1, Math.floor((cy + reach - f.y0) / upp));
  if (px0 > px1 || py0 > py1) return;
  // A vesicular nucleus's membrane: a thick band (in units of q near the edge, q ≈ 1 − 2·depth/b);
  // the others' is a thin line (MEMBRANE_UM), measured below.
  const rimQ = 1 - (2 * 0.5) / bb;
  // Grains and clumps finer than about two pixels would print as salt-and-pepper: each fades
  // as its size nears the pixel (so 20x shows the clumps and 40x the grains in them too).
  const gf = clamp01(1.4 - 1.4 * upp * grain);
  // Mottle is mean-preserving over many nuclei (not within each) and gone by 5x, where it would
  // alias. (The chromatin gain's floors clip a little more often, so nuclei come out a shade
  // darker; the low-level colour table measures it.) Its coarse share, which DAB follows too, is
  // all there is at 10x; the fine share adds it at 40x and 20x, half of it to a smudged nucleus
  // (nearly textureless, but a big one drawn flat printed as a black blob). On the Ki67 section
  // the fine share is in the haematoxylin only: DAB mottled as finely split positive nuclei in
  // the counting assist (precision 0.78-0.84), while the counterstain's, since the assist takes
  // the background off first, does not (a flat blue fill was a blind reader's tell).
  const mottleLevel = clamp01(2 - upp);
  const mottleCoarse = mottleLevel * MOTTLE_COARSE * (1 - fine);
  const mottle = mottleCoarse + mottleLevel * (style.chromatin === SMUDGED ? 0.5 : 1) * MOTTLE_FINE * fine;
  const gain = f.ki67 ? 1 : CHROMATIN_GAIN;
  const dabClump = DAB_CLUMP * clamp01((0.9 - upp) / 0.3);
  const cf = clamp01(1.6 - 2.7 * upp);
  // The outline's fine wrinkles (1.3 cycles a µm) only where pixels resolve them: sampled at
  // 10x they aliased into stair-stepped, jagged outlines.
  const wrinkle = 0.25 * clamp01((0.6 - upp) / 0.25);
  for (let py = py0; py <= py1; py++) {
    const Y = f.y0 + (py + 0.5) * upp;
    const dy = Y - cy;
    for (let px = px0; px <= px1; px++) {
      const X = f.x0 + (px + 0.5) * upp;
      const dx = X - cx;
      const u = (dx * cs + dy * sn) * ia;
      const uu = u * u;
      let v = (-dx * sn + dy * cs) * ib;
      // Across the curved midline, and scaled by the width there.
      let widen = 1;
      if (shaped) {
        widen = 1 + taper * u;
        v = (v - kBend * (uu - 0.3) - kS * uu * u) / widen;
      }
      const q0 = uu * uu * blunt + uu * (1 - blunt) + v * v;
      let q = q0;
      if (q > qMax) continue;
      // Outline: smooth with a few shallow dents and bulges, and fine wrinkles.
      // (Noises in batches through noiseAt: V8 boxes the coordinates of calls it cannot inline.)
      nq[0] = dx * bumps + ox;
      nq[1] = dy * bumps + oy;
      nq[2] = dx * 1.3 + oy;
      nq[3] = dy * 1.3 + ox;
      tex.noiseAt(nq, wrinkle > 0 ? 2 : 1, nn);
      const n1 = nn[0]! + (wrinkle > 0 ? wrinkle * nn[1]! : 0);
      q *= 1 + irregular * n1;
      if (lobe > 0 || notch > 0) {
        const r = Math.sqrt(u * u + v * v) + 1e-6;
        const c = u / r;
        const sv = v / r;
        if (lobe > 0) q *= 1 + lobe * ((4 * c * c * c - 3 * c) * lc + (3 * sv - 4 * sv * sv * sv) * ls);
        if (notch > 0) {
          const k = clamp01((c * ncx + sv * ncy - 0.8) * 5);
          const shrink = 1 - notch * k * k;
          q /= shrink * shrink;
        }
      }
      const cov = clamp01((1 - q) * sharp * 2 + 0.5);
      if (q > 1 && q < qActin) {
        const t = q < qEdge ? 0 : (q - qEdge) / (qActin - qEdge);
        const i = py * b.size + px;
        const pole = uu / (uu + v * v + 1e-9);
        const k = actinLoss * (ACTIN_LOSS_SIDE + (1 - ACTIN_LOSS_SIDE) * pole) * clamp01(0.7 + 0.6 * n1);
        if (b.H[i]! < 0.12) b.S[i] = b.S[i]! * (1 - k * (1 - t * t));
      }
      if (q > 1 && q < qHalo) {
        const i = py * b.size + px;
        if (b.H[i]! < 0.12) {
          const side = clamp01(0.35 + 0.9 * (u * hcx + v * hcy) / Math.sqrt(u * u + v * v + 1e-9));
          const k = 0.7 * fine * side * Math.sqrt(1 - (q - 1) / (qHalo - 1)) * (1 - cov);
          b.E[i] = b.E[i]! * (1 - k);
          b.S[i] = b.S[i]! * (1 - 0.7 * k);
        }
      }
      if (cov <= 0) continue;
      // Chromatin is denser towards one side (the nucleus's tilt in the section's depth).
      let d = base * (1 + tilt * (u * tcx + v * tcy));
      let e = eNuc;
      let dg = 1;
      // DAB: solid (its own granules, dg, in weak nuclei) with a faint membrane accent, not the
      // haematoxylin's clumps: Ki67 lies through the nucleus, and the assist counts its blobs.
      let dd = dab ? d * DAB_PER_H * (1 - 0.2 * fine) : 0;
      if (fine > 0) {
        if (dGrain > 0) {
          // Floored, the grains' mean rises with their contrast (1.16 at 4): divided out, within
          // 1% (measured over the texture noise), so a weak positive holds the same DAB at every
          // level (10x, with no grains, draws the mean).
          const gk = fine * dGrain;
          dg = Math.max(0.05, 1 + gk * tex.noise(dx * 1.4 + ox, dy * 1.4 + oy)) / (1 + 0.07 * Math.max(0, gk - 1.8));
        }
        // Chromatin, roughly mean-preserving so coarser levels (which draw none of it) keep
        // the same colour: fine granules clumping into flecks, with a crisp darker membrane;
        // or coarse dark clumps with pale parachromatin between; or a dark smudge; or a pale
        // vesicular nucleus inside a thick membrane.
        // The grain, and the clumps of coarse or open chromatin, in one batch.
        nq[0] = dx * grain + oy;
        nq[1] = dy * grain + ox;
        const coarseC = chromatin === COARSE;
        nq[2] = dx * (coarseC ? 1.1 : 0.8) + ox;
        nq[3] = dy * (coarseC ? 1.1 : 0.8) + oy;
        nq[4] = dx * 1.7 + oy;
        nq[5] = dy * 1.7 + ox;
        tex.noiseAt(nq, coarseC ? 2 : chromatin === SMUDGED || chromatin === VESICULAR ? 1 : 3, nn);
        const g = gf * nn[0]!;
        // The membrane: a thin dark line (about 0.3 µm, at the poles too) from the distance
        // to the outline, (1 − q) over q's gradient; a vesicular nucleus has a thick band.
        let rim: number;
        if (chromatin === VESICULAR) rim = q > rimQ ? 1 : 0;
        else {
          // (Through the curve and the taper: v's own gradient along the nucleus.)
          const gv = (2 * v * ib) / widen;
          const gu = (4 * blunt * uu * u + 2 * (1 - blunt) * u) * ia - (gv * bb * (2 * kBend * u + 3 * kS * uu + v * taper)) * ia;
          // (q is the superellipse's q0 times the outline's wobble, lobes and notch, m = q / q0;
          // its gradient is about m times q0's.)
          const dist = (1 - q) / (Math.sqrt(gu * gu + gv * gv + 1e-6) * (q / (q0 + 1e-9)));
          rim = dist < MEMBRANE_UM ? 1 : dist < MEMBRANE_UM + 0.2 ? (MEMBRANE_UM + 0.2 - dist) * 5 : 0;
        }
        // Granular: Ki67 gathers in clumps of about a micrometre, finer grains among them, and
        // along the membrane. (At half this strength positives read as a flat brown fill; this
        // strong, the counting assist splits a nucleus into its granules unless it joins the
        // parts of one nucleus first, merge-along.ts.)
        if (dab) dd *= 1 + fine * (0.5 * rim + 0.6 * tex.noise(dx * 1.3 + oy + 17, dy * 1.3 + ox) + 0.3 * g - 0.08);
        if (chromatin === COARSE) {
          // Hyperchromatic: dark clumps of about a micrometre, pale parachromatin between.
          const c1 = nn[1]! + 0.35 * g;
          const k = c1 - 0.05;
          const kk = 1 + gain * fine * (0.5 * (k > 0 ? k : 0) - 0.174 + 0.5 * rim);
          d *= kk < 0.3 ? 0.3 : kk;
        } else if (chromatin === SMUDGED) {
          d *= 1 + fine * (0.08 * g + 0.12 * rim - 0.02);
        } else if (chromatin === VESICULAR) {
          d *= 1 + fine * (0.25 * g + 0.75 * rim - 0.3);
        } else {
          // Open chromatin: a paler ground mottled by small clumps (about 0.6 µm, gathered into
          // flecks of a micrometre or so), fine granules at 40x, and a crisp dark membrane.
          const c1 = nn[1]!;
          const m = cf * nn[2]! + 0.6 * c1 - 0.1;
          const k = 1 + gain * fine * (clump * (1.5 * (m > 0 ? m : 0) + 0.5 * c1 - 0.125) + 0.45 * g + 0.7 * rim - 0.4);
          // (Floored: where the palest parachromatin of a strongly clumped nucleus met a pale
          // granule, the sum went below 0 and printed white specks inside the nucleus.)
          d *= k < 0.35 ? 0.35 : k;
        }
      }
      // A nucleus is mottled, darker on one side or in a band, not a flat decal: at 10x, where
      // the grains are under a pixel, this is all the texture left.
      if (mottle > 0) {
        const nz = tex.noise(dx * 0.42 + oy + 5, dy * 0.42 + ox);
        d *= 1 + mottle * nz;
        // Ki67's precipitate is as uneven at 10x (at 40x its own granules, dg, draw it).
        dd *= 1 + 1.6 * mottleCoarse * nz;
      }
      // And in clumps of a micrometre or two, which 20x resolves though its granules are gone
      // (without them positives at 20x were flat brown cut-outs beside the real scan's mottled
      // ones); faded out by 10x, where they would alias.
      if (dab && dabClump > 0) dd *= 1 + dabClump * tex.noise(dx * 0.62 + ox + 31, dy * 0.62 + oy);
      if (nucleolus) {
        const r1 = ovalDistance(u * a - nx, v * bb - ny, oCos, oSin, nAsp);
        let c = clamp01((nr - r1) / NUCLEOLUS_SOFT_UM + 0.5);
        if (twin) c = Math.max(c, clamp01((nr2 - ovalDistance(u * a - nx2, v * bb - ny2, tCos, tSin, nAsp2)) / NUCLEOLUS_SOFT_UM + 0.5));
        if (macro > 0) {
          // Cherry-red: dense, and eosinophilic as well; a paler rim round the first, the
          // parachromatin it clears, soft and not a drawn ring.
          const rim = clamp01((nr + 0.4 - r1) / 0.4) * (1 - c);
          d = d * (1 - 0.3 * rim) * (1 - c) + base * 1.35 * c;
          e = e * (1 - c) + 0.45 * c;
        } else d *= 1 + 0.7 * c;
      }
      d *= cov;
      dd *= cov;
      const i = py * b.size + px;
      // A nucleus lies over whatever was drawn before it, including an earlier neighbour's
      // nucleus: chromatin is opaque, so no outline shows through (cells are always drawn in
      // the same global order, so both tiles of a shared cell agree).
      b.H[i] = b.H[i]! * (1 - cov) + d;
      b.D[i] = b.D[i]! * (1 - cov) + dd * dFrac * dg;
      // A section is 4 µm thick, thicker than a spindle nucleus: the cytoplasm above and below
      // it keeps most of its eosin, and the nucleus takes up a little itself, so nuclei look
      // purple on a real H&E, not navy. (Displacing 45% of the eosin, the median eosin in
      // nuclei was 0.75× the cytoplasm's; the reference scans measure 0.52 and 1.00, ours now
      // about 0.95. NUCLEAR_OD came down from 0.44 to 0.41 to keep the haematoxylin where it
      // dominates within 15% of the reference.)
      b.E[i] = b.E[i]! * (1 - 0.25 * cov) + e * cov;
      // Actin is cytoplasmic: SMA leaves the nucleus blue.
      b.S[i] = b.S[i]! * (1 - 0.75 * cov);
    }
  }
}

/** Distance (µm, scaled) from an oval nucleolus's centre, (du, dv) away along its axes (cs, sn), its width asp of its length. */
function ovalDistance(du: number, dv: number, cs: number, sn: number, asp: number): number {
  const p = du * cs + dv * sn;
  const q = (dv * cs - du * sn) / asp;
  return Math.sqrt(p * p + q * q);
}

/** Clears cytoplasm in an ellipse: perinuclear vacuoles, lacunae, mitotic halos (a negative amount deepens it). */
export function clearAround(b: Buffers, f: Frame, cx: number, cy: number, angle: number, a: number, bb: number, amount: number): void {
  const { upp } = f;
  if (bb < upp * 0.5) return;
  const cs = Math.cos(angle);
  const sn = Math.sin(angle);
  const reach = Math.max(a, bb) + upp;
  const px0 = Math.max(0, Math.floor((cx - reach - f.x0) / upp));
  const px1 = Math.min(f.w - 1, Math.floor((cx + reach - f.x0) / upp));
  const py0 = Math.max(0, Math.floor((cy - reach - f.y0) / upp));
  const py1 = Math.min(f.h - 1, Math.floor((cy + reach - f.y0) / upp));
  for (let py = py0; py <= py1; py++) {
    const dy = f.y0 + (py + 0.5) * upp - cy;
    for (let px = px0; px <= px1; px++) {
      const dx = f.x0 + (px + 0.5) * upp - cx;
      const u = (dx * cs + dy * sn) / a;
      const v = (-dx * sn + dy * cs) / bb;
      const q = u * u + v * v;
      if (q >= 1) continue;
      const i = py * b.size + px;
      // A neighbour's nucleus already drawn here keeps its own stain.
      const k = amount * clamp01((1 - q) * 6) * (1 - clamp01(b.H[i]! * 5));
      b.E[i] = b.E[i]! * (1 - k);
      b.S[i] = b.S[i]! * (1 - k);
    }
  }
}

