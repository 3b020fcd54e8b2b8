import type { Pt } from '../geometry';
import type { RegionPolygons } from '../annotation';
import type { ViewState } from '../route';

/**
 * Teaching sets: what a teacher hands a trainee as one file. A set is an ordered list of slides
 * (each maybe one of the case's figures), each with a guided tour and quiz items. Geometry is in
 * the slide's full-resolution image pixels, like annotations. Pure data: no DOM, no storage.
 */

export interface TeachingSet {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly author: string;
  /** ms since the epoch */
  readonly created: number;
  readonly updated: number;
  /** Where the set sits in the home page's list (ascending). */
  readonly order: number;
  readonly items: readonly SetItem[];
}

/** One slide of a set, as the trainee meets it. */
export interface SetItem {
  readonly id: string;
  readonly slideId: string;
  /** The case figure this item opens as, if any. */
  readonly figure?: number;
  readonly title: string;
  readonly tour: readonly TourStep[];
  readonly quizzes: readonly QuizItem[];
}

/** A view of a slide: where the viewer goes for a tour step or a quiz. */
export type SetView = ViewState & { readonly slideId: string };

export interface TourStep {
  readonly id: string;
  readonly title: string;
  /** Plain text with a small safe Markdown subset (see markdown.ts); never rendered as HTML. */
  readonly text: string;
  readonly view: SetView;
  /** Annotations of the slide to make stand out at this step. */
  readonly highlight: readonly string[];
}

/** A field in image pixels: the part of the slide a quiz is about. */
export interface FieldRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface QuizBase {
  readonly id: string;
  readonly prompt: string;
  readonly view: SetView;
}

/** "Mark every atypical mitosis in this field": points matched one to one within a radius. */
export interface PointsQuiz extends QuizBase {
  readonly kind: 'points';
  readonly field: FieldRect;
  /** A trainee's mark within this many µm of a key point may match it. */
  readonly radiusUm: number;
  /** The class the trainee marks with (shown as the point's colour). */
  readonly classId: string;
  readonly key: readonly Pt[];
}

/** "Outline the necrosis": a region scored by overlap (IoU and Dice). */
export interface RegionQuiz extends QuizBase {
  readonly kind: 'region';
  readonly classId: string;
  readonly key: RegionPolygons;
  /** Dice at or above this counts as a pass. */
  readonly passDice: number;
}

/** "Estimate the Ki67 index": a number within a tolerance. */
export interface NumberQuiz extends QuizBase {
  readonly kind: 'number';
  readonly unit: string;
  readonly key: number;
  readonly tolerance: number;
}

/** One or more right answers among choices. */
export interface ChoiceQuiz extends QuizBase {
  readonly kind: 'choice';
  readonly choices: readonly string[];
  /** Indices into `choices`. */
  readonly key: readonly number[];
}

export type QuizItem = PointsQuiz | RegionQuiz | NumberQuiz | ChoiceQuiz;
export type QuizKind = QuizItem['kind'];

/** A quiz item as the trainee's page holds it before submitting: without its key. */
export type QuizQuestion = DistributiveOmit<QuizItem, 'key'>;
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

/** What a trainee gave. */
export type QuizAnswer =
  | { readonly kind: 'points'; readonly points: readonly Pt[] }
  | { readonly kind: 'region'; readonly polygons: RegionPolygons }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'choice'; readonly chosen: readonly number[] };

/** How an answer scored; `pass` by each kind's rule. */
export type QuizScore =
  | {
      readonly kind: 'points';
      readonly truePositives: number;
      readonly falsePositives: number;
      readonly falseNegatives: number;
      readonly sensitivity: number;
      readonly precision: number;
      readonly f1: number;
      /** Pairs [answer index, key index] that matched; unmatched answers are false marks, unmatched keys misses. */
      readonly matches: ReadonlyArray<readonly [number, number]>;
      readonly pass: boolean;
    }
  | { readonly kind: 'region'; readonly iou: number; readonly dice: number; readonly pass: boolean }
  | { readonly kind: 'number'; readonly error: number; readonly pass: boolean }
  | { readonly kind: 'choice'; readonly correct: number; readonly wrong: number; readonly pass: boolean };

/** One try at one quiz item, kept so a trainee sees progress and can try again. */
export interface QuizAttempt {
  readonly id: string;
  readonly setId: string;
  readonly itemId: string;
  readonly quizId: string;
  readonly answer: QuizAnswer;
  readonly score: QuizScore;
  readonly at: number;
}
