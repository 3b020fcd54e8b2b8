/**
 * QuPath Edu (openmicroanatomy) keeps its teaching text in an annotation's GeoJSON metadata:
 * `ANNOTATION_DESCRIPTION` (the explanation), and `EDU_ANSWER` (older files: `Answer`), either a
 * plain answer or a JSON list of `{ choice, isAnswer }` for a multiple-choice question. Lamina has
 * no per-annotation quiz, so both become the annotation's note, as text a teacher can read and
 * turn into a quiz item; nothing of them is lost. Pure; text only (never parsed as markup).
 */

/** Keys QuPath Edu writes. */
const EDU_KEYS = { description: 'ANNOTATION_DESCRIPTION', answer: 'EDU_ANSWER', oldAnswer: 'Answer' } as const;

interface EduChoice {
  readonly text: string;
  readonly right: boolean;
}

/** A multiple-choice answer's choices, or undefined when the text is a plain answer. */
function eduChoices(answer: string): EduChoice[] | undefined {
  const t = answer.trim();
  if (!t.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(t);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
  const out: EduChoice[] = [];
  for (const c of parsed) {
    if (typeof c !== 'object' || c === null) return undefined;
    const { choice, isAnswer } = c as { choice?: unknown; isAnswer?: unknown };
    if (typeof choice !== 'string') return undefined;
    out.push({ text: choice, right: isAnswer === true });
  }
  return out;
}

/** The note for an annotation with QuPath Edu metadata, or undefined when it has none. */
export function eduNote(meta: Readonly<Record<string, unknown>>): string | undefined {
  const description = meta[EDU_KEYS.description];
  const answerField = meta[EDU_KEYS.answer] ?? meta[EDU_KEYS.oldAnswer];
  const parts: string[] = [];
  if (typeof description === 'string' && description.trim() !== '') parts.push(description.trim());
  if (typeof answerField === 'string' && answerField.trim() !== '') {
    const choices = eduChoices(answerField);
    if (choices) parts.push(['Question choices (QuPath Edu):', ...choices.map((c) => `- ${c.text}${c.right ? ' (right)' : ''}`)].join('\n'));
    else parts.push(`Answer (QuPath Edu): ${answerField.trim()}`);
  }
  return parts.length ? parts.join('\n\n') : undefined;
}
