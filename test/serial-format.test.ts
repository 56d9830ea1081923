import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/domain/errors.js';
import {
  checkReset,
  isoWeek,
  parseSerialPattern,
  renderSerial,
  serialPeriod,
} from '../src/domain/serial-format.js';

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('serial formats (pure)', () => {
  it('renders literal text, date fields and a zero-padded counter', () => {
    const p = parseSerialPattern('ACME-{YYYY}{MM}{DD}-{SEQ:5}');
    expect(renderSerial(p, { date: at('2027-03-09'), seq: 42 })).toBe('ACME-20270309-00042');
    expect(renderSerial(p, { date: at('2027-03-09'), seq: 123456 })).toBe('ACME-20270309-123456');
    expect(p.seqWidth).toBe(5);
  });

  it('renders the build short code and the build serial', () => {
    const p = parseSerialPattern('{BUILD}-{N}');
    expect(renderSerial(p, { date: at('2027-01-01'), build: 'ab12cd34', n: 7 })).toBe('ab12cd34-7');
    expect(p.seqWidth).toBeNull();
  });

  it('computes ISO weeks, including the weeks that straddle a new year', () => {
    expect(isoWeek(at('2026-01-01'))).toEqual({ year: 2026, week: 1 });
    expect(isoWeek(at('2026-12-31'))).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(at('2027-01-01'))).toEqual({ year: 2026, week: 53 });
    expect(isoWeek(at('2027-01-04'))).toEqual({ year: 2027, week: 1 });
    expect(isoWeek(at('2024-12-30'))).toEqual({ year: 2025, week: 1 });
    expect(isoWeek(at('2027-03-09'))).toEqual({ year: 2027, week: 10 });
  });

  it('shows the ISO week-year with {WW} and no month or day, so YYWW never jumps back', () => {
    const p = parseSerialPattern('ACME-{YY}{WW}-{SEQ:5}');
    expect(renderSerial(p, { date: at('2027-01-01'), seq: 1 })).toBe('ACME-2653-00001');
    expect(renderSerial(p, { date: at('2024-12-30'), seq: 1 })).toBe('ACME-2501-00001');
    expect(serialPeriod(p, 'yearly', at('2027-01-01'))).toBe('2026');
    const withMonth = parseSerialPattern('{YYYY}{MM}{WW}{SEQ:2}');
    expect(renderSerial(withMonth, { date: at('2027-01-01'), seq: 3 })).toBe('2027015303');
    expect(serialPeriod(withMonth, 'yearly', at('2027-01-01'))).toBe('2027');
    expect(serialPeriod(withMonth, 'never', at('2027-01-01'))).toBe('');
  });

  it.each([
    ['', 'must not be empty'],
    [' A-{SEQ:3}', 'must not start or end with a space'],
    ['A-{SEQ}', '{SEQ:n} needs n'],
    ['A-{SEQ:0}', '{SEQ:n} needs n'],
    ['A-{SEQ:13}', '{SEQ:n} needs n'],
    ['A-{FOO}-{SEQ:3}', 'unknown field {FOO}'],
    ['A-{SEQ:3', "unmatched '{'"],
    ['A}-{SEQ:3}', "unmatched '}'"],
    ['{SEQ:3}-{SEQ:3}', 'only once'],
    ['ACME-{YY}', 'needs {SEQ:n}, or both {BUILD} and {N}'],
    ['{N}', 'needs {SEQ:n}, or both {BUILD} and {N}'],
    ['Ä-{SEQ:3}', 'printable ASCII'],
    ['X'.repeat(101), 'at most 100'],
  ])('rejects %j: %s', (pattern, message) => {
    expect(() => parseSerialPattern(pattern)).toThrow(ValidationError);
    expect(() => parseSerialPattern(pattern)).toThrow(message);
  });

  it('needs a counter and a year for a yearly reset', () => {
    expect(() => checkReset(parseSerialPattern('A-{SEQ:4}'), 'yearly')).toThrow('yearly reset');
    expect(() => checkReset(parseSerialPattern('{BUILD}-{N}-{YY}'), 'yearly')).toThrow(
      'yearly reset',
    );
    expect(() => checkReset(parseSerialPattern('A{YY}-{SEQ:4}'), 'yearly')).not.toThrow();
    expect(() => checkReset(parseSerialPattern('A-{SEQ:4}'), 'never')).not.toThrow();
  });
});
