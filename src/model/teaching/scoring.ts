import type { RegionPolygons } from '../annotation';
import type { Pt } from '../geometry';
import { matchPoints } from './point-matching';
import { overlap } from './region-overlap';
import type { QuizAnswer, QuizItem, QuizScore } from './types';

/**
 * How a trainee's answer scores against a quiz item's key. Pure, and total: any answer,
 * however malformed, gets a score (a failing one when it cannot be read), never an exception,
 * because a scoring error must not lose the trainee's attempt.
 *
 * Empty inputs follow one rule: a ratio with nothing to count is perfect. No key points and no
 * marks scores sensitivity, precision and F1 of 1 (a pass: "there are none here" was right);
 * marks where the key has none have sensitivity 1 but precision and F1 0; no marks where the
 * key has some, precision 1 but sensitivity and F1 0.
 */

export type PointsScore = Extract<QuizScore, { kind: 'points' }>;
/**
 * `problem` says why an outline could not be scored (then IoU and Dice are 0); `approximate`
 * marks areas measured by scanlines where exact clipping failed or disagreed (region-overlap.ts).
 */
export type RegionScore = Extract<QuizScore, { kind: 'region' }> & { readonly problem?: string; readonly approximate?: true };
export type NumberScore = Extract<QuizScore, { kind: 'number' }>;
export type ChoiceScore = Extract<QuizScore, { kind: 'choice' }>;

/** F1 at or above this passes a points quiz: at 10 key points, e.g. 8 found with 2 false marks. */
export const PASS_F1 = 0.8;

/**
 * Marks against key points, matched one to one within `radiusPx` (image pixels: callers convert
 * a radius in µm with the slide's µm per pixel). A negative or NaN radius matches nothing.
 */
export function scorePoints(answer: readonly Pt[], key: readonly Pt[], radiusPx: number): PointsScore {
  const matches = matchPoints(answer, key, radiusPx);
  const tp = matches.length;
  const fp = answer.length - tp;
  const fn = key.length - tp;
  const sensitivity = key.length === 0 ? 1 : tp / key.length;
  const precision = answer.length === 0 ? 1 : tp / answer.length;
  // 2PR / (P + R), written so the empty cases above need no special branch.
  const f1 = tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn);
  return { kind: 'points', truePositives: tp, falsePositives: fp, falseNegatives: fn, sensitivity, precision, f1, matches, pass: f1 >= PASS_F1 };
}

/**
 * An outline against the key's by overlap: IoU = |A∩B| / |A∪B| and Dice = 2|A∩B| / (|A| + |B|)
 * (so Dice = 2·IoU / (1 + IoU), and Dice ≥ IoU). Passes when Dice ≥ `passDice`. Holes, parts,
 * concave and self-crossing outlines are handled (see region-overlap.ts); an outline with a
 * non-finite point, or a key with no area, scores 0 with a `problem`.
 */
export function scoreRegion(answer: RegionPolygons, key: RegionPolygons, passDice: number): RegionScore {
  const o = overlap(answer, key);
  if (o.problem !== undefined) return { kind: 'region', iou: 0, dice: 0, pass: false, problem: o.problem };
  if (o.key === 0) return { kind: 'region', iou: 0, dice: 0, pass: false, problem: 'The key outline has no area.' };
  const iou = o.both / (o.answer + o.key - o.both);
  const dice = (2 * o.both) / (o.answer + o.key);
  const score: RegionScore = { kind: 'region', iou, dice, pass: dice >= passDice };
  return o.approximate ? { ...score, approximate: true } : score;
}

/**
 * A number against the key: `error` is signed (value − key; positive is an overestimate), and
 * the answer passes within ± `tolerance` inclusive. A hair of slack (10⁻⁹ relative) keeps
 * 10.3 against 10 ± 0.3 a pass despite binary fractions.
 */
export function scoreNumber(value: number, key: number, tolerance: number): NumberScore {
  const error = value - key;
  const slack = 1e-9 * Math.max(1, Math.abs(key), Math.abs(tolerance));
  return { kind: 'number', error, pass: Number.isFinite(error) && Math.abs(error) <= tolerance + slack };
}

/**
 * Chosen indices against the key's: `correct` right ones chosen, `wrong` others chosen (each
 * counted once however often given). Passes only when the chosen set is the key set.
 */
export function scoreChoice(chosen: readonly number[], key: readonly number[]): ChoiceScore {
  const right = new Set(key);
  const picked = new Set(chosen);
  let correct = 0;
  for (const c of picked) if (right.has(c)) correct++;
  const wrong = picked.size - correct;
  return { kind: 'choice', correct, wrong, pass: wrong === 0 && correct === right.size };
}

/**
 * An answer to a quiz item, by the item's kind. `mpp` (µm per image pixel of the item's
 * slide) turns a points quiz's radius into pixels; without a usable one nothing matches. An
 * answer of another kind than the item (a stale page, a hand-edited file) fails.
 */
export function scoreQuiz(item: QuizItem, answer: QuizAnswer, mpp: number): QuizScore {
  switch (item.kind) {
    case 'points': {
      const radiusPx = mpp > 0 && Number.isFinite(mpp) ? item.radiusUm / mpp : NaN;
      if (answer.kind !== 'points') return { ...scorePoints([], item.key, radiusPx), pass: false };
      return scorePoints(answer.points, item.key, radiusPx);
    }
    case 'region':
      if (answer.kind !== 'region') {
        const failed: RegionScore = { kind: 'region', iou: 0, dice: 0, pass: false, problem: `The answer is a ${answer.kind}, not an outline.` };
        return failed;
      }
      return scoreRegion(answer.polygons, item.key, item.passDice);
    case 'number':
      if (answer.kind !== 'number') return { kind: 'number', error: NaN, pass: false };
      return scoreNumber(answer.value, item.key, item.tolerance);
    case 'choice':
      if (answer.kind !== 'choice') return { kind: 'choice', correct: 0, wrong: 0, pass: false };
      return scoreChoice(answer.chosen, item.key);
  }
}
