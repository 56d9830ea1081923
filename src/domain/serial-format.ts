import { ValidationError } from './errors.js';

/**
 * Customer serial formats: a pattern of literal text and fields, e.g. `ACME-{YY}{WW}-{SEQ:5}`.
 * Pure: parsing, validation and rendering; the counter and uniqueness live in the database.
 */
export const SERIAL_SCOPES = ['part', 'global'] as const;
export type SerialScope = (typeof SERIAL_SCOPES)[number];
export const SERIAL_RESETS = ['never', 'yearly'] as const;
export type SerialReset = (typeof SERIAL_RESETS)[number];
export const SERIAL_TARGETS = ['name', 'field'] as const;
export type SerialTarget = (typeof SERIAL_TARGETS)[number];

export const MAX_PATTERN_LENGTH = 100;
/** A rendered serial fits a lot name (200 characters). */
export const MAX_SERIAL_LENGTH = 200;
const MAX_SEQ_WIDTH = 12;

export type SerialField = 'YYYY' | 'YY' | 'MM' | 'DD' | 'WW' | 'SEQ' | 'BUILD' | 'N';
export type SerialToken = { type: 'text'; text: string } | { type: SerialField; width?: number };

export interface SerialPattern {
  tokens: SerialToken[];
  /** Digits of {SEQ:n}; null when the pattern has no counter. */
  seqWidth: number | null;
  hasYear: boolean;
  /**
   * Year fields show the ISO week-numbering year when the pattern has {WW} and no month or day:
   * `{YY}{WW}` on 2026-12-31 reads 2653 and on 2027-01-01 also 2653 (both in week 53 of 2026).
   */
  weekYear: boolean;
}

const FIELDS = '{YYYY} {YY} {MM} {DD} {WW} {SEQ:n} {BUILD} {N}';

/** Parses and validates a pattern, e.g. `ACME-{YY}{WW}-{SEQ:5}` or `{BUILD}-{N}`. */
export function parseSerialPattern(pattern: string, field = 'pattern'): SerialPattern {
  if (pattern.length === 0) throw new ValidationError(field, 'must not be empty');
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw new ValidationError(field, `must be at most ${MAX_PATTERN_LENGTH} characters`);
  if (pattern.trim() !== pattern)
    throw new ValidationError(field, 'must not start or end with a space');
  const tokens: SerialToken[] = [];
  const re = /\{([^{}]*)\}|([^{}]+)|([{}])/g;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    if (m[3] !== undefined)
      throw new ValidationError(field, `unmatched '${m[3]}' at ${m.index + 1}; fields: ${FIELDS}`);
    if (m[2] !== undefined) {
      // Printable ASCII only: what label printers and keyboard-wedge scanners carry unchanged.
      if (!/^[\x20-\x7e]+$/.test(m[2]))
        throw new ValidationError(field, 'literal text must be printable ASCII characters');
      tokens.push({ type: 'text', text: m[2] });
      continue;
    }
    tokens.push(parseField(m[1]!, field));
  }
  const seq = tokens.filter((t): t is { type: 'SEQ'; width: number } => t.type === 'SEQ');
  if (seq.length > 1) throw new ValidationError(field, 'may hold {SEQ:n} only once');
  const has = (type: SerialField) => tokens.some((t) => t.type === type);
  // Without a counter, a serial is made unique by the build and the unit's number in it.
  if (seq.length === 0 && !(has('BUILD') && has('N')))
    throw new ValidationError(
      field,
      'needs {SEQ:n}, or both {BUILD} and {N}, so that no two units get the same serial',
    );
  return {
    tokens,
    seqWidth: seq[0]?.width ?? null,
    hasYear: has('YYYY') || has('YY'),
    weekYear: has('WW') && !has('MM') && !has('DD'),
  };
}

function parseField(inner: string, field: string): SerialToken {
  const seq = /^SEQ(?::(\d+))?$/.exec(inner);
  if (seq) {
    const width = seq[1] === undefined ? NaN : Number(seq[1]);
    if (!(width >= 1 && width <= MAX_SEQ_WIDTH))
      throw new ValidationError(
        field,
        `{SEQ:n} needs n, the digits, from 1 to ${MAX_SEQ_WIDTH} (e.g. {SEQ:5})`,
      );
    return { type: 'SEQ', width };
  }
  if (['YYYY', 'YY', 'MM', 'DD', 'WW', 'BUILD', 'N'].includes(inner))
    return { type: inner as SerialField };
  throw new ValidationError(field, `unknown field {${inner}}; fields: ${FIELDS}`);
}

/** A yearly reset needs a counter and a year in the serial, or last year's serials would recur. */
export function checkReset(pattern: SerialPattern, reset: SerialReset, field = 'reset'): void {
  if (reset === 'yearly' && (pattern.seqWidth === null || !pattern.hasYear))
    throw new ValidationError(
      field,
      'a yearly reset needs {SEQ:n} and {YYYY} or {YY} in the pattern',
    );
}

/** ISO 8601 week of a UTC date: weeks start on Monday; week 1 holds the year's first Thursday. */
export function isoWeek(date: Date): { year: number; week: number } {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return { year, week };
}

function yearOf(pattern: SerialPattern, date: Date): number {
  return pattern.weekYear ? isoWeek(date).year : date.getUTCFullYear();
}

/** The counter period a serial belongs to: '' (never reset) or the year it shows ('2027'). */
export function serialPeriod(pattern: SerialPattern, reset: SerialReset, date: Date): string {
  return reset === 'yearly' ? String(yearOf(pattern, date)) : '';
}

export interface SerialValues {
  date: Date;
  /** The counter value; required when the pattern has {SEQ:n}. */
  seq?: number;
  /** The build's short code and the unit's serial in it; required for {BUILD} and {N}. */
  build?: string;
  n?: number;
}

/** The serial for these values, e.g. `ACME-2709-00042`. {SEQ:n} grows past n digits rather than wrap. */
export function renderSerial(pattern: SerialPattern, values: SerialValues): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const { date } = values;
  let out = '';
  for (const t of pattern.tokens) {
    switch (t.type) {
      case 'text':
        out += t.text;
        break;
      case 'YYYY':
        out += pad(yearOf(pattern, date), 4);
        break;
      case 'YY':
        out += pad(yearOf(pattern, date) % 100, 2);
        break;
      case 'MM':
        out += pad(date.getUTCMonth() + 1, 2);
        break;
      case 'DD':
        out += pad(date.getUTCDate(), 2);
        break;
      case 'WW':
        out += pad(isoWeek(date).week, 2);
        break;
      case 'SEQ':
        out += pad(required(values.seq, 'SEQ'), t.width!);
        break;
      case 'BUILD':
        out += required(values.build, 'BUILD');
        break;
      case 'N':
        out += String(required(values.n, 'N'));
        break;
    }
  }
  return out;
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`renderSerial: {${name}} needs a value`);
  return value;
}
