import { receiveRowRequest, type ReceiveField } from '@domain/receive-csv.js';
import { ApiError } from '../../api/client.js';
import type { BatchRow, PartLookupResult, ScanReceipt } from '../../api/types.js';

/** A part a row is received into, as the page shows it. */
export interface RowPart {
  code: string;
  name: string;
  shortCode: string;
}

/** One row of a batch receipt being prepared: a scanned bag label or a line of a file. */
export interface ReceiveRow {
  /** Stable across edits, for React. */
  id: string;
  values: Partial<Record<ReceiveField, string>>;
  /** The part the server found (or the person chose); null while none. */
  part: RowPart | null;
  /** Several parts match the row: the person picks one. */
  candidates: RowPart[];
  /** No part matches: create one from the row's MPN, description or supplier part number. */
  createPart: boolean;
  /** From a label: kept as the lot's custom field COUNTRY_FIELD. */
  country?: string;
  /** The scanned text, to notice a label scanned twice. */
  scanned?: string;
}

/** What a person reads for each field of a row. */
export const RECEIVE_FIELD_LABELS: Record<ReceiveField, string> = {
  part: 'Part code',
  supplier: 'Supplier',
  sku: 'Supplier part number',
  mpn: 'MPN',
  manufacturer: 'Manufacturer',
  description: 'Description',
  quantity: 'Quantity',
  location: 'Location code',
  name: 'Lot name',
  vendorLot: 'Vendor lot',
  dateCode: 'Date code',
  orderRef: 'Order',
  expiry: 'Expiry',
  note: 'Note',
};

/** The lot custom field a distributor label's country of origin goes to (as on one receipt). */
export const COUNTRY_FIELD = 'Country of origin';

let next = 0;
export function rowId(): string {
  next += 1;
  return `${Date.now().toString(36)}-${next}`;
}

/** A row pre-filled from a scanned bag label (the scan reader already looked the part up). */
export function rowFromReceipt(receipt: ScanReceipt, scanned: string): ReceiveRow {
  return {
    id: rowId(),
    values: {
      supplier: receipt.supplier,
      sku: receipt.supplierPartNumber,
      mpn: receipt.mpn,
      manufacturer: receipt.manufacturer,
      quantity: receipt.quantity,
      vendorLot: receipt.vendorLot,
      dateCode: receipt.dateCode,
      orderRef: receipt.orderReference,
    },
    part: receipt.part ? { ...receipt.part, shortCode: receipt.part.code.slice(0, 8) } : null,
    candidates: [],
    createPart: !receipt.part,
    ...(receipt.countryOfOrigin ? { country: receipt.countryOfOrigin } : {}),
    scanned,
  };
}

/** Rows of a file, their parts looked up in one request (`lookup` answers in row order). */
export function rowsWithLookups(
  values: Partial<Record<ReceiveField, string>>[],
  lookup: PartLookupResult | null,
): ReceiveRow[] {
  return values.map((v, i) => {
    const found = lookup?.items[i];
    return {
      id: rowId(),
      values: v,
      part: found?.part ?? null,
      candidates: found?.candidates ?? [],
      createPart: !v.part && !found?.part && (found?.candidates.length ?? 0) === 0,
    };
  });
}

/** The request row: the part found or chosen, else the row's numbers (and createPart). */
export function toBatchRow(row: ReceiveRow): BatchRow {
  const request = receiveRowRequest(row.values, !row.part && row.createPart);
  const country = row.country?.trim();
  return {
    ...request,
    ...(row.part ? { part: row.part.code } : {}),
    lot: { ...request.lot, ...(country ? { customFields: { [COUNTRY_FIELD]: country } } : {}) },
  };
}

/** The name a row's new part gets (as the server names it). */
export function newPartName(row: ReceiveRow): string {
  return (
    row.values.mpn?.trim() ||
    row.values.description?.trim().slice(0, 200) ||
    row.values.sku?.trim() ||
    ''
  );
}

/** Fields of a request row that are no file columns. */
const FIELD_WORDS: Record<string, string> = {
  partName: 'Name of the new part',
  status: 'Status',
  customFields: 'Country of origin',
};

/** Which row a refused receipt names (`rows.3.quantity` → 3), and the reason in words. */
export function rowError(error: unknown): { row: number; reason: string } | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const match = /^rows\.(\d+)\.?(?:lot\.)?(\w*)/.exec(error.field ?? '');
  if (!match) return undefined;
  const reason = error.message.replace(/^rows\.\d+[^:]*: /, '');
  const label = FIELD_WORDS[match[2]!] ?? RECEIVE_FIELD_LABELS[match[2] as ReceiveField];
  return { row: Number(match[1]), reason: label ? `${label}: ${reason}` : reason };
}
