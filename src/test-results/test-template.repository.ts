import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Database } from '../db/database.js';
import type { TestTemplateTable } from '../db/schema.js';
import { registerCodes } from '../db/object-code.repository.js';

export type TestTemplateRow = Selectable<TestTemplateTable>;

export async function insertTemplate(
  db: Database,
  row: Insertable<TestTemplateTable>,
): Promise<void> {
  await registerCodes(db, 'test_template', [row.code]);
  await db.insertInto('test_template').values(row).execute();
}

export async function findTemplateRow(
  db: Database,
  code: string,
): Promise<TestTemplateRow | undefined> {
  return db.selectFrom('test_template').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function findTemplateByKey(
  db: Database,
  partCode: string,
  key: string,
): Promise<TestTemplateRow | undefined> {
  return db
    .selectFrom('test_template')
    .selectAll()
    .where('part_code', '=', partCode)
    .where('key', '=', key)
    .executeTakeFirst();
}

export async function listTemplateRows(
  db: Database,
  partCodes: string[],
  options: { disabled: boolean },
): Promise<TestTemplateRow[]> {
  if (partCodes.length === 0) return [];
  let query = db.selectFrom('test_template').selectAll().where('part_code', 'in', partCodes);
  if (!options.disabled) query = query.where('enabled', '=', 1);
  return query.orderBy('part_code').orderBy('position').orderBy('key').execute();
}

export async function countTemplates(db: Database, partCode: string): Promise<number> {
  const row = await db
    .selectFrom('test_template')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('part_code', '=', partCode)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function lastPosition(db: Database, partCode: string): Promise<number> {
  const row = await db
    .selectFrom('test_template')
    .select((eb) => eb.fn.max<number | null>('position').as('last'))
    .where('part_code', '=', partCode)
    .executeTakeFirst();
  return Number(row?.last ?? 0);
}

export async function updateTemplateRow(
  db: Database,
  code: string,
  changes: Updateable<TestTemplateTable>,
): Promise<void> {
  await db.updateTable('test_template').set(changes).where('code', '=', code).execute();
}
