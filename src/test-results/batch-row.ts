import type { z } from 'zod';
import { RESULT_LIMITS, type BatchRow } from './test-result.schemas.js';
import { MAX_TEST_KEY_LENGTH, TEST_KEY_PATTERN } from './test-template.schemas.js';

export type ParsedBatchRow = z.output<typeof BatchRow>;

// BatchRow's limits; test/test-results.test.ts checks that this file answers what
// BatchRow.parse answers.
const {
  unit: MAX_UNIT,
  name: MAX_NAME,
  valueText: MAX_VALUE_TEXT,
  short: MAX_SHORT,
  notes: MAX_NOTES,
  attachment: MAX_ATTACHMENT,
} = RESULT_LIMITS;
// toISOString() form with a valid time of day; the date is checked in isUtcTime.
const UTC_ISO = /^(\d{4})-(\d\d)-(\d\d)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * BatchRow.parse for a row in the shape stations send (plain object, known fields, times in
 * toISOString() form, no `values`), or undefined for any other row, which BatchRow then reads
 * and, when it is bad, words the error of. Answers only rows BatchRow accepts, and what it
 * would answer: a 10,000-row upload spent a fifth of its time in BatchRow.
 */
export function fastBatchRow(data: unknown): ParsedBatchRow | undefined {
  if (typeof data !== 'object' || data === null || Object.getPrototypeOf(data) !== Object.prototype)
    return undefined;
  const row = data as Record<string, unknown>;
  const out: ParsedBatchRow = { unit: '', station: '', operator: '', notes: '' };
  let unit: string | undefined;
  // Only the fields present are read: rows come in many shapes, and looking up absent fields
  // on them cost more than the checks.
  for (const field of Object.keys(row)) {
    const value = row[field];
    switch (field) {
      case 'unit':
        if (typeof value !== 'string' || value.length > MAX_UNIT) return undefined;
        unit = value;
        break;
      case 'key': {
        if (typeof value !== 'string') return undefined;
        const key = value.trim().toLowerCase();
        if (key.length === 0 || key.length > MAX_TEST_KEY_LENGTH || !TEST_KEY_PATTERN.test(key))
          return undefined;
        out.key = key;
        break;
      }
      case 'name': {
        if (typeof value !== 'string') return undefined;
        const name = value.trim();
        if (name.length === 0 || name.length > MAX_NAME) return undefined;
        out.name = name;
        break;
      }
      case 'result':
        if (value !== 'pass' && value !== 'fail') return undefined;
        out.result = value;
        break;
      case 'value':
        if (
          typeof value === 'boolean' ||
          (typeof value === 'number' && Number.isFinite(value)) ||
          (typeof value === 'string' && value.length <= MAX_VALUE_TEXT)
        )
          out.value = value;
        else return undefined;
        break;
      case 'station':
      case 'operator': {
        if (typeof value !== 'string') return undefined;
        const text = value.trim();
        if (text.length > MAX_SHORT) return undefined;
        out[field] = text;
        break;
      }
      case 'startedAt':
      case 'endedAt':
        if (!isUtcTime(value)) return undefined;
        out[field] = value;
        break;
      case 'notes':
        if (typeof value !== 'string' || value.length > MAX_NOTES) return undefined;
        out.notes = value;
        break;
      case 'attachment':
        if (typeof value !== 'string' || value.length > MAX_ATTACHMENT) return undefined;
        out.attachment = value;
        break;
      default:
        // `values`, an unknown field: BatchRow's to read or to refuse.
        return undefined;
    }
  }
  if (unit === undefined) return undefined;
  out.unit = unit;
  return out;
}

/** A real date and time in toISOString() form (which BatchRow's ISO time accepts). */
function isUtcTime(time: unknown): time is string {
  if (typeof time !== 'string') return false;
  const match = UTC_ISO.exec(time);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
