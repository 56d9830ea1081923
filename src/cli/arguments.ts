import { readFileSync, statSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { refuseControlCharactersInLines } from '../domain/control-characters.js';
import { ValidationError } from '../domain/errors.js';
import { parseUnitRefs, type UnitRef } from '../domain/unit-refs.js';

/** Option parsers shared by several commands. */

/** `1-60,75` → the range 1–60 and serial 75; anything else is taken as unit codes. */
export function unitList(value: string): UnitRef[] {
  try {
    return parseUnitRefs(value);
  } catch (error) {
    if (error instanceof ValidationError) throw new InvalidArgumentError(error.reason);
    throw error;
  }
}

/** A count or a number from 1 (`--quantity`, `--revision`). */
export function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError('must be a whole number from 1');
  return n;
}

/** A size in megabytes (`--max-upload-mb`). */
export function megabytes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 100_000)
    throw new InvalidArgumentError('not a size in MB (more than 0, at most 100000)');
  return n;
}

/**
 * `--trust-proxy`: `true`/`false`, a hop count (`1`), or addresses and CIDR ranges
 * (`10.0.0.1,192.168.0.0/16`), as fastify's trustProxy takes them.
 */
export function trustProxy(value: string): boolean | number | string[] {
  const text = value.trim().toLowerCase();
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^\d+$/.test(text)) return Number(text);
  const addresses = text.split(',').map((a) => a.trim());
  if (addresses.some((a) => !/^[0-9a-f.:]+(\/\d{1,3})?$/.test(a)))
    throw new InvalidArgumentError(
      'expected true, false, a hop count, or addresses/CIDRs separated by commas',
    );
  return addresses;
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

/** A codes file is one code per line; larger than this is not a list of units. */
const MAX_CODES_FILE_BYTES = 2 * 1024 * 1024;

/** Unit codes from `--file`, one per line (`#` starts a comment; `-` is standard input). */
export function readCodes(file: string): string[] {
  const size = file === '-' ? 0 : statSafe(file);
  if (size > MAX_CODES_FILE_BYTES)
    throw new ValidationError('file', `${file} is larger than ${MAX_CODES_FILE_BYTES} bytes`);
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new ValidationError('file', `cannot read ${file}: ${(error as Error).message}`);
  }
  if (text.length > MAX_CODES_FILE_BYTES)
    throw new ValidationError('file', `more than ${MAX_CODES_FILE_BYTES} bytes`);
  refuseControlCharactersInLines(text, 'file');
  return text
    .split(/\r?\n/)
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean);
}

/** A text file given to a command (CSV, JSON): control characters are refused naming the line. */
export function readTextFile(file: string): string {
  const text = readFileSync(file, 'utf8');
  refuseControlCharactersInLines(text, 'file');
  return text;
}

function statSafe(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    throw new ValidationError('file', `cannot read ${file}: no such file`);
  }
}

/** Collects repeated `--tag a --tag b` options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Collects repeated `--field key=value` options. */
export function collectField(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`expected key=value, got '${value}'`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/** A period such as `30s`, `5m` or `1h` (`--sync-every`), in milliseconds: 10 s to a day. */
export function duration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(s|m|h)$/i.exec(value.trim());
  const ms = match
    ? Number(match[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[match[2]!.toLowerCase() as 's']
    : NaN;
  if (!(ms >= 10_000 && ms <= 86_400_000))
    throw new InvalidArgumentError('not a period from 10s to 24h, such as 30s, 5m or 1h');
  return ms;
}
