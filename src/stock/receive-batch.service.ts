import { now, withDb, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { mapUniqueViolation } from '../db/errors.js';
import { parseCode, shortCode } from '../domain/code.js';
import { ConflictError, NotFoundError, TracelotError, ValidationError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { insertParts, insertSupplierParts } from '../parts/part.repository.js';
import { matchParts } from '../parts/part-lookup.service.js';
import {
  BatchReceiveRequest,
  type BatchReceiveResult,
  type BatchRow,
} from './receive-batch.schemas.js';
import type { ReceiveItem } from './stock.schemas.js';
import { receiveStock } from './stock.service.js';

type Row = ReturnType<typeof parseRequest>['rows'][number];

/** A part this receipt creates, and the rows that go into it. */
interface NewPart {
  code: string;
  name: string;
  mpn: string;
  manufacturer: string;
  description: string;
  supplier: { supplier: string; sku: string } | undefined;
  rows: number[];
}

function parseRequest(input: BatchReceiveRequest) {
  return parseInput(BatchReceiveRequest, input);
}

/**
 * Receives many rows at once — scanned bag labels or the lines of a file — each becoming a new
 * lot: the part named by code, else found by supplier part number then MPN (as a scanned label
 * finds it), else created from the row when it asks so. Parts and lots are written in one
 * transaction of multi-row statements: one bad row refuses the whole receipt, naming the row.
 */
export async function receiveBatch(
  ctx: Context,
  actor: Actor,
  input: BatchReceiveRequest,
): Promise<BatchReceiveResult> {
  const data = parseRequest(input);
  const at = now(ctx);
  const rows = data.rows.map((row, i) => ({
    ...row,
    part: row.part ? parseCode(row.part, `rows.${i}.part`) : undefined,
    location: checkLocation(row, i, data.location),
  }));
  return inTransaction(ctx.db, async (db) => {
    const matches = await matchParts(db, rows);
    const created = new Map<string, NewPart>();
    const partOf = rows.map((row, i) => {
      const match = matches[i]!;
      if (match.part) return match.part.code;
      if (row.part) throw new NotFoundError('part', row.part, `rows.${i}.part`);
      if (match.candidates.length > 0) {
        const names = match.candidates.map((c) => `${c.name} (${shortCode(c.code)})`).join(', ');
        throw new ConflictError(
          `${describeKey(row)} matches ${match.candidates.length} parts (${names}): give the part code`,
          `rows.${i}.part`,
        );
      }
      if (!row.createPart) {
        throw new ValidationError(
          `rows.${i}.part`,
          `no part has ${describeKey(row)}: choose a part, or create it from the row (createPart)`,
        );
      }
      return newPartFor(ctx, created, row, i).code;
    });
    await createParts(db, actor, at, [...created.values()]);
    const items: ReceiveItem[] = rows.map((row, i) => ({
      part: partOf[i]!,
      location: row.location,
      quantity: row.quantity,
      status: row.status,
      lot: row.lot,
      note: row.note,
    }));
    const received = await receiveStock(withDb(ctx, db), actor, items).catch((error: unknown) => {
      throw renamedItems(error);
    });
    return {
      operation: received.operation,
      lots: received.lots.map((lot, row) => ({ ...lot, row })),
      createdParts: [...created.values()].map((p) => ({
        code: p.code,
        shortCode: shortCode(p.code),
        name: p.name,
        mpn: p.mpn,
        rows: p.rows,
      })),
    };
  });
}

function checkLocation(row: BatchRow, i: number, fallback: string | undefined): string {
  const location = row.location || fallback;
  if (!location)
    throw new ValidationError(
      `rows.${i}.location`,
      'is required (or give one location for all rows)',
    );
  return location;
}

function describeKey(row: Pick<Row, 'supplier' | 'sku' | 'mpn'>): string {
  const keys = [
    row.sku && `${row.supplier ? `${row.supplier} ` : 'supplier '}part number '${row.sku}'`,
    row.mpn && `MPN '${row.mpn}'`,
  ].filter(Boolean);
  return keys.length ? keys.join(' or ') : 'no part code, supplier part number or MPN';
}

/**
 * The part a row creates. Rows with the same supplier part number, or else the same MPN, share
 * one new part: ten bags of one reel type make one part, not ten.
 */
function newPartFor(ctx: Context, created: Map<string, NewPart>, row: Row, i: number): NewPart {
  const key = row.sku
    ? `sku\n${(row.supplier ?? '').toLowerCase()}\n${row.sku}`
    : row.mpn
      ? `mpn\n${row.mpn.toLowerCase()}`
      : undefined;
  const existing = key && created.get(key);
  if (existing) {
    existing.rows.push(i);
    return existing;
  }
  const name = row.partName ?? (row.mpn || row.description?.trim().slice(0, 200) || row.sku);
  if (!name)
    throw new ValidationError(
      `rows.${i}.partName`,
      'is required to create a part from a row without MPN, description or supplier part number',
    );
  if (row.sku && !row.supplier)
    throw new ValidationError(
      `rows.${i}.supplier`,
      `is required to record the part number '${row.sku}' on the new part (Digi-Key, Mouser, LCSC, …)`,
    );
  const part: NewPart = {
    code: ctx.newCode(),
    name,
    mpn: row.mpn ?? '',
    manufacturer: row.manufacturer ?? '',
    description: row.description ?? '',
    supplier: row.sku && row.supplier ? { supplier: row.supplier, sku: row.sku } : undefined,
    rows: [i],
  };
  created.set(key ?? `row\n${i}`, part);
  return part;
}

async function createParts(
  db: Database,
  actor: Actor,
  at: string,
  parts: NewPart[],
): Promise<void> {
  if (parts.length === 0) return;
  await insertParts(
    db,
    parts.map((p) => ({
      code: p.code,
      name: p.name,
      description: p.description,
      manufacturer: p.manufacturer,
      mpn: p.mpn,
      kind: 'component',
      unit: 'pcs',
      gtin: null,
      archived: 0,
      created_at: at,
      updated_at: at,
    })),
  );
  const suppliers = parts.flatMap((p) =>
    p.supplier ? [{ part_code: p.code, ...p.supplier, created_at: at }] : [],
  );
  // Another request may have listed the number on a part since the lookup.
  await mapUniqueViolation(
    insertSupplierParts(db, suppliers),
    'supplier_part_unique',
    () =>
      new ConflictError(
        'another part took one of these supplier part numbers; receive again',
        'rows',
      ),
  );
  await appendHistory(
    db,
    actor,
    at,
    parts.map((p) => ({
      subjectCode: p.code,
      type: 'created' as const,
      data: { name: p.name, source: 'receive' },
    })),
  );
}

/** receiveStock names `items.3.quantity`; this receipt's caller knows the rows. */
function renamedItems(error: unknown): unknown {
  if (!(error instanceof TracelotError) || !error.field?.startsWith('items.')) return error;
  const field = `rows.${error.field.slice('items.'.length)}`;
  if (error instanceof NotFoundError) return new NotFoundError('', '', field, error.reason);
  if (error instanceof ConflictError) return new ConflictError(error.reason, field);
  return new ValidationError(field, error.reason);
}
