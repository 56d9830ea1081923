/** Printing for humans (aligned columns) or scripts (`--json`). */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

export function printTable(
  rows: Record<string, unknown>[],
  columns: string[],
  empty = '(none)',
): void {
  if (rows.length === 0) return console.log(empty);
  const cells = rows.map((r) => columns.map((c) => text(r[c])));
  const widths = columns.map((c, i) =>
    Math.max(c.length, ...cells.map((row) => displayWidth(row[i]!))),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v + ' '.repeat(widths[i]! - displayWidth(v))))
      .join('  ')
      .trimEnd();
  console.log(line(columns.map((c) => c.toUpperCase())));
  for (const row of cells) console.log(line(row));
}

/** `key: value` lines for one object. */
export function printFields(fields: Record<string, unknown>): void {
  const width = Math.max(...Object.keys(fields).map((k) => k.length));
  for (const [key, value] of Object.entries(fields))
    console.log(`${`${key}:`.padEnd(width + 1)} ${text(value)}`);
}

/** Progress on stderr, so that stdout stays clean for pipes. */
export function progress(message: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${message}\x1b[K`);
  else process.stderr.write(`${message}\n`);
}

export function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(text).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${k}=${text(v)}`)
      .join(', ');
  }
  return String(value);
}

// Characters a terminal shows two columns wide: CJK ideographs, kana, hangul, full-width forms.
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/gu;

/** How many terminal columns the text takes, so that columns of part names in any script line up. */
export function displayWidth(value: string): number {
  return [...value].length + (value.match(WIDE)?.length ?? 0);
}

/**
 * One page of a list: its rows, then "1–50 of 120 parts" on stderr (stdout stays the rows, for
 * pipes); only `empty` when nothing matches.
 */
export function printPage(
  page: { total: number; offset: number },
  rows: Record<string, unknown>[],
  columns: string[],
  noun: string,
  empty = `No ${noun} found.`,
): void {
  if (page.total === 0) return console.log(empty);
  printTable(rows, columns);
  console.error(`${page.offset + 1}–${page.offset + rows.length} of ${page.total} ${noun}`);
}
