import { parseCsvRows } from './csv.js';
import { ValidationError } from './errors.js';

/**
 * Receipt files: a CSV of bag lines or order lines, one row per lot to receive, its columns
 * recognised by name or mapped. Pure: the web page previews with it and the CLI reads files
 * with it, so both understand the same columns.
 */

/** What a column of a receipt file can mean. */
export const RECEIVE_FIELDS = [
  'part',
  'supplier',
  'sku',
  'mpn',
  'manufacturer',
  'description',
  'quantity',
  'location',
  'name',
  'vendorLot',
  'dateCode',
  'orderRef',
  'expiry',
  'note',
] as const;
export type ReceiveField = (typeof RECEIVE_FIELDS)[number];

/** Header names (lower case, spaces, dashes and underscores dropped) → field. */
const COLUMN_NAMES: Record<string, ReceiveField> = {
  part: 'part',
  partcode: 'part',
  supplier: 'supplier',
  distributor: 'supplier',
  sku: 'sku',
  supplierpartnumber: 'sku',
  supplierpn: 'sku',
  distributorpartnumber: 'sku',
  digikeypartnumber: 'sku',
  mouserpartnumber: 'sku',
  mouserno: 'sku',
  lcscpart: 'sku',
  lcscpartnumber: 'sku',
  mpn: 'mpn',
  manufacturerpartnumber: 'mpn',
  mfrpartnumber: 'mpn',
  mfrpn: 'mpn',
  mfrno: 'mpn',
  mfrpartno: 'mpn',
  manufacturerpartno: 'mpn',
  manufacturer: 'manufacturer',
  mfr: 'manufacturer',
  description: 'description',
  desc: 'description',
  quantity: 'quantity',
  qty: 'quantity',
  orderqty: 'quantity',
  quantityordered: 'quantity',
  location: 'location',
  name: 'name',
  lotname: 'name',
  vendorlot: 'vendorLot',
  lot: 'vendorLot',
  lotcode: 'vendorLot',
  datecode: 'dateCode',
  order: 'orderRef',
  orderref: 'orderRef',
  ordernumber: 'orderRef',
  po: 'orderRef',
  purchaseorder: 'orderRef',
  expiry: 'expiry',
  note: 'note',
};

export const MAX_RECEIVE_FILE_BYTES = 2 * 1024 * 1024;
/**
 * The most rows one batch receipt takes: a delivery of many bags, scanned or from a file.
 * Larger files go through `tracelot stock receive --file` (lots only, in steps).
 */
export const MAX_RECEIVE_ROWS = 2_000;

export interface ReceiveCsvRow {
  /** The file line (1-based) the record starts on. */
  line: number;
  values: Partial<Record<ReceiveField, string>>;
}

export interface ParsedReceiveCsv {
  /** Which column (as written in the file) each recognised field comes from. */
  columns: Partial<Record<ReceiveField, string>>;
  /** Header columns that mean nothing to a receipt. */
  ignoredColumns: string[];
  rows: ReceiveCsvRow[];
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[\s_\-.#]/g, '');
}

/**
 * Reads a receipt CSV (comma, semicolon or tab; the delimiter that yields the most recognised
 * header columns wins). `mapping` names columns the names above do not cover
 * (`{"Mouser No": "sku"}`), ignoring case. The header needs a quantity column and a part,
 * supplier part number or MPN column.
 * Example: `MPN,Qty,Date code\nLM358BIDDFR,10,2248` → one row `{ mpn, quantity: '10', dateCode }`.
 */
export function parseReceiveCsv(
  text: string,
  mapping: Record<string, string> = {},
  field = 'csv',
): ParsedReceiveCsv {
  const mapped = new Map<string, ReceiveField>();
  for (const [column, to] of Object.entries(mapping)) {
    if (!(RECEIVE_FIELDS as readonly string[]).includes(to))
      throw new ValidationError(`mapping.${column}`, `'${to}' is not a receipt field`);
    mapped.set(column.trim().toLowerCase(), to as ReceiveField);
  }
  const fieldOf = (column: string) =>
    mapped.get(column.trim().toLowerCase()) ?? COLUMN_NAMES[normalize(column)];
  let best: { delimiter: string; score: number } | undefined;
  for (const delimiter of [',', ';', '\t']) {
    const header = parseCsvRows(text.slice(0, text.indexOf('\n') + 1 || undefined), delimiter)
      .rows[0];
    const score = header ? header.fields.filter((c) => fieldOf(c)).length : 0;
    if (!best || score > best.score) best = { delimiter, score };
  }
  const parsed = parseCsvRows(text, best!.delimiter);
  if (parsed.unclosedQuoteLine !== undefined)
    throw new ValidationError(
      field,
      `line ${parsed.unclosedQuoteLine}: a quoted field starts here and is never closed`,
    );
  const [header, ...all] = parsed.rows;
  // Rows of empty cells (a spreadsheet's trailing lines) are no receipts.
  const rows = all.filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (!header) throw new ValidationError(field, 'the file is empty');
  const columns: ParsedReceiveCsv['columns'] = {};
  const ignoredColumns: string[] = [];
  const index = new Map<ReceiveField, number>();
  header.fields.forEach((column, i) => {
    const f = fieldOf(column);
    if (f && !index.has(f)) {
      index.set(f, i);
      columns[f] = column;
    } else if (column.trim()) ignoredColumns.push(column);
  });
  const named = header.fields.map((c) => `'${c}'`).join(', ');
  if (!index.has('quantity'))
    throw new ValidationError(
      field,
      `no quantity column (such as "Quantity" or "Qty") among ${named}: map one`,
    );
  if (!index.has('part') && !index.has('sku') && !index.has('mpn'))
    throw new ValidationError(
      field,
      `no part, supplier part number or MPN column among ${named}: map one`,
    );
  if (rows.length === 0) throw new ValidationError(field, 'the file has no rows below its header');
  if (rows.length > MAX_RECEIVE_ROWS)
    throw new ValidationError(
      field,
      `the file has ${rows.length} rows; at most ${MAX_RECEIVE_ROWS} per receipt: split it`,
    );
  return {
    columns,
    ignoredColumns,
    rows: rows.map((r) => ({
      line: r.line,
      values: Object.fromEntries(
        [...index].map(([f, i]) => [f, (r.fields[i] ?? '').trim()]).filter(([, v]) => v !== ''),
      ) as ReceiveCsvRow['values'],
    })),
  };
}

/** A row of a batch receipt as the API takes it (`POST /stock/receive-batch`). */
export interface ReceiveRowRequest {
  part?: string;
  supplier?: string;
  sku?: string;
  mpn?: string;
  manufacturer?: string;
  description?: string;
  createPart: boolean;
  quantity: string;
  location?: string;
  lot: { name?: string; vendorLot?: string; dateCode?: string; orderRef?: string; expiry?: string };
  note: string;
}

/**
 * The request row for the values of a file row or an edited one: empty values are left out,
 * a decimal comma is read as a point (`2,5` m).
 */
export function receiveRowRequest(
  values: Partial<Record<ReceiveField, string>>,
  createPart: boolean,
): ReceiveRowRequest {
  const v = (f: ReceiveField) => values[f]?.trim() || undefined;
  const defined = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
  return {
    ...defined({
      part: v('part'),
      supplier: v('supplier'),
      sku: v('sku'),
      mpn: v('mpn'),
      manufacturer: v('manufacturer'),
      description: v('description'),
      location: v('location'),
    }),
    createPart,
    quantity: (v('quantity') ?? '').replace(',', '.'),
    lot: defined({
      name: v('name'),
      vendorLot: v('vendorLot'),
      dateCode: v('dateCode'),
      orderRef: v('orderRef'),
      expiry: v('expiry'),
    }),
    note: v('note') ?? '',
  };
}
