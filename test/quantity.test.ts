import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/domain/errors.js';
import {
  MAX_QUANTITY,
  QUANTITY_DECIMALS,
  QUANTITY_SCALE,
  UNITS,
  formatQuantity,
  isCountable,
  parseQuantity,
  toUnits,
  type QuantityRule,
  type Unit,
} from '../src/domain/quantity.js';

const metres: QuantityRule = { unit: 'm', sign: 'positive' };
const pieces: QuantityRule = { unit: 'pcs', sign: 'positive' };
const count: QuantityRule = { unit: 'm', sign: 'nonNegative' };
const MAX_MICRO = MAX_QUANTITY * QUANTITY_SCALE;

function rejection(input: unknown, rule: QuantityRule, field = 'quantity'): ValidationError {
  try {
    const value = parseQuantity(input, field, rule);
    throw new Error(`expected ${JSON.stringify(input)} to be rejected, got ${value}`);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return error;
  }
}

function expectRejected(input: unknown, rule: QuantityRule, reason: RegExp) {
  const error = rejection(input, rule);
  expect({ input, field: error.field, message: error.message }).toEqual({
    input,
    field: 'quantity',
    message: expect.stringMatching(reason),
  });
}

/** Exact decimal text of millionths, independently of formatQuantity (BigInt). */
function exactDecimal(micro: bigint): string {
  const sign = micro < 0n ? '-' : '';
  const abs = micro < 0n ? -micro : micro;
  const whole = abs / 1_000_000n;
  const fraction = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return sign + whole.toString() + (fraction ? `.${fraction}` : '');
}

const micro = fc.integer({ min: 0, max: MAX_MICRO });
const positiveMicro = fc.integer({ min: 1, max: MAX_MICRO });

describe('quantities: parsing', () => {
  it('constants: millionths, six decimals, at most a billion units', () => {
    expect(QUANTITY_SCALE).toBe(1_000_000);
    expect(QUANTITY_DECIMALS).toBe(6);
    expect(MAX_QUANTITY).toBe(1_000_000_000);
    expect(UNITS.filter(isCountable)).toEqual(['pcs']);
  });

  it('is exact: 0.1 + 0.2 is 0.3', () => {
    const a = parseQuantity('0.1', 'quantity', metres);
    const b = parseQuantity(0.2, 'quantity', metres);
    expect(a).toBe(100_000);
    expect(b).toBe(200_000);
    expect(a + b).toBe(parseQuantity('0.3', 'quantity', metres));
    expect(formatQuantity(a + b)).toBe('0.3');
    expect(toUnits(a + b)).toBe(0.3);
    // Ten times 0.1 is exactly 1.
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += parseQuantity(0.1, 'quantity', metres);
    expect(sum).toBe(QUANTITY_SCALE);
    expect(formatQuantity(sum)).toBe('1');
  });

  it('the double 0.1 + 0.2 (0.30000000000000004) has too many decimals', () => {
    expectRejected(0.1 + 0.2, metres, /more than 6 decimal places/);
  });

  it('reads numbers and decimal strings', () => {
    const cases: [unknown, QuantityRule, number][] = [
      [1, pieces, 1_000_000],
      ['1', pieces, 1_000_000],
      [' 7 ', pieces, 7_000_000],
      ['+5', pieces, 5_000_000],
      ['007', pieces, 7_000_000],
      ['5.', pieces, 5_000_000],
      ['5.000', pieces, 5_000_000],
      [5.0, pieces, 5_000_000],
      ['.5', metres, 500_000],
      ['0.000001', metres, 1],
      [0.000001, metres, 1],
      ['1.100000', metres, 1_100_000],
      ['123456.654321', metres, 123_456_654_321],
      [123456.654321, metres, 123_456_654_321],
      ['999999999.999999', metres, MAX_MICRO - 1],
      [999999999.999999, metres, MAX_MICRO - 1],
      [MAX_QUANTITY, pieces, MAX_MICRO],
      ['1000000000', pieces, MAX_MICRO],
      ['1000000000.000000', metres, MAX_MICRO],
      [0, count, 0],
      ['0', count, 0],
      ['-0', count, 0],
      [-0, count, 0],
      ['0.000', count, 0],
    ];
    for (const [input, rule, expected] of cases) {
      expect({ input, unit: rule.unit, value: parseQuantity(input, 'quantity', rule) }).toEqual({
        input,
        unit: rule.unit,
        value: expected,
      });
    }
  });

  it('every unit but pcs allows fractions', () => {
    for (const unit of UNITS) {
      const rule: QuantityRule = { unit, sign: 'positive' };
      if (unit === 'pcs') expectRejected('1.5', rule, /whole number/);
      else expect(parseQuantity('1.5', 'quantity', rule)).toBe(1_500_000);
    }
  });

  it('rejects fractions of pieces', () => {
    for (const input of ['1.5', 0.5, '0.000001', 2.25, '-1.5']) {
      expectRejected(input, pieces, /whole number/);
    }
  });

  it('rejects more than six decimals', () => {
    for (const input of ['0.0000001', '1.1234567', 1e-7, 1.0000001, '0.00000010', 5e-7]) {
      expectRejected(input, metres, /more than 6 decimal places/);
    }
  });

  it('rejects negatives', () => {
    for (const input of [-1, '-1', '-0.5', -0.000001, '-1000000000']) {
      expectRejected(input, metres, /must not be negative/);
      expectRejected(input, count, /must not be negative/);
    }
  });

  it('rejects zero where a positive amount is needed', () => {
    for (const input of [0, '0', '0.0', '+0', '-0', -0, '.000000', '000']) {
      expectRejected(input, metres, /must be greater than 0/);
      expectRejected(input, pieces, /must be greater than 0/);
      expect(parseQuantity(input, 'count', count)).toBe(0);
    }
  });

  it('rejects what is not a plain decimal number', () => {
    const inputs: unknown[] = [
      NaN,
      Infinity,
      -Infinity,
      'NaN',
      'Infinity',
      '-Infinity',
      '1e3',
      '1E3',
      '1e-3',
      '0x10',
      '0b1',
      '1_000',
      '1 000',
      '1,5',
      '1.2.3',
      '',
      ' ',
      '.',
      '+',
      '-',
      '--1',
      '１２',
      '١٢',
      'five',
      null,
      undefined,
      true,
      {},
      [],
      [1],
    ];
    for (const input of inputs) {
      const error = rejection(input, metres);
      expect({ input, field: error.field, message: error.message }).toEqual({
        input,
        field: 'quantity',
        message: expect.stringMatching(/^quantity: must be a number, got /),
      });
    }
  });

  it('reads a bigint as a whole number, and names the field when it is too large', () => {
    // The signature takes `unknown`; the CLI or a script may pass anything.
    expect(parseQuantity(10n, 'quantity', metres)).toBe(10_000_000);
    const error = rejection(10n ** 12n, metres);
    expect(error.field).toBe('quantity');
    expect(error.message).toMatch(/^quantity: must be at most/);
  });

  it('rejects more than MAX_QUANTITY units', () => {
    for (const input of ['1000000001', 1_000_000_001, '99999999999999999999999', 1e20]) {
      expectRejected(input, metres, /must be at most 1000000000/);
    }
  });

  it('rejects a fraction above MAX_QUANTITY (1000000000.5 is over the limit)', () => {
    for (const input of ['1000000000.5', 1_000_000_000.5, '1000000000.000001']) {
      expectRejected(input, metres, /must be at most 1000000000/);
    }
  });

  it('says "at most" for numbers JavaScript writes with an exponent (1e21)', () => {
    // quantity.ts: "Exponent forms (1e-7, 1e21) are out of range either way; say which."
    expectRejected(1e21, metres, /must be at most 1000000000/);
    expectRejected(1e300, metres, /must be at most 1000000000/);
  });

  it('names the field it was given', () => {
    const error = rejection('x', metres, 'items.4.quantity');
    expect(error.field).toBe('items.4.quantity');
    expect(error.message).toMatch(/^items\.4\.quantity: /);
  });
});

describe('quantities: formatting (property)', () => {
  it('formats exactly, without trailing zeros', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [1, '0.000001'],
      [10, '0.00001'],
      [300_000, '0.3'],
      [1_000_000, '1'],
      [1_500_000, '1.5'],
      [123_456_654_321, '123456.654321'],
      [MAX_MICRO, '1000000000'],
      [MAX_MICRO - 1, '999999999.999999'],
      [-1, '-0.000001'],
      [-2_500_000, '-2.5'],
    ];
    for (const [value, text] of cases) expect(formatQuantity(value)).toBe(text);
  });

  it('matches the exact decimal and reads back as the same double', () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_MICRO, max: MAX_MICRO }), (m) => {
        const text = formatQuantity(m);
        expect(text).toBe(exactDecimal(BigInt(m)));
        expect(text).toMatch(/^-?(0|[1-9]\d*)(\.\d*[1-9])?$/);
        expect(Number(text)).toBe(toUnits(m));
      }),
      { numRuns: 5000 },
    );
  });

  it('parse ∘ format is the identity on millionths', () => {
    fc.assert(
      fc.property(micro, (m) => {
        expect(parseQuantity(formatQuantity(m), 'quantity', count)).toBe(m);
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_QUANTITY }), (units) => {
        const m = units * QUANTITY_SCALE;
        expect(
          parseQuantity(formatQuantity(m), 'quantity', { unit: 'pcs', sign: 'nonNegative' }),
        ).toBe(m);
      }),
    );
  });

  it('a quantity sent as a JSON number (toUnits) reads back exactly', () => {
    fc.assert(
      fc.property(positiveMicro, (m) => {
        expect(parseQuantity(toUnits(m), 'quantity', metres)).toBe(m);
        expect(parseQuantity(JSON.parse(JSON.stringify(toUnits(m))), 'quantity', metres)).toBe(m);
      }),
      { numRuns: 5000 },
    );
  });

  it('leading and trailing zeros do not change the value', () => {
    fc.assert(
      fc.property(micro, fc.nat(5), fc.nat(5), (m, lead, trail) => {
        const text = formatQuantity(m);
        const [whole, fraction = ''] = text.split('.');
        const padded = `${'0'.repeat(lead)}${whole}.${fraction}${'0'.repeat(trail)}`;
        expect(parseQuantity(padded, 'quantity', count)).toBe(m);
      }),
    );
  });

  it('sums of parsed quantities equal the exact decimal sum', () => {
    const decimal = fc
      .tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 999_999 }))
      .map(([w, f]) => `${w}.${String(f).padStart(6, '0')}`);
    fc.assert(
      fc.property(fc.array(decimal, { minLength: 1, maxLength: 50 }), (texts) => {
        const sum = texts.reduce((s, t) => s + parseQuantity(t, 'quantity', count), 0);
        const exact = texts.reduce((s, t) => s + BigInt(t.replace('.', '')), 0n);
        expect(formatQuantity(sum)).toBe(exactDecimal(exact));
      }),
    );
  });

  it('units other than pcs keep six decimals of every value', () => {
    const units = UNITS.filter((u) => u !== 'pcs') as Unit[];
    fc.assert(
      fc.property(positiveMicro, fc.constantFrom(...units), (m, unit) => {
        expect(parseQuantity(formatQuantity(m), 'quantity', { unit, sign: 'positive' })).toBe(m);
      }),
    );
  });
});
