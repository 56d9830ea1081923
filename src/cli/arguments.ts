import { InvalidArgumentError } from 'commander';
import type { SerialRange } from '../domain/serial-ranges.js';

/** Option parsers shared by several commands. */

/** `1-60,75` → the range 1–60 and serial 75; anything else is taken as unit codes. */
export function unitList(value: string): (number | SerialRange | string)[] {
  return value.split(',').map((part): number | SerialRange | string => {
    const range = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (to < from) throw new InvalidArgumentError(`'${part}' runs backwards`);
      return { from, to };
    }
    return /^\s*\d+\s*$/.test(part) ? Number(part) : part.trim();
  });
}

/** A size in megabytes (`--max-upload-mb`). */
export function megabytes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 100_000)
    throw new InvalidArgumentError('not a size in MB (more than 0, at most 100000)');
  return n;
}

/** `--sku Digi-Key:296-1395-1-ND` (repeatable): a supplier and its part number. */
export function collectSupplierPart(
  value: string,
  previous: { supplier: string; sku: string }[] = [],
): { supplier: string; sku: string }[] {
  const at = value.indexOf(':');
  if (at <= 0 || at === value.length - 1)
    throw new InvalidArgumentError(`expected SUPPLIER:PART-NUMBER, e.g. Digi-Key:296-1395-1-ND`);
  return [...previous, { supplier: value.slice(0, at).trim(), sku: value.slice(at + 1).trim() }];
}
