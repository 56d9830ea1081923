/** One parsed CSV record and the physical line (1-based) where it starts. */
export interface CsvRow {
  line: number;
  fields: string[];
}

export interface CsvParse {
  /** Every record, blank lines left out. */
  rows: CsvRow[];
  /** The line where a quoted field opens that the text never closes (it swallowed the rest). */
  unclosedQuoteLine?: number;
}

/**
 * RFC 4180 CSV: fields separated by `delimiter`, quoted fields may hold delimiters, line
 * breaks and doubled quotes (`"a ""b"", c"` → `a "b", c`). Rows carry the line they start on,
 * so that a report can name it even when a quoted field spans several lines.
 */
export function parseCsvRows(text: string, delimiter = ','): CsvParse {
  const rows: CsvRow[] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let quoteLine = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // byte-order mark
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0] !== '') rows.push({ line: rowLine, fields: row });
    row = [];
    field = '';
  };
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else field += c;
  }
  if (field !== '' || row.length > 0 || quoted) endRow();
  return quoted ? { rows, unclosedQuoteLine: quoteLine } : { rows };
}

/** The records of a CSV text as arrays of fields (see parseCsvRows). */
export function parseCsv(text: string, delimiter = ','): string[][] {
  return parseCsvRows(text, delimiter).rows.map((r) => r.fields);
}

/** Rows as objects keyed by the header row's names (trimmed, lower case). */
export function parseCsvRecords(text: string, delimiter = ','): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text, delimiter);
  if (!header) return [];
  const keys = header.map((h) => h.trim().toLowerCase());
  return rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i] ?? ''])));
}
