import { ValidationError } from './errors.js';

/** Checks a calendar date written `YYYY-MM-DD`, e.g. `2027-02-28` (but not `2027-02-30`). */
export function parseDate(text: string, field: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== text.trim()) {
    throw new ValidationError(field, `must be a date written YYYY-MM-DD, got '${text}'`);
  }
  return text.trim();
}
