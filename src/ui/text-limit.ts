/**
 * Text fields with a limit the schema enforces (model/annotation-schema.ts LIMITS): the count
 * is shown, and typing, pasting or dropping past the limit is refused with a message. A
 * `maxlength` attribute would instead cut a paste short without a word.
 */

/** Characters the field would hold after this input, or undefined for an input that removes text. */
function lengthAfter(e: InputEvent, field: HTMLInputElement | HTMLTextAreaElement): number | undefined {
  if (!e.inputType.startsWith('insert')) return undefined;
  const inserted = e.inputType === 'insertLineBreak' || e.inputType === 'insertParagraph' ? '\n' : (e.data ?? e.dataTransfer?.getData('text/plain') ?? '');
  const selected = Math.max(0, (field.selectionEnd ?? field.value.length) - (field.selectionStart ?? field.value.length));
  return field.value.length - selected + inserted.length;
}

/**
 * A `beforeinput` listener's check: when the input would take the field past `limit`, cancels
 * it and returns the message to show; otherwise undefined.
 */
export function refuseOverLimit(e: InputEvent, limit: number, what: string): string | undefined {
  const field = e.target as HTMLInputElement | HTMLTextAreaElement;
  const after = lengthAfter(e, field);
  if (after === undefined || after <= limit) return undefined;
  e.preventDefault();
  const fmt = (n: number): string => n.toLocaleString('en');
  return e.inputType === 'insertFromPaste' || e.inputType === 'insertFromDrop'
    ? `Not pasted: the ${what} would have ${fmt(after)} characters, and its limit is ${fmt(limit)}. Shorten the text and paste again.`
    : `The ${what} is limited to ${fmt(limit)} characters.`;
}

/** "123 / 10,000": shown beside a field and named by its aria-describedby. */
export function countText(length: number, limit: number): string {
  return `${length.toLocaleString('en')} / ${limit.toLocaleString('en')}`;
}
