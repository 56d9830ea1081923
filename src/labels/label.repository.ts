import type { Insertable, Selectable } from 'kysely';
import { inChunks } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import type { LabelTemplateTable } from '../db/schema.js';
import { lowerEquals } from '../db/search.js';
import { registerCodes } from '../db/object-code.repository.js';

export type LabelTemplateRow = Selectable<LabelTemplateTable>;

export async function insertLabelTemplate(
  db: Database,
  row: Insertable<LabelTemplateTable>,
): Promise<void> {
  await registerCodes(db, 'label_template', [row.code]);
  await db.insertInto('label_template').values(row).execute();
}

export async function updateLabelTemplateRow(
  db: Database,
  code: string,
  set: Partial<LabelTemplateRow>,
): Promise<void> {
  await db.updateTable('label_template').set(set).where('code', '=', code).execute();
}

export async function findLabelTemplateRow(
  db: Database,
  code: string,
): Promise<LabelTemplateRow | undefined> {
  return db.selectFrom('label_template').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findLabelTemplateByName(
  db: Database,
  name: string,
): Promise<LabelTemplateRow | undefined> {
  return db
    .selectFrom('label_template')
    .selectAll()
    .where(lowerEquals('name', name))
    .executeTakeFirst();
}

export async function listLabelTemplateRows(
  db: Database,
  archived: boolean | undefined,
): Promise<LabelTemplateRow[]> {
  let query = db.selectFrom('label_template').selectAll();
  if (archived !== undefined) query = query.where('archived', '=', archived ? 1 : 0);
  return query.orderBy('name').execute();
}

/** What a unit's or lot's label shows, read for many lots at once. */
export interface LotLabelRow {
  code: string;
  name: string;
  expiry: string | null;
  created_at: string;
  build_code: string | null;
  build_serial: number | null;
  part_name: string;
  mpn: string;
  gtin: string | null;
}

export async function lotLabelRows(db: Database, codes: string[]): Promise<LotLabelRow[]> {
  return inChunks(codes, (chunk) =>
    db
      .selectFrom('lot as l')
      .innerJoin('part as p', 'p.code', 'l.part_code')
      .select([
        'l.code',
        'l.name',
        'l.expiry',
        'l.created_at',
        'l.build_code',
        'l.build_serial',
        'p.name as part_name',
        'p.mpn',
        'p.gtin',
      ])
      .where('l.code', 'in', chunk)
      .execute(),
  );
}
