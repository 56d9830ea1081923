import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/domain/errors.js';
import {
  canonicalDecimal,
  compareDecimals,
  judgeTestResult,
  limits,
  type TestSpec,
} from '../src/domain/test-value.js';

const number = (min: string | null, max: string | null): TestSpec => ({
  valueType: 'number',
  min,
  max,
  requiresAttachment: false,
});
const passFail: TestSpec = {
  valueType: 'pass_fail',
  min: null,
  max: null,
  requiresAttachment: false,
};
const text: TestSpec = { valueType: 'text', min: null, max: null, requiresAttachment: false };

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe('canonicalDecimal', () => {
  it.each([
    ['3.30', '3.3'],
    [' -007 ', '-7'],
    ['1.50e-3', '0.0015'],
    ['2E3', '2000'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['-0.000', '0'],
    ['-0', '0'],
    ['0.50', '0.5'],
    ['-0.5', '-0.5'],
    ['+12', '12'],
    [0.1, '0.1'],
    [1e-7, '0.0000001'],
    [123456789.12345679, '123456789.12345679'],
    ['0.000000000000000000001', '0.000000000000000000001'],
  ])('%j → %s', (input, out) => {
    expect(canonicalDecimal(input, 'value')).toBe(out);
  });

  it.each([['abc'], [''], ['1,5'], ['1e99'], [NaN], [Infinity], [true], [null], ['1'.repeat(41)]])(
    'refuses %j naming the field',
    (input) => {
      expect(fieldOf(() => canonicalDecimal(input, 'min'))).toBe('min');
    },
  );
});

describe('compareDecimals', () => {
  it('compares exactly, whatever doubles make of the numbers', () => {
    expect(compareDecimals('3.3', '3.30')).toBe(0);
    expect(compareDecimals('0.30000000000000001', '0.3')).toBe(1);
    expect(compareDecimals('-1', '0.5')).toBe(-1);
    expect(compareDecimals('9007199254740993', '9007199254740992')).toBe(1);
  });
});

describe('judgeTestResult', () => {
  it('computes a number verdict from the limits, inclusive at both ends', () => {
    const spec = number('3.2', '3.4');
    expect(judgeTestResult(spec, { value: '3.2' }).result).toBe('pass');
    expect(judgeTestResult(spec, { value: 3.4 })).toEqual({
      result: 'pass',
      valueNumber: '3.4',
      valueText: null,
    });
    expect(judgeTestResult(spec, { value: '3.4000001' }).result).toBe('fail');
    expect(judgeTestResult(spec, { value: '3.1999' }).result).toBe('fail');
    expect(judgeTestResult(number('0', null), { value: '-0.001' }).result).toBe('fail');
    expect(judgeTestResult(number(null, '10'), { value: '1e1' }).result).toBe('pass');
  });

  it('a given verdict must agree with the limits; without limits it stands', () => {
    expect(fieldOf(() => judgeTestResult(number('1', '2'), { value: 3, result: 'pass' }))).toBe(
      'result',
    );
    expect(judgeTestResult(number('1', '2'), { value: 3, result: 'fail' }).result).toBe('fail');
    expect(judgeTestResult(number(null, null), { value: 3, result: 'fail' }).result).toBe('fail');
    expect(judgeTestResult(number(null, null), { value: 3 }).result).toBe('pass');
    expect(fieldOf(() => judgeTestResult(number('1', '2'), {}))).toBe('value');
  });

  it('reads pass/fail from the result or the value, refusing a contradiction', () => {
    expect(judgeTestResult(passFail, { result: 'fail' }).result).toBe('fail');
    expect(judgeTestResult(passFail, { value: true }).result).toBe('pass');
    expect(judgeTestResult(passFail, { value: 'FAILED' }).result).toBe('fail');
    expect(judgeTestResult(passFail, { value: '', result: 'pass' }).result).toBe('pass');
    expect(fieldOf(() => judgeTestResult(passFail, { value: true, result: 'fail' }))).toBe('value');
    expect(fieldOf(() => judgeTestResult(passFail, { value: 'perhaps' }))).toBe('value');
    expect(fieldOf(() => judgeTestResult(passFail, {}))).toBe('result');
  });

  it('text tests need a value and a verdict; free-form tests need a verdict', () => {
    expect(judgeTestResult(text, { value: 'fw 1.2.3', result: 'pass' })).toEqual({
      result: 'pass',
      valueNumber: null,
      valueText: 'fw 1.2.3',
    });
    expect(fieldOf(() => judgeTestResult(text, { value: 'x' }))).toBe('result');
    expect(fieldOf(() => judgeTestResult(text, { result: 'pass' }))).toBe('value');
    expect(fieldOf(() => judgeTestResult(text, { value: 'x'.repeat(1001), result: 'pass' }))).toBe(
      'value',
    );
    expect(judgeTestResult(undefined, { result: 'fail', value: '12.50' })).toEqual({
      result: 'fail',
      valueNumber: '12.5',
      valueText: null,
    });
    expect(judgeTestResult(undefined, { result: 'pass', value: 'scratch' }).valueText).toBe(
      'scratch',
    );
    expect(fieldOf(() => judgeTestResult(undefined, { value: 1 }))).toBe('result');
  });

  it('a test requiring a file refuses a result without one', () => {
    const spec = { ...passFail, requiresAttachment: true };
    expect(fieldOf(() => judgeTestResult(spec, { result: 'pass' }))).toBe('attachment');
    expect(judgeTestResult(spec, { result: 'pass', attachment: 'a' }).result).toBe('pass');
  });

  it('describes limits', () => {
    expect(limits({ min: '1', max: '2' })).toBe('1 … 2');
    expect(limits({ min: '1', max: null })).toBe('≥ 1');
    expect(limits({ min: null, max: '2' })).toBe('≤ 2');
    expect(limits({ min: null, max: null })).toBe('none');
  });
});
