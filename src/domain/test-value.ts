import { ValidationError } from './errors.js';

/** What a test measures: a verdict, a number checked against limits, or a text. */
export const TEST_VALUE_TYPES = ['pass_fail', 'number', 'text'] as const;
export type TestValueType = (typeof TEST_VALUE_TYPES)[number];
export const TEST_RESULTS = ['pass', 'fail'] as const;
export type TestVerdict = (typeof TEST_RESULTS)[number];

/** The most characters a measured number may have (digits, sign, point, exponent). */
export const MAX_DECIMAL_LENGTH = 40;
const DECIMAL = /^([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d{1,3}))?$/;
/** Already canonical: no sign but '-', no leading or trailing zeros, no exponent ('-0' is not). */
const CANONICAL = /^(?:-(?=0\.|[1-9]))?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;
/** Exponents beyond this are not measurements (and would make huge canonical texts). */
const MAX_EXPONENT = 30;

/**
 * Reads a measured number (number or text, exponent allowed) and answers its canonical
 * decimal text, e.g. `canonicalDecimal('1.50e-3', 'value')` → `'0.0015'`,
 * `canonicalDecimal(' -007 ', 'value')` → `'-7'`. Throws ValidationError naming `field`.
 * Limits and values are kept and compared as these texts, never as doubles, so 3.3 ≤ 3.3
 * whatever a double makes of it.
 */
export function canonicalDecimal(input: unknown, field: string): string {
  const text =
    typeof input === 'number' && Number.isFinite(input)
      ? String(input)
      : typeof input === 'string'
        ? input.trim()
        : null;
  if (text !== null && text.length <= MAX_DECIMAL_LENGTH && CANONICAL.test(text)) return text;
  const match = text !== null && text.length <= MAX_DECIMAL_LENGTH ? DECIMAL.exec(text) : null;
  if (!match) throw new ValidationError(field, `must be a number, got ${describe(input)}`);
  const [, sign, mantissa = '', exponentText] = match;
  const exponent = Number(exponentText ?? '0');
  if (Math.abs(exponent) > MAX_EXPONENT) {
    throw new ValidationError(field, `exponent must be within ±${MAX_EXPONENT}`);
  }
  // Shift the decimal point by the exponent on the digit string: no arithmetic, no rounding.
  const [whole = '', fraction = ''] = mantissa.split('.');
  let digits = whole + fraction;
  let point = whole.length + exponent;
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const integer = digits.slice(0, point).replace(/^0+/, '') || '0';
  const decimals = digits.slice(point).replace(/0+$/, '');
  const body = decimals ? `${integer}.${decimals}` : integer;
  return sign === '-' && body !== '0' ? `-${body}` : body;
}

/** Significant digits a double keeps exactly through decimal → double → decimal (DBL_DIG). */
const DOUBLE_DIGITS = 15;

/** -1, 0 or 1 as canonical decimal a is less than, equal to or greater than b (exactly). */
export function compareDecimals(a: string, b: string): number {
  // Decimals of at most 15 significant digits map to distinct doubles, in order (rounding is
  // monotonic): comparing the doubles is exact. Longer ones are compared digit by digit.
  // (A text of at most 15 characters has at most 15 digits.)
  if (
    (a.length <= DOUBLE_DIGITS || significantDigits(a) <= DOUBLE_DIGITS) &&
    (b.length <= DOUBLE_DIGITS || significantDigits(b) <= DOUBLE_DIGITS)
  ) {
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const [x, y] = [scaled(a), scaled(b)];
  const scale = Math.max(x.scale, y.scale);
  const xs = x.digits * 10n ** BigInt(scale - x.scale);
  const ys = y.digits * 10n ** BigInt(scale - y.scale);
  return xs < ys ? -1 : xs > ys ? 1 : 0;
}

function significantDigits(canonical: string): number {
  return canonical.replace(/[-.]/g, '').replace(/^0+/, '').length;
}

function scaled(canonical: string): { digits: bigint; scale: number } {
  const [whole = '', fraction = ''] = canonical.split('.');
  return { digits: BigInt(whole + fraction), scale: fraction.length };
}

/** The part of a test template that decides how a value is read and judged. */
export interface TestSpec {
  valueType: TestValueType;
  /** Canonical decimal texts; null: no limit on that side. */
  min: string | null;
  max: string | null;
  requiresAttachment: boolean;
}

export interface TestOutcome {
  result: TestVerdict;
  /** Canonical decimal text of a number test's value. */
  valueNumber: string | null;
  valueText: string | null;
}

export const MAX_TEXT_VALUE_LENGTH = 1000;

/**
 * Judges one result against its template (or, `spec` undefined, a free-form test):
 * - pass_fail: the verdict is `result`, or `value` given as true/false/"pass"/"fail";
 * - number: `value` is required; with limits, the verdict is computed (min ≤ value ≤ max) and
 *   a given `result` must agree; without limits, the given verdict or pass;
 * - text: `value` is required and the verdict must be given (a text cannot be judged);
 * - free-form: the verdict must be given; a value is kept as a number when it reads as one.
 * Throws ValidationError naming the field (`result`, `value`, `attachment`).
 */
export function judgeTestResult(
  spec: TestSpec | undefined,
  input: { result?: TestVerdict | undefined; value?: unknown; attachment?: string | undefined },
): TestOutcome {
  const given = input.result;
  const value = input.value === '' ? undefined : input.value;
  if (spec?.requiresAttachment && !input.attachment) {
    throw new ValidationError('attachment', 'this test requires a file: give its attachment code');
  }
  if (!spec) {
    if (!given) throw new ValidationError('result', 'is required for a test without a template');
    if (value === undefined || value === null) return outcome(given, null, null);
    if (typeof value === 'number' || (typeof value === 'string' && DECIMAL.test(value.trim()))) {
      return outcome(given, canonicalDecimal(value, 'value'), null);
    }
    return outcome(given, null, textValue(value));
  }
  switch (spec.valueType) {
    case 'pass_fail': {
      const fromValue = value === undefined || value === null ? undefined : verdictOf(value);
      if (fromValue && given && fromValue !== given) {
        throw new ValidationError('value', `says ${fromValue} but result says ${given}`);
      }
      const verdict = given ?? fromValue;
      if (!verdict) throw new ValidationError('result', 'is required: pass or fail');
      return outcome(verdict, null, null);
    }
    case 'number': {
      if (value === undefined || value === null) {
        throw new ValidationError('value', 'is required: this test measures a number');
      }
      const number = canonicalDecimal(value, 'value');
      if (spec.min === null && spec.max === null) return outcome(given ?? 'pass', number, null);
      const within =
        (spec.min === null || compareDecimals(number, spec.min) >= 0) &&
        (spec.max === null || compareDecimals(number, spec.max) <= 0);
      const computed = within ? 'pass' : 'fail';
      if (given && given !== computed) {
        throw new ValidationError(
          'result',
          `says ${given} but ${number} is ${within ? 'within' : 'outside'} the limits ${limits(spec)}`,
        );
      }
      return outcome(computed, number, null);
    }
    case 'text': {
      if (value === undefined || value === null) {
        throw new ValidationError('value', 'is required: this test records a text');
      }
      if (!given) throw new ValidationError('result', 'is required: pass or fail');
      return outcome(given, null, textValue(value));
    }
  }
}

/** "3.0 … 3.6", "≥ 3.0", "≤ 3.6" or "none". */
export function limits(spec: Pick<TestSpec, 'min' | 'max'>): string {
  if (spec.min !== null && spec.max !== null) return `${spec.min} … ${spec.max}`;
  if (spec.min !== null) return `≥ ${spec.min}`;
  if (spec.max !== null) return `≤ ${spec.max}`;
  return 'none';
}

function verdictOf(value: unknown): TestVerdict {
  if (value === true) return 'pass';
  if (value === false) return 'fail';
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (['pass', 'passed', 'ok', 'true', '1'].includes(text)) return 'pass';
  if (['fail', 'failed', 'false', '0'].includes(text)) return 'fail';
  throw new ValidationError('value', `must be pass or fail, got ${describe(value)}`);
}

function textValue(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
  if (text === null) throw new ValidationError('value', `must be a text, got ${describe(value)}`);
  if (text.length > MAX_TEXT_VALUE_LENGTH) {
    throw new ValidationError('value', `must be at most ${MAX_TEXT_VALUE_LENGTH} characters`);
  }
  return text;
}

function outcome(result: TestVerdict, valueNumber: string | null, valueText: string | null) {
  return { result, valueNumber, valueText };
}

function describe(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input.slice(0, 50));
  if (input === null || typeof input !== 'object') return String(input);
  return Array.isArray(input) ? 'a list' : 'an object';
}
