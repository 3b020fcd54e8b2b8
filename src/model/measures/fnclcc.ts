/**
 * The FNCLCC grade of a soft-tissue sarcoma (Trojani 1984; Coindre 2006): three scores added.
 * Differentiation is the pathologist's judgement (a leiomyosarcoma of this kind usually scores 2
 * or 3); the mitotic score counts mitoses in 10 fields of 0.1734 mm², so a count on any other
 * field size is converted by area first; the necrosis score is from the share of tumour.
 */

export type Differentiation = 1 | 2 | 3;

export interface FnclccInput {
  readonly differentiation: Differentiation;
  /** Mitoses per 10 fields of FNCLCC's size (0.1734 mm²). */
  readonly mitosesPer10Hpf: number;
  /** Share of the tumour that is necrotic, 0–1. */
  readonly necrosisShare: number;
}

export interface FnclccGrade {
  readonly differentiation: Differentiation;
  readonly mitoticScore: 1 | 2 | 3;
  readonly necrosisScore: 0 | 1 | 2;
  readonly total: number;
  readonly grade: 1 | 2 | 3;
  /** One line per score, saying where it came from. */
  readonly reasoning: readonly string[];
}

export function mitoticScore(per10Hpf: number): 1 | 2 | 3 {
  return per10Hpf >= 20 ? 3 : per10Hpf >= 10 ? 2 : 1;
}

export function necrosisScore(share: number): 0 | 1 | 2 {
  return share <= 0 ? 0 : share < 0.5 ? 1 : 2;
}

export function fnclccGrade(i: FnclccInput): FnclccGrade {
  const m = mitoticScore(i.mitosesPer10Hpf);
  const n = necrosisScore(i.necrosisShare);
  const total = i.differentiation + m + n;
  const grade = total <= 3 ? 1 : total <= 5 ? 2 : 3;
  const pct = (x: number): string => `${(x * 100).toFixed(x > 0 && x < 0.01 ? 1 : 0)}%`;
  return {
    differentiation: i.differentiation,
    mitoticScore: m,
    necrosisScore: n,
    total,
    grade,
    reasoning: [
      `Differentiation ${i.differentiation} (chosen).`,
      `Mitotic count ${i.mitosesPer10Hpf.toFixed(1)} per 10 HPF of 0.1734 mm² → score ${m} (0–9: 1, 10–19: 2, ≥ 20: 3).`,
      `Necrosis ${pct(i.necrosisShare)} of the tumour → score ${n} (none: 0, < 50%: 1, ≥ 50%: 2).`,
      `Total ${i.differentiation} + ${m} + ${n} = ${total} → grade ${grade} (2–3: grade 1, 4–5: grade 2, 6–8: grade 3).`,
    ],
  };
}
