import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatRanges,
  inRanges,
  intersectRanges,
  mergeRanges,
  rangeSize,
  subtractRanges,
  toRanges,
  type SerialRange,
} from '../src/domain/serial-ranges.js';

const serials = fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 120 });
const expand = (ranges: SerialRange[]) =>
  ranges.flatMap((r) => Array.from({ length: r.to - r.from + 1 }, (_, i) => r.from + i));
const sortedSet = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

describe('serial ranges', () => {
  it('toRanges holds exactly the serials, as sorted disjoint non-adjacent ranges', () => {
    fc.assert(
      fc.property(serials, (xs) => {
        const ranges = toRanges(xs);
        expect(expand(ranges)).toEqual(sortedSet(xs));
        expect(rangeSize(ranges)).toBe(new Set(xs).size);
        ranges.forEach((r, i) => i > 0 && expect(r.from).toBeGreaterThan(ranges[i - 1]!.to + 1));
        for (const x of xs) expect(inRanges(ranges, x)).toBe(true);
      }),
    );
  });

  it('merge, intersect and subtract agree with set operations', () => {
    fc.assert(
      fc.property(serials, serials, (xs, ys) => {
        const a = toRanges(xs);
        const b = toRanges(ys);
        const setB = new Set(ys);
        expect(expand(mergeRanges([...a, ...b]))).toEqual(sortedSet([...xs, ...ys]));
        expect(expand(intersectRanges(a, b))).toEqual(sortedSet(xs.filter((x) => setB.has(x))));
        expect(expand(subtractRanges(a, b))).toEqual(sortedSet(xs.filter((x) => !setB.has(x))));
      }),
    );
  });

  it('formats for people', () => {
    expect(formatRanges(toRanges([1, 2, 3, 75, 80, 81]))).toBe('1–3, 75, 80–81');
    // As a field or a URL carries them: the hyphen a keyboard types.
    expect(formatRanges(toRanges([2, 3, 4, 9]), '-')).toBe('2-4, 9');
  });
});
