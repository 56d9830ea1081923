import { now, withDb, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { mapUniqueViolation } from '../db/errors.js';
import { getByNameOrCode } from '../db/names.js';
import { findLocalSiteRow } from '../db/site.repository.js';
import { shortCode } from '../domain/code.js';
import { ConflictError } from '../domain/errors.js';
import { normalizePrinterAddress } from '../domain/printer.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { applyEdit } from '../history/apply-edit.js';
import { appendHistory } from '../history/history.repository.js';
import {
  findPrinterByName,
  findPrinterRow,
  insertPrinter,
  listPrinterRows,
  updatePrinterRow,
  type PrinterRow,
} from './printer.repository.js';
import { PrinterCreate, PrinterQuery, PrinterUpdate, type Printer } from './printer.schemas.js';

/** Adds a printer of this site (logged: `created`). */
export async function createPrinter(
  ctx: Context,
  actor: Actor,
  input: PrinterCreate,
): Promise<Printer> {
  const { name, kind, address, dpi } = parseInput(PrinterCreate, input);
  const stored = normalizePrinterAddress(kind, address);
  const code = ctx.newCode();
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    if (await findPrinterByName(db, name)) throw nameTaken(name);
    const site = await findLocalSiteRow(db);
    const row = { code, name, site_id: site.id, kind, address: stored, dpi, active: 1 };
    await mapUniqueViolation(
      insertPrinter(db, { ...row, created_at: at, updated_at: at }),
      'printer_name',
      () => nameTaken(name),
    );
    await appendHistory(db, actor, at, [{ subjectCode: code, type: 'created', data: row }]);
  });
  return getPrinter(ctx, code);
}

const nameTaken = (name: string) =>
  new ConflictError(`a printer named '${name}' exists already`, 'name');

/** By name (any case) or code; throws NotFoundError naming `field`. */
export async function getPrinterRow(
  ctx: Context,
  ref: string,
  field = 'printer',
): Promise<PrinterRow> {
  return getByNameOrCode(
    ref,
    field,
    'printer',
    (name) => findPrinterByName(ctx.db, name),
    (code) => findPrinterRow(ctx.db, code),
  );
}

export async function getPrinter(ctx: Context, ref: string): Promise<Printer> {
  return toPrinter(await getPrinterRow(ctx, ref, 'code'));
}

export async function listPrinters(
  ctx: Context,
  query: { active?: 'true' | 'false' | 'any' },
): Promise<Printer[]> {
  const { active } = parseInput(PrinterQuery, query);
  const rows = await listPrinterRows(ctx.db, active === 'any' ? undefined : active === 'true');
  return rows.map(toPrinter);
}

/** Renames, readdresses or (de)activates a printer (logged: `updated`). */
export async function updatePrinter(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: PrinterUpdate,
): Promise<Printer> {
  const { name, address, dpi, active } = parseInput(PrinterUpdate, input);
  const code = await inTransaction(ctx.db, async (db) => {
    const row = await getPrinterRow(withDb(ctx, db), ref, 'code');
    if (name !== undefined && name.toLowerCase() !== row.name.toLowerCase()) {
      if (await findPrinterByName(db, name)) throw nameTaken(name);
    }
    const columns = {
      name,
      address: address === undefined ? undefined : normalizePrinterAddress(row.kind, address),
      dpi,
      active: active === undefined ? undefined : active ? 1 : 0,
    };
    await applyEdit(db, actor, now(ctx), row, { columns, attributes: {} }, (set) =>
      mapUniqueViolation(updatePrinterRow(db, row.code, set), 'printer_name', () =>
        nameTaken(name ?? ''),
      ),
    );
    return row.code;
  });
  return getPrinter(ctx, code);
}

function toPrinter(row: PrinterRow): Printer {
  return {
    code: row.code,
    shortCode: shortCode(row.code),
    name: row.name,
    siteId: row.site_id,
    kind: row.kind,
    address: row.address,
    dpi: row.dpi,
    active: row.active === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
