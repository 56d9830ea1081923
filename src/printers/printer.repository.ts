import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { PrinterTable } from '../db/schema.js';
import { lowerEquals } from '../db/search.js';

export type PrinterRow = Selectable<PrinterTable>;

export async function insertPrinter(db: Database, row: Insertable<PrinterTable>): Promise<void> {
  await db.insertInto('printer').values(row).execute();
}

export async function updatePrinterRow(
  db: Database,
  code: string,
  set: Partial<PrinterRow>,
): Promise<void> {
  await db.updateTable('printer').set(set).where('code', '=', code).execute();
}

export async function findPrinterRow(db: Database, code: string): Promise<PrinterRow | undefined> {
  return db.selectFrom('printer').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findPrinterByName(
  db: Database,
  name: string,
): Promise<PrinterRow | undefined> {
  return db.selectFrom('printer').selectAll().where(lowerEquals('name', name)).executeTakeFirst();
}

export async function listPrinterRows(
  db: Database,
  active: boolean | undefined,
): Promise<PrinterRow[]> {
  let query = db.selectFrom('printer').selectAll();
  if (active !== undefined) query = query.where('active', '=', active ? 1 : 0);
  return query.orderBy('name').execute();
}
