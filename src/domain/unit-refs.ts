import { parseCode } from './code.js';
import { ValidationError } from './errors.js';
import type { SerialRange } from './serial-ranges.js';

/** A unit of a build named by its build serial, a range of serials, or its code. */
export type UnitRef = number | SerialRange | string;

/**
 * The units of a build that `refs` name, in serial order: `[3, { from: 10, to: 12 }, '<code>']`.
 * `all` is every unit of the build (serials 1..N). A serial past N, or a code that is not a unit
 * of the build, is a ValidationError naming `field` (`units.1`).
 */
export function selectUnits<U extends { code: string; build_serial: number | null }>(
  all: readonly U[],
  refs: readonly UnitRef[],
  field = 'units',
): U[] {
  const wanted = new Set<number>();
  const codes = new Set<string>();
  refs.forEach((ref, i) => {
    if (typeof ref === 'string') {
      codes.add(parseCode(ref, `${field}.${i}`));
      return;
    }
    const last = typeof ref === 'number' ? ref : ref.to;
    if (last > all.length)
      throw new ValidationError(`${field}.${i}`, `the build has units 1–${all.length}`);
    if (typeof ref === 'number') wanted.add(ref);
    else for (let s = ref.from; s <= ref.to; s++) wanted.add(s);
  });
  const units = all.filter((u) => wanted.has(u.build_serial!) || codes.has(u.code));
  const found = new Set(units.map((u) => u.code));
  const missing = [...codes].find((c) => !found.has(c));
  if (missing !== undefined)
    throw new ValidationError(field, `'${missing}' is not a unit of the build`);
  return units;
}

/**
 * Units as people type them: `1-60, 75, 80–99, <code>` (commas, semicolons or spaces between;
 * `-`, `–` or `..` inside a range). Ranges stay ranges: `1-100000` is one item, not 100,000.
 */
export function parseUnitRefs(text: string, field = 'units'): UnitRef[] {
  return text
    .replace(/\s*(?:-|–|\.\.)\s*/g, '-')
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map((part): UnitRef => {
      const range = /^(\d+)-(\d+)$/.exec(part);
      if (range) {
        const [from, to] = [Number(range[1]), Number(range[2])];
        if (to < from) throw new ValidationError(field, `'${part}' runs backwards`);
        if (from < 1) throw new ValidationError(field, `'${part}': serials start at 1`);
        return { from, to };
      }
      return /^\d+$/.test(part) ? Number(part) : part;
    });
}
