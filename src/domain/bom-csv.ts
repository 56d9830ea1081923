import { parseCsvRows, type CsvRow } from './csv.js';
import { TracelotError, ValidationError } from './errors.js';
import { MAX_STAGE, MAX_STAGE_NAME } from './bom-stage.js';
import { parseQuantity, QUANTITY_SCALE } from './quantity.js';

/**
 * BOM files: KiCad's exports (the grouped-by-value BOM plugins, the symbol fields table /
 * "Export BOM" CSV) and any other CSV, its columns recognised by name or mapped. Pure: text in,
 * parsed lines out, every problem tied to the file line it comes from.
 */

/** What a column of a BOM file can mean. */
export const BOM_FIELDS = [
  'reference',
  'quantity',
  'mpn',
  'manufacturer',
  'value',
  'footprint',
  'description',
  'dnp',
  'stage',
  'comments',
  'part',
] as const;
export type BomField = (typeof BOM_FIELDS)[number];

/** Other names a mapping may use for a field. */
const FIELD_ALIASES: Record<string, BomField> = {
  designators: 'reference',
  designator: 'reference',
  references: 'reference',
  qty: 'quantity',
  comment: 'comments',
  notes: 'comments',
};

export const MAX_BOM_FILE_BYTES = 2 * 1024 * 1024;
export const MAX_BOM_LINES = 5_000;
/** The header must lie within this many records of the start (preambles are a few lines). */
const HEADER_SEARCH_ROWS = 50;
const MAX_RANGE = 1_000;
const MAX_DESIGNATOR_LENGTH = 50;

/** What wrote a file, as far as its header tells (for the report only). */
export const BOM_FORMATS = ['kicad_grouped_by_value', 'kicad_fields_table', 'generic'] as const;
export type BomFormat = (typeof BOM_FORMATS)[number];
export type BomDelimiter = ',' | ';' | '\t';

export interface BomLineProblem {
  /** The file line (1-based) the problem is on; 0 for the file as a whole. */
  line: number;
  message: string;
}

/**
 * A BOM file that cannot be imported, with every offending line. Nothing is imported when
 * one is thrown. Its message lists the first problems; `problems` lists them all.
 */
export class BomFileError extends ValidationError {
  constructor(
    readonly problems: BomLineProblem[],
    summary?: string,
    field = 'csv',
  ) {
    super(field, describeProblems(problems, summary));
  }
}

function describeProblems(problems: BomLineProblem[], summary?: string): string {
  const shown = problems.slice(0, 10).map((p) => (p.line ? `line ${p.line}: ` : '') + p.message);
  const more = problems.length > 10 ? `; … and ${problems.length - 10} more` : '';
  const head =
    summary ??
    `${problems.length} problem${problems.length === 1 ? '' : 's'} in the file, nothing imported`;
  return shown.length ? `${head} — ${shown.join('; ')}${more}` : head;
}

export interface ParsedBomLine {
  /** The file line (1-based) where the record starts. */
  line: number;
  designators: string[];
  /** Millionths; null when the line has no usable quantity (see problems). */
  quantity: number | null;
  /** The quantity is the count of designators (no quantity column, or an empty cell). */
  quantityFromDesignators: boolean;
  value: string;
  footprint: string;
  mpn: string;
  manufacturer: string;
  description: string;
  comments: string;
  /** A Tracelot part code given in a mapped `part` column. */
  part: string;
  dnp: boolean;
  /** The stage's number; 0 when the file names the stage (`stageName`) instead. */
  stage: number;
  /** A stage given by name ("Hand solder"): the import finds or creates the stage. */
  stageName: string;
  /** Reasons the line cannot be imported. */
  problems: string[];
  /** Worth a look, but no reason to refuse the line. */
  warnings: string[];
}

export interface ParsedBom {
  format: BomFormat;
  delimiter: BomDelimiter;
  /** The file line of the header row. */
  headerLine: number;
  /** Which column (as written in the file) each recognised field comes from. */
  columns: Partial<Record<BomField, string>>;
  /** Header columns that mean nothing to the import. */
  ignoredColumns: string[];
  lines: ParsedBomLine[];
}

/**
 * Text of an uploaded file: UTF-8 (with or without a byte-order mark) or UTF-16 with a
 * byte-order mark. Anything else is a BomFileError: Tracelot never guesses an encoding.
 */
export function decodeBomFile(bytes: Uint8Array, field = 'file'): string {
  if (bytes.length > MAX_BOM_FILE_BYTES) throw tooLarge(bytes.length, field);
  const utf16 =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? 'utf-16le'
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? 'utf-16be'
        : undefined;
  try {
    return new TextDecoder(utf16 ?? 'utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new BomFileError(
      at
        ? [
            {
              line: at.line,
              message: `byte ${at.offset + 1} of the file (0x${bytes[at.offset]!.toString(16).toUpperCase()}) is not UTF-8`,
            },
          ]
        : [],
      'the file is not UTF-8 text (a binary file, or text in another encoding: save it as CSV UTF-8)',
      field,
    );
  }
}

/** Refuses a file larger than MAX_BOM_FILE_BYTES before it is read. */
export function checkBomFileSize(bytes: number, field = 'file'): void {
  if (bytes > MAX_BOM_FILE_BYTES) throw tooLarge(bytes, field);
}

function tooLarge(bytes: number, field: string): BomFileError {
  return new BomFileError(
    [],
    `the file has ${bytes.toLocaleString('en')} bytes; at most ${MAX_BOM_FILE_BYTES.toLocaleString('en')} (2 MB) per import`,
    field,
  );
}

/**
 * The line and offset of the first byte that breaks UTF-8, for the report (a quick scan: the
 * rarer faults it misses, such as encoded surrogates, leave the report without a line).
 */
function firstInvalidUtf8(bytes: Uint8Array): { line: number; offset: number } | undefined {
  let line = 1;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : 3;
    if (b >= 0x80 && (b < 0xc2 || b > 0xf4)) return { line, offset: i };
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return { line, offset: i };
    }
    if (b === 0x0a) line++;
    i += need + 1;
  }
  return undefined;
}

export interface BomParseOptions {
  /** Column name in the file → field (`--map "Mfr. Part #=mpn"`); names ignore case. */
  mapping?: Record<string, string> | undefined;
  /** The name errors give the text (`csv` for the API, `file` for the CLI). */
  field?: string;
}

/**
 * Parses a BOM file. Finds the delimiter (comma, semicolon or tab) and the header row (the
 * first row with recognisable column names, so preambles such as KiCad's `"Source:"…` lines
 * are skipped), then reads every line: designators (`R1, R2`, `R1 R2`, ranges `R1-R4`),
 * quantity (the quantity column, else the count of designators), DNP (a DNP column, or the
 * value `DNP`), stage and texts. Problems of single lines are returned with the lines; a
 * file that cannot be read at all throws a BomFileError.
 */
export function parseBomCsv(text: string, options: BomParseOptions = {}): ParsedBom {
  const field = options.field ?? 'csv';
  const bytes = utf8Length(text);
  if (bytes > MAX_BOM_FILE_BYTES) throw tooLarge(bytes, field);
  checkText(text, field);
  const mapping = normalizeMapping(options.mapping ?? {});

  let best: (HeaderCandidate & { delimiter: BomDelimiter; rows: CsvRow[] }) | undefined;
  let unclosedQuoteLine: number | undefined;
  for (const delimiter of [',', ';', '\t'] as const) {
    const parsed = parseCsvRows(text, delimiter);
    const header = findHeader(parsed.rows, mapping);
    if (header && (!best || header.score > best.score)) {
      best = { ...header, delimiter, rows: parsed.rows };
      unclosedQuoteLine = parsed.unclosedQuoteLine;
    }
  }
  if (!best) {
    const first = parseCsvRows(text, ',').rows[0];
    if (mapping.size > 0) {
      const mapped = [...mapping.keys()].map((c) => `'${c}'`).join(', ');
      throw new ValidationError(
        'mapping',
        `no header row of the file has every mapped column (${mapped})${first ? `; line ${first.line} has: ${listColumns(first.fields)}` : ''}`,
      );
    }
    throw new BomFileError(
      first ? [{ line: first.line, message: `columns: ${listColumns(first.fields)}` }] : [],
      'no header row found: a BOM needs a quantity or a reference (designator) column, such as "Reference", "Qty", "Designator" — or map the columns',
      field,
    );
  }
  const { columns, index, delimiter, rows, headerRow } = best;
  if (unclosedQuoteLine !== undefined) {
    throw new BomFileError(
      [{ line: unclosedQuoteLine, message: 'a quoted field starts here and is never closed' }],
      'the file is not valid CSV',
      field,
    );
  }
  if (index.reference === undefined && index.quantity === undefined) {
    throw new BomFileError(
      [{ line: headerRow.line, message: `header columns: ${listColumns(headerRow.fields)}` }],
      'the file has no quantity column and no reference (designator) column: map one (e.g. "Count=quantity")',
      field,
    );
  }
  const dataRows = rows
    .slice(rows.indexOf(headerRow) + 1)
    .filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (dataRows.length === 0) {
    throw new BomFileError(
      [{ line: headerRow.line, message: 'the header is the last line' }],
      'the file has no BOM lines after its header',
      field,
    );
  }
  if (dataRows.length > MAX_BOM_LINES) {
    throw new BomFileError(
      [],
      `the file has ${dataRows.length.toLocaleString('en')} BOM lines; at most ${MAX_BOM_LINES.toLocaleString('en')} per import`,
      field,
    );
  }

  const lines = dataRows.map((row) => readLine(row, index, headerRow.fields.length));
  markDuplicateDesignators(lines);
  return {
    format: detectFormat(rows, headerRow),
    delimiter,
    headerLine: headerRow.line,
    columns,
    ignoredColumns: headerRow.fields
      .map((f, i) => ({ name: f.trim(), i }))
      .filter((c) => c.name !== '' && !Object.values(index).includes(c.i))
      .map((c) => c.name),
    lines,
  };
}

/** The fields of a mapping, checked: `mapping.<column>` names a bad entry. */
function normalizeMapping(mapping: Record<string, string>): Map<string, BomField> {
  const out = new Map<string, BomField>();
  const taken = new Map<BomField, string>();
  for (const [rawColumn, rawField] of Object.entries(mapping)) {
    const column = rawColumn.trim().toLowerCase();
    const name = String(rawField).trim().toLowerCase();
    const target = (BOM_FIELDS as readonly string[]).includes(name)
      ? (name as BomField)
      : FIELD_ALIASES[name];
    if (!column) throw new ValidationError('mapping', 'a column name must not be empty');
    if (!target) {
      throw new ValidationError(
        `mapping.${rawColumn}`,
        `'${rawField}' is not a BOM field; fields: ${BOM_FIELDS.join(', ')}`,
      );
    }
    const other = taken.get(target);
    if (other !== undefined) {
      throw new ValidationError(
        `mapping.${rawColumn}`,
        `'${target}' is mapped from '${other}' already: one column per field`,
      );
    }
    taken.set(target, rawColumn);
    out.set(column, target);
  }
  return out;
}

/** Normalised header names KiCad and common BOM tools write, and the field each means. */
const KNOWN_COLUMNS: Record<string, BomField> = {};
for (const [field, names] of Object.entries({
  reference: [
    'ref',
    'refs',
    'reference',
    'references',
    'designator',
    'designators',
    'refdes',
    'referencedesignator',
    'referencedesignators',
    'partreference',
  ],
  quantity: ['qty', 'qnty', 'quantity', 'quantityperpcb', 'qtyperboard', 'qtyperpcb', 'count'],
  value: ['value', 'val', 'values'],
  footprint: ['footprint', 'footprints', 'package', 'pcbfootprint', 'footprintname'],
  mpn: [
    'mpn',
    'mfrpartnumber',
    'mfrpartno',
    'mfrpart',
    'mfrpn',
    'mfgpartnumber',
    'mfgpartno',
    'mfgpart',
    'mfgpn',
    'manufacturerpartnumber',
    'manufacturerpartno',
    'manufacturerpart',
    'manufacturerpn',
    'manufacturerpartnum',
    'partnumber',
    'partno',
  ],
  manufacturer: ['manufacturer', 'manufacturername', 'mfr', 'mfg', 'mfrname', 'mfgname'],
  description: ['description', 'desc'],
  dnp: ['dnp', 'dnf', 'donotpopulate', 'donotplace', 'donotfit'],
  stage: ['stage', 'buildstage'],
  comments: ['comment', 'comments', 'note', 'notes', 'remark', 'remarks'],
} satisfies Partial<Record<BomField, string[]>>)) {
  for (const name of names) KNOWN_COLUMNS[name] = field as BomField;
}

/** `"Mfr. Part #"` → `mfrpart`; KiBot's `${QUANTITY}` → `quantity`. */
function normalizeColumn(name: string): string {
  return name
    .toLowerCase()
    .replace(/\$\{([^}]*)\}/g, '$1')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

interface HeaderCandidate {
  headerRow: CsvRow;
  index: Partial<Record<BomField, number>>;
  columns: Partial<Record<BomField, string>>;
  score: number;
}

/**
 * The header row: the first row (of the first few) whose columns name at least two BOM
 * fields (or every mapped column, when a mapping is given). A mapped column wins over a
 * recognised one; the first of two columns meaning the same field wins.
 */
function findHeader(rows: CsvRow[], mapping: Map<string, BomField>): HeaderCandidate | undefined {
  for (const row of rows.slice(0, HEADER_SEARCH_ROWS)) {
    const names = row.fields.map((f) => f.trim().toLowerCase());
    if (mapping.size > 0 && ![...mapping.keys()].every((c) => names.includes(c))) continue;
    const index: Partial<Record<BomField, number>> = {};
    const mappedColumns = new Set<number>();
    names.forEach((name, i) => {
      const target = mapping.get(name);
      if (target && index[target] === undefined) {
        index[target] = i;
        mappedColumns.add(i);
      }
    });
    names.forEach((name, i) => {
      if (mappedColumns.has(i)) return;
      const known = KNOWN_COLUMNS[normalizeColumn(name)];
      if (known && index[known] === undefined && ![...mapping.values()].includes(known))
        index[known] = i;
    });
    const found = Object.keys(index) as BomField[];
    const useful = found.some((f) => ['reference', 'quantity', 'mpn', 'value'].includes(f));
    if (mapping.size > 0 ? found.length >= 1 : found.length >= 2 && useful) {
      const columns: Partial<Record<BomField, string>> = {};
      for (const f of found) columns[f] = row.fields[index[f]!]!.trim();
      return { headerRow: row, index, columns, score: found.length };
    }
  }
  return undefined;
}

function listColumns(fields: string[]): string {
  return fields
    .slice(0, 20)
    .map((f) => `'${f.trim()}'`)
    .join(', ');
}

/** Refuses text that is not text: NUL and other control characters, undecodable bytes. */
function checkText(text: string, field: string): void {
  if (text.trim() === '' || text.trim() === '\ufeff')
    throw new BomFileError([], 'the file is empty', field);
  // eslint-disable-next-line no-control-regex -- control characters are what we look for
  const bad = /[\u0000-\u0008\u000b\u000e-\u001f\u007f\ufffd]/.exec(text);
  if (bad) {
    const line = text.slice(0, bad.index).split(/\r\n|\r|\n/).length;
    throw new BomFileError(
      [
        {
          line,
          message:
            bad[0] === '\ufffd'
              ? 'holds U+FFFD, the mark of bytes that were not UTF-8'
              : `holds the control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`,
        },
      ],
      'the file is not UTF-8 text (a binary file, or text in another encoding: save it as CSV UTF-8)',
      field,
    );
  }
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const TRUE_WORDS = new Set([
  'dnp',
  'dnf',
  'yes',
  'y',
  'true',
  '1',
  'x',
  'do not populate',
  'do not place',
  'not fitted',
]);
const FALSE_WORDS = new Set(['', 'no', 'n', 'false', '0', '-', 'fitted', 'populate']);
/** A value or comment that says "do not populate" (a common KiCad habit) marks the line DNP. */
const DNP_VALUES = new Set(['dnp', 'dnf', 'do not populate', 'do not place']);

function readLine(
  row: CsvRow,
  index: Partial<Record<BomField, number>>,
  headerLength: number,
): ParsedBomLine {
  const cell = (f: BomField) => {
    const i = index[f];
    return i === undefined ? '' : (row.fields[i] ?? '').trim();
  };
  const problems: string[] = [];
  const warnings: string[] = [];
  const text = (f: BomField, max: number) => {
    const value = cell(f);
    if (value.length > max) problems.push(`${f}: longer than ${max} characters`);
    return value;
  };

  const extra = row.fields.slice(headerLength).filter((f) => f.trim() !== '');
  if (extra.length > 0) {
    problems.push(
      `has ${row.fields.length} fields but the header has ${headerLength} (a field holding the delimiter must be quoted)`,
    );
  }

  const designators = readDesignators(cell('reference'), problems);

  let quantity: number | null = null;
  let quantityFromDesignators = false;
  const quantityText = cell('quantity');
  if (quantityText !== '') {
    try {
      quantity = parseQuantity(quantityText, 'quantity', { unit: 'm', sign: 'nonNegative' });
    } catch (error) {
      if (!(error instanceof TracelotError)) throw error;
      problems.push(error.message);
    }
  } else if (designators.length > 0) {
    quantity = designators.length * QUANTITY_SCALE;
    quantityFromDesignators = true;
  } else {
    problems.push(
      index.quantity === undefined
        ? 'has no designators to count (the file has no quantity column)'
        : 'has no quantity and no designators',
    );
  }

  const value = text('value', 200);
  const comments = text('comments', 2_000);
  const dnpText = cell('dnp').toLowerCase();
  let dnp = DNP_VALUES.has(value.toLowerCase()) || DNP_VALUES.has(comments.toLowerCase());
  if (TRUE_WORDS.has(dnpText)) dnp = true;
  else if (!FALSE_WORDS.has(dnpText))
    problems.push(`dnp: '${cell('dnp')}' is neither yes nor no (DNP, yes, 1, x; no, 0 or empty)`);

  if (quantity === 0 && !dnp)
    problems.push('quantity: must be greater than 0 (or mark the line DNP)');
  if (
    quantity !== null &&
    quantity % QUANTITY_SCALE === 0 &&
    !quantityFromDesignators &&
    designators.length > 0 &&
    quantity !== designators.length * QUANTITY_SCALE
  ) {
    warnings.push(
      `quantity ${quantityText} differs from the count of designators (${designators.length})`,
    );
  }

  // A stage is a number (1..1000) or a name; a name is resolved against the project's stages.
  let stage = 1;
  let stageName = '';
  const stageText = cell('stage');
  if (/^\d+$/.test(stageText)) {
    stage = Number(stageText);
    if (stage < 1 || stage > MAX_STAGE) {
      problems.push(`stage: must be a number from 1 to ${MAX_STAGE} or a name, got '${stageText}'`);
      stage = 1;
    }
  } else if (stageText !== '') {
    if (stageText.length > MAX_STAGE_NAME)
      problems.push(`stage: a stage name is at most ${MAX_STAGE_NAME} characters`);
    else {
      stage = 0;
      stageName = stageText;
    }
  }

  return {
    line: row.line,
    designators,
    quantity,
    quantityFromDesignators,
    value,
    footprint: text('footprint', 200),
    mpn: text('mpn', 200),
    manufacturer: text('manufacturer', 200),
    description: text('description', 10_000),
    comments,
    part: text('part', 200),
    dnp,
    stage,
    stageName,
    problems,
    warnings,
  };
}

/**
 * Designators of one line: separated by commas, semicolons or spaces; `R1-R4` (or `R1-4`)
 * is R1, R2, R3, R4. Duplicates within the line are a problem.
 */
export function splitDesignators(text: string): { designators: string[]; problems: string[] } {
  const problems: string[] = [];
  return { designators: readDesignators(text, problems), problems };
}

function readDesignators(text: string, problems: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const token of text.split(/[\s,;]+/)) {
    if (!token) continue;
    const range = /^([A-Za-z_]+)(\d+)-(?:\1)?(\d+)$/.exec(token);
    let names = [token];
    if (range) {
      const [, prefix, fromText, toText] = range;
      const from = Number(fromText);
      const to = Number(toText);
      if (to < from || to - from >= MAX_RANGE) {
        problems.push(`reference: '${token}' is not a range of at most ${MAX_RANGE} designators`);
        continue;
      }
      names = [];
      for (let n = from; n <= to; n++) names.push(`${prefix}${n}`);
    }
    for (const name of names) {
      if (name.length > MAX_DESIGNATOR_LENGTH) {
        problems.push(`reference: '${name.slice(0, 20)}…' is longer than ${MAX_DESIGNATOR_LENGTH}`);
        continue;
      }
      const key = name.toUpperCase();
      if (seen.has(key)) {
        problems.push(`reference: ${name} appears twice on this line`);
        continue;
      }
      seen.add(key);
      out.push(name);
    }
  }
  return out;
}

/** A designator on two lines is a problem on both, each naming the other. */
function markDuplicateDesignators(lines: ParsedBomLine[]): void {
  const firstLine = new Map<string, ParsedBomLine>();
  for (const line of lines) {
    for (const d of line.designators) {
      const key = d.toUpperCase();
      const first = firstLine.get(key);
      if (!first) {
        firstLine.set(key, line);
        continue;
      }
      line.problems.push(`designator ${d} is on line ${first.line} too`);
      first.problems.push(`designator ${d} is on line ${line.line} too`);
    }
  }
}

function detectFormat(rows: CsvRow[], header: CsvRow): BomFormat {
  const names = header.fields.map((f) => f.trim());
  const preamble = rows.slice(0, rows.indexOf(header)).map((r) => r.fields[0]?.trim() ?? '');
  if (
    preamble.includes('Generator:') ||
    preamble.includes('Collated Components:') ||
    names.includes('Qnty') ||
    names.includes('Reference(s)')
  )
    return 'kicad_grouped_by_value';
  if (names[0] === 'Reference' && names.includes('Qty') && names.includes('Footprint'))
    return 'kicad_fields_table';
  return 'generic';
}

/**
 * The short form of a footprint for a part's name: a KiCad library footprint
 * ("Capacitor_SMD:C_0402_1005Metric") gives its size ("0402") or its package
 * ("Package_TO_SOT_SMD:SOT-23-5" → "SOT-23-5"); anything else is kept as written.
 */
export function footprintSize(footprint: string): string {
  const colon = footprint.indexOf(':');
  if (colon < 0) return footprint.trim();
  const name = footprint.slice(colon + 1).trim();
  const size = /(?:^|_)(\d{4})_\d{4}Metric/i.exec(name);
  if (size) return size[1]!;
  const first = name.split('_')[0]!;
  return /\d/.test(first) ? first : name;
}

/**
 * A readable name for a part made from a BOM line: value, footprint size and MPN, e.g.
 * "100nF 0402 GRM155R61A104KA01D"; a word already in the name is not repeated (an IC whose
 * value is its MPN).
 */
export function bomPartName(value: string, footprint: string, mpn: string): string {
  const words: string[] = [];
  for (const word of [value.trim(), footprintSize(footprint), mpn.trim()]) {
    if (word && !words.some((w) => w.toLowerCase() === word.toLowerCase())) words.push(word);
  }
  return words.join(' ');
}
