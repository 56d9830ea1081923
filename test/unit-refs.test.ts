import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/domain/errors.js';
import {
  codesOfRefs,
  parseSerialRanges,
  parseUnitRefs,
  rangesOfRefs,
  selectUnits,
} from '../src/domain/unit-refs.js';

const code = (n: number) => `0abcdefghjkmn1abcdefghj${String(n).padStart(3, '0')}`;
const units = Array.from({ length: 12 }, (_, i) => ({ code: code(i + 1), build_serial: i + 1 }));

function refusal(run: () => unknown): { field: string; reason: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return { field: error.field!, reason: error.reason };
    throw error;
  }
  throw new Error('not refused');
}

describe('unit references', () => {
  it('reads what people type: serials, ranges with any dash, codes, any separator', () => {
    expect(parseUnitRefs(`1-3, 5;7 – 9  10..11 ${code(4)}`)).toEqual([
      { from: 1, to: 3 },
      5,
      { from: 7, to: 9 },
      { from: 10, to: 11 },
      code(4),
    ]);
    // A range stays one item however many units it names.
    expect(parseUnitRefs('1-100000')).toEqual([{ from: 1, to: 100_000 }]);
    expect(refusal(() => parseUnitRefs('9-3'))).toEqual({
      field: 'units',
      reason: "'9-3' runs backwards",
    });
    expect(refusal(() => parseUnitRefs('123-3'))).toEqual({
      field: 'units',
      reason: "'123-3' runs backwards",
    });
    expect(refusal(() => parseUnitRefs('0-3'))).toEqual({
      field: 'units',
      reason: "'0-3': serials start at 1",
    });
    expect(refusal(() => parseUnitRefs('2, 0'))).toEqual({
      field: 'units',
      reason: "'0': serials start at 1",
    });
  });

  it('reads the serials a form names, merged, within the build, and no codes', () => {
    expect(parseSerialRanges('7, 2-4; 3 9..10', 12)).toEqual([
      { from: 2, to: 4 },
      { from: 7, to: 7 },
      { from: 9, to: 10 },
    ]);
    expect(parseSerialRanges(' ', 12)).toEqual([]);
    expect(refusal(() => parseSerialRanges('1, 13', 12))).toEqual({
      field: 'units.1',
      reason: 'the build has units 1–12',
    });
    expect(refusal(() => parseSerialRanges(`1 ${code(4)}`, 12))).toEqual({
      field: 'units.1',
      reason: `'${code(4)}' is not a serial or a range such as 1-60`,
    });
    expect(refusal(() => parseSerialRanges('1-x', 12))).toEqual({
      field: 'units.0',
      reason: "'1-x' is not a serial or a range such as 1-60",
    });
  });

  it('reads a backwards "range" from 4 or more digits as the build serial of an all-digit build code', () => {
    // 12345678 is a build's short code (digits only, as about 1 in 10,700 are): unit 3 of it.
    expect(parseUnitRefs('12345678-3, 1-2, 1234 – 7')).toEqual([
      '12345678-3',
      { from: 1, to: 2 },
      '1234-7',
    ]);
    // Forward, the same digits are a range of a big build's serials.
    expect(parseUnitRefs('1234-5678')).toEqual([{ from: 1234, to: 5678 }]);
  });

  it('gives one range per reference, in the order given, codes by their serial', () => {
    const serialOf = new Map([[code(4), 4]]);
    const refs = [12, { from: 1, to: 3 }, code(4).toUpperCase()];
    expect(codesOfRefs(refs)).toEqual([code(4)]);
    expect(rangesOfRefs(refs, 12, serialOf)).toEqual([
      { from: 12, to: 12 },
      { from: 1, to: 3 },
      { from: 4, to: 4 },
    ]);
  });

  it('names the reference that is past the end or no unit of the build', () => {
    expect(refusal(() => rangesOfRefs([1, { from: 10, to: 13 }], 12, new Map()))).toEqual({
      field: 'units.1',
      reason: 'the build has units 1–12',
    });
    expect(refusal(() => rangesOfRefs([1, 2, code(99)], 12, new Map(), 'serials'))).toEqual({
      field: 'serials.2',
      reason: `'${code(99)}' is not a unit of the build`,
    });
    expect(refusal(() => rangesOfRefs([1, 'not a code!'], 12, new Map()))).toMatchObject({
      field: 'units.1',
    });
    expect(refusal(() => rangesOfRefs([1], 0, new Map()))).toEqual({
      field: 'units.0',
      reason: 'the build has no units',
    });
  });

  it('selects the named units once each, in serial order', () => {
    const chosen = selectUnits(units, [{ from: 10, to: 12 }, 3, code(11), { from: 2, to: 3 }]);
    expect(chosen.map((u) => u.build_serial)).toEqual([2, 3, 10, 11, 12]);
    expect(refusal(() => selectUnits(units.slice(0, 5), [code(6)]))).toEqual({
      field: 'units.0',
      reason: `'${code(6)}' is not a unit of the build`,
    });
  });
});
