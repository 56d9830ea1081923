import { MIN_PREFIX_LENGTH, parseCode } from './code.js';
import { ValidationError } from './errors.js';
import { mergeRanges, type SerialRange } from './serial-ranges.js';

/** A unit of a build named by its build serial, a range of serials, or its code. */
export type UnitRef = number | SerialRange | string;

/** The codes among `refs`, parsed (a malformed one is a ValidationError naming `units.1`). */
export function codesOfRefs(refs: readonly UnitRef[], field = 'units'): string[] {
  return refs.flatMap((ref, i) =>
    typeof ref === 'string' ? [parseCode(ref, `${field}.${i}`)] : [],
  );
}

/**
 * The serials `refs` name, as one range per ref in the order given. `last` is the build's last
 * serial; `serialOf` has the serial of each unit code of the build that was named. A serial
 * past `last`, or a code that is not a unit of the build, is a ValidationError naming the ref
 * (`units.1`). Ranges stay ranges, so naming 100,000 units costs one item.
 */
export function rangesOfRefs(
  refs: readonly UnitRef[],
  last: number,
  serialOf: ReadonlyMap<string, number>,
  field = 'units',
): SerialRange[] {
  return refs.map((ref, i): SerialRange => {
    if (typeof ref === 'string') {
      const serial = serialOf.get(parseCode(ref, `${field}.${i}`));
      if (serial === undefined)
        throw new ValidationError(`${field}.${i}`, `'${ref}' is not a unit of the build`);
      return { from: serial, to: serial };
    }
    const range = typeof ref === 'number' ? { from: ref, to: ref } : ref;
    if (range.to > last)
      throw new ValidationError(
        `${field}.${i}`,
        last === 0 ? 'the build has no units' : `the build has units 1–${last}`,
      );
    return range;
  });
}

/**
 * The units of a build that `refs` name, in serial order: `[3, { from: 10, to: 12 }, '<code>']`.
 * `all` is every unit of the build (serials 1..N); errors as in `rangesOfRefs`.
 */
export function selectUnits<U extends { code: string; build_serial: number | null }>(
  all: readonly U[],
  refs: readonly UnitRef[],
  field = 'units',
): U[] {
  const serialOf = new Map(all.map((u) => [u.code, u.build_serial!]));
  // Merged ranges lie apart within 1..N: expanding them costs at most N.
  const wanted = new Set<number>();
  for (const r of mergeRanges(rangesOfRefs(refs, all.length, serialOf, field)))
    for (let s = r.from; s <= r.to; s++) wanted.add(s);
  return all.filter((u) => wanted.has(u.build_serial!));
}

/**
 * Units as people type them: `1-60, 75, 80–99, <code>` (commas, semicolons or spaces between;
 * `-`, `–` or `..` inside a range). Ranges stay ranges: `1-100000` is one item, not 100,000.
 * A backwards "range" whose start has 4 or more characters (`12345678-3`) is the build serial
 * a label prints for a build whose short code is all digits: it stays text, for the resolver.
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
        // No range runs backwards, so this reading takes nothing from ranges; a forward one
        // (`1000-2000`) stays a range, as a big build's units are numbered that far.
        if (to < from && range[1]!.length >= MIN_PREFIX_LENGTH) return part;
        if (to < from) throw new ValidationError(field, `'${part}' runs backwards`);
        if (from < 1) throw new ValidationError(field, `'${part}': serials start at 1`);
        return { from, to };
      }
      if (!/^\d+$/.test(part)) return part;
      if (Number(part) < 1) throw new ValidationError(field, `'${part}': serials start at 1`);
      return Number(part);
    });
}

/**
 * The build serials a typed text names in a build of `last` units, merged and sorted:
 * `2-4, 3, 9` → [{2–4}, {9–9}]. For a form that knows serials and not the units' codes, so a
 * code is refused; otherwise errors as in `parseUnitRefs` and `rangesOfRefs`.
 */
export function parseSerialRanges(text: string, last: number, field = 'units'): SerialRange[] {
  const refs = parseUnitRefs(text, field);
  const code = refs.findIndex((ref) => typeof ref === 'string');
  if (code >= 0)
    throw new ValidationError(
      `${field}.${code}`,
      `'${refs[code] as string}' is not a serial or a range such as 1-60`,
    );
  return mergeRanges(rangesOfRefs(refs, last, new Map(), field));
}
