import type { Insertable, Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import { pageWithTotal } from '../db/paging.js';
import type { ServiceEventTable } from '../db/schema.js';
import { registerCodes } from '../db/object-code.repository.js';

export type ServiceEventRow = Selectable<ServiceEventTable>;

export async function insertServiceEvent(
  db: Database,
  row: Insertable<ServiceEventTable>,
): Promise<void> {
  await registerCodes(db, 'service_event', [row.code]);
  await db.insertInto('service_event').values(row).execute();
}

/** A page of a unit's service events, oldest first, and how many it has. */
export async function pageOfServiceEvents(
  db: Database,
  lot: string,
  paging: { limit: number; offset: number },
): Promise<{ rows: ServiceEventRow[]; total: number }> {
  return pageWithTotal(db.selectFrom('service_event').where('lot_code', '=', lot), (q) =>
    q.selectAll().orderBy('created_at').orderBy('code').limit(paging.limit).offset(paging.offset),
  );
}

export async function findServiceEventRow(
  db: Database,
  code: string,
): Promise<ServiceEventRow | undefined> {
  return db.selectFrom('service_event').selectAll().where('code', '=', code).executeTakeFirst();
}
