import { ValidationError } from './errors.js';

/**
 * Quantities are exact: stored as integers in millionths of the part's unit, so
 * 0.1 m + 0.2 m is exactly 0.3 m and the database adds and compares integers.
 */
export const QUANTITY_SCALE = 1_000_000;
export const QUANTITY_DECIMALS = 6;
/** The largest quantity one operation may name (in units). Sums stay far below 2^53 millionths. */
export const MAX_QUANTITY = 1_000_000_000;

export const UNITS = ['pcs', 'm', 'cm', 'mm', 'kg', 'g', 'mg', 'l', 'ml'] as const;
export type Unit = (typeof UNITS)[number];

/** Pieces are counted; every other unit measures and allows fractions. */
export function isCountable(unit: Unit): boolean {
  return unit === 'pcs';
}

export interface QuantityRule {
  unit: Unit;
  /** `positive` for amounts moved; `nonNegative` for counts (adjust to 0). */
  sign: 'positive' | 'nonNegative';
}

/**
 * Parses a decimal quantity (number or string) into millionths, e.g.
 * `parseQuantity('0.1', 'quantity', { unit: 'm', sign: 'positive' })` → 100000.
 */
export function parseQuantity(input: unknown, field: string, rule: QuantityRule): number {
  const text =
    typeof input === 'number'
      ? numberText(input)
      : typeof input === 'string'
        ? input.trim()
        : typeof input === 'bigint'
          ? input.toString()
          : null;
  if (text === null || !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    throw new ValidationError(field, `must be a number, got ${describe(input)}`);
  }
  const negative = text.startsWith('-');
  const [whole = '', fraction = ''] = text.replace(/^[+-]/, '').split('.');
  const digits = fraction.replace(/0+$/, '');
  if (digits.length > QUANTITY_DECIMALS) {
    throw new ValidationError(field, `has more than ${QUANTITY_DECIMALS} decimal places`);
  }
  if (digits.length > 0 && isCountable(rule.unit)) {
    throw new ValidationError(field, `must be a whole number: the part is counted in pieces`);
  }
  const units = Number(whole || '0');
  const micro = units * QUANTITY_SCALE + Number(digits.padEnd(QUANTITY_DECIMALS, '0'));
  if (units > MAX_QUANTITY || micro > MAX_QUANTITY * QUANTITY_SCALE) {
    throw new ValidationError(field, `must be at most ${MAX_QUANTITY}`);
  }
  if (negative && micro !== 0) throw new ValidationError(field, 'must not be negative');
  if (rule.sign === 'positive' && micro === 0)
    throw new ValidationError(field, 'must be greater than 0');
  return micro;
}

/** Millionths back to a number of units (the nearest double prints as the exact decimal). */
export function toUnits(micro: number): number {
  return micro / QUANTITY_SCALE;
}

/** Shortest decimal text of a quantity in millionths, e.g. 300000 → '0.3'. */
export function formatQuantity(micro: number): string {
  const sign = micro < 0 ? '-' : '';
  const abs = Math.abs(micro);
  const whole = Math.floor(abs / QUANTITY_SCALE);
  const fraction = String(abs % QUANTITY_SCALE)
    .padStart(QUANTITY_DECIMALS, '0')
    .replace(/0+$/, '');
  return sign + whole + (fraction ? `.${fraction}` : '');
}

function numberText(n: number): string | null {
  if (!Number.isFinite(n)) return null;
  // Exponent forms (1e-7, 1e21) are out of range either way; say which.
  const s = String(n);
  if (!s.includes('e')) return s;
  return Math.abs(n) < 1 ? n.toFixed(QUANTITY_DECIMALS + 1) : BigInt(Math.trunc(n)).toString();
}

function describe(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input);
  if (input === null || typeof input !== 'object') return String(input);
  return Array.isArray(input) ? 'a list' : 'an object';
}
