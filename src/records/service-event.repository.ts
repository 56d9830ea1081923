import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { ServiceEventTable } from '../db/schema.js';
import { registerCodes } from '../resolver/object-code.repository.js';

export type ServiceEventRow = Selectable<ServiceEventTable>;

export async function insertServiceEvent(
  db: Database,
  row: Insertable<ServiceEventTable>,
): Promise<void> {
  await registerCodes(db, 'service_event', [row.code]);
  await db.insertInto('service_event').values(row).execute();
}

/** A unit's service events, oldest first. */
export async function listServiceEventRows(
  db: Database,
  lot: string,
  limit: number,
  offset: number,
): Promise<ServiceEventRow[]> {
  return db
    .selectFrom('service_event')
    .selectAll()
    .where('lot_code', '=', lot)
    .orderBy('created_at')
    .orderBy('code')
    .limit(limit)
    .offset(offset)
    .execute();
}

export async function countServiceEvents(db: Database, lot: string): Promise<number> {
  const row = await db
    .selectFrom('service_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('lot_code', '=', lot)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findServiceEventRow(
  db: Database,
  code: string,
): Promise<ServiceEventRow | undefined> {
  return db.selectFrom('service_event').selectAll().where('code', '=', code).executeTakeFirst();
}
