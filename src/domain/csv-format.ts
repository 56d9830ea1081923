/**
 * RFC 4180 CSV text of rows of fields, lines ending in CRLF. A field is quoted when it holds a
 * comma, a quote or a line break (quotes doubled). A field that a spreadsheet would run as a
 * formula (starting with =, +, -, @, tab or carriage return, and not a number) gets a leading
 * apostrophe: exported names are typed by users (OWASP "CSV injection").
 */
export function formatCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^[+-]?\d+(\.\d+)?$/;

function csvField(value: string): string {
  const safe = FORMULA_START.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
