import { parseCsvRows } from '../domain/csv.js';
import { ValidationError } from '../domain/errors.js';
import { MAX_BATCH_ROWS } from './test-result.schemas.js';

/** One row of an upload as it came, before validation. */
export interface RawRow {
  /** 1-based: the JSON item, or the CSV line. */
  row: number;
  data: unknown;
  /** A row malformed before its fields can be read (a CSV line with too many cells). */
  error?: { field: string; message: string };
}

/** CSV header names (lower case, `_`, `-` and spaces ignored) and the JSON field each fills. */
const COLUMNS: Record<string, string> = {
  unit: 'unit',
  code: 'unit',
  key: 'key',
  name: 'name',
  result: 'result',
  value: 'value',
  station: 'station',
  operator: 'operator',
  startedat: 'startedAt',
  start: 'startedAt',
  endedat: 'endedAt',
  end: 'endedAt',
  notes: 'notes',
  attachment: 'attachment',
};
/** Further measured values: one column each, named `values.<name>` (e.g. `values.vcc`). */
const VALUE_PREFIX = 'values.';

/**
 * The rows of a CSV upload with a header row, as objects shaped like the JSON rows. Empty
 * cells are left out. A header naming no known column is an error of the whole upload
 * (every row would be misread).
 */
export function csvRows(text: string): RawRow[] {
  const parsed = parseCsvRows(text);
  if (parsed.unclosedQuoteLine !== undefined) {
    throw new ValidationError(
      'body',
      `line ${parsed.unclosedQuoteLine}: a quoted field is never closed`,
    );
  }
  const [header, ...records] = parsed.rows;
  if (!header) throw new ValidationError('body', 'is empty: a header row and rows expected');
  if (records.length > MAX_BATCH_ROWS) {
    throw new ValidationError('body', `must have at most ${MAX_BATCH_ROWS} rows`);
  }
  const fields = header.fields.map((h) => {
    const name = h.trim();
    if (name.toLowerCase().startsWith(VALUE_PREFIX) && name.length > VALUE_PREFIX.length) {
      return { extra: name.slice(VALUE_PREFIX.length) };
    }
    const field = COLUMNS[name.toLowerCase().replace(/[\s_-]/g, '')];
    if (!field) {
      throw new ValidationError(
        'body',
        `header: unknown column '${name.slice(0, 50)}' (expected unit, key, name, result, value, station, operator, started_at, ended_at, notes, attachment or values.<name>)`,
      );
    }
    return { field };
  });
  if (!fields.some((f) => f.field === 'unit')) {
    throw new ValidationError('body', 'header: a unit column is required');
  }
  return records.map((record) => {
    if (record.fields.length > fields.length) {
      const message = `has ${record.fields.length} cells; the header names ${fields.length} columns`;
      return { row: record.line, data: {}, error: { field: 'row', message } };
    }
    const data: Record<string, unknown> = {};
    const values: Record<string, string> = {};
    record.fields.forEach((cell, i) => {
      // Never more cells than columns: such rows are rejected above.
      const column = fields[i]!;
      const value = cell.trim();
      if (value === '') return;
      if (column.extra !== undefined) values[column.extra] = value;
      else data[column.field!] = value;
    });
    if (Object.keys(values).length > 0) data.values = values;
    return { row: record.line, data };
  });
}

/** The rows of a JSON upload: item i is row i + 1. */
export function jsonRows(results: unknown[]): RawRow[] {
  return results.map((data, i) => ({ row: i + 1, data }));
}
