import { ValidationError } from './errors.js';

/**
 * Control characters that text may not hold: C0 but tab, line feed and carriage return (line
 * breaks of notes and CSV files), DEL and C1. PostgreSQL cannot store U+0000 at all, and the
 * others only hide text in lists, logs and labels.
 */
// eslint-disable-next-line no-control-regex -- finding them is the point
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Scanned text keeps the separators barcodes carry (GS, RS, EOT…); only NUL is refused. */
// eslint-disable-next-line no-control-regex -- finding them is the point
const FORBIDDEN_IN_SCANS = /\u0000/;

/** Schemas of scanned text (the scan box), which keeps control characters other than NUL. */
const scannedSchemas = new WeakSet<object>();

/** Marks a schema as scanned text (see FORBIDDEN_IN_SCANS). */
export function scannedText<S extends object>(schema: S): S {
  scannedSchemas.add(schema);
  return schema;
}

export function isScannedText(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && scannedSchemas.has(schema);
}

/**
 * Throws a ValidationError naming the first text in `value` (a string, or strings anywhere in
 * arrays and objects, keys included) that holds a forbidden control character, e.g.
 * `notes: must not contain control characters (U+0000 at character 3)`. `scanned(path)` says
 * which fields are scanned text.
 */
export function refuseControlCharacters(
  value: unknown,
  field: string,
  scanned: (path: string[]) => boolean = () => false,
): void {
  const problem = findControlCharacter(value, [], scanned);
  if (!problem) return;
  const name = [field, ...problem.path].filter(Boolean).join('.') || 'body';
  throw new ValidationError(
    name,
    `must not contain control characters (${codePoint(problem.text, problem.at)} at character ${problem.at + 1})`,
  );
}

/** The same check for a text of many lines (a CSV file): the message names the line. */
export function refuseControlCharactersInLines(text: string, field: string): void {
  const at = text.search(FORBIDDEN);
  if (at < 0) return;
  const line = text.slice(0, at).split(/\r\n|\r|\n/).length;
  throw new ValidationError(
    field,
    `line ${line}: must not contain control characters (${codePoint(text, at)})`,
  );
}

/**
 * The first forbidden character: its text, where, and the path to it (built on the way back,
 * so that the common case, no problem, allocates nothing per value).
 */
function findControlCharacter(
  value: unknown,
  path: string[],
  scanned: (path: string[]) => boolean,
): { path: string[]; text: string; at: number } | undefined {
  if (typeof value === 'string') {
    const at = value.search(scanned(path) ? FORBIDDEN_IN_SCANS : FORBIDDEN);
    return at < 0 ? undefined : { path: [...path], text: value, at };
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const keyAt = Array.isArray(value) ? -1 : key.search(FORBIDDEN);
    if (keyAt >= 0) return { path: [...path, key], text: key, at: keyAt };
    path.push(key);
    const found = findControlCharacter(item, path, scanned);
    path.pop();
    if (found) return found;
  }
  return undefined;
}

/** `U+0000 at character 3` style: which character, in hexadecimal. */
function codePoint(text: string, at: number): string {
  return `U+${text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')}`;
}
