import { sql } from 'kysely';
import type { Database } from '../db/database.js';
import type { ObjectKind } from './resolve.schemas.js';

export interface CodeMatch {
  kind: ObjectKind;
  code: string;
  name: string;
}

/**
 * Objects of every kind whose code lies in [from, to): one statement, an index range per
 * table (a full code is the range [code, code + '0')). At most `limit` per kind.
 */
export async function findCodesInRange(
  db: Database,
  from: string,
  to: string,
  limit: number,
): Promise<CodeMatch[]> {
  const parts = db
    .selectFrom('part')
    .select([sql<ObjectKind>`'part'`.as('kind'), 'code', 'name'])
    .where('code', '>=', from)
    .where('code', '<', to)
    .limit(limit);
  const locations = db
    .selectFrom('location')
    .select([sql<ObjectKind>`'location'`.as('kind'), 'code', 'name'])
    .where('code', '>=', from)
    .where('code', '<', to)
    .limit(limit);
  const lots = db
    .selectFrom('lot')
    .innerJoin('part', 'part.code', 'lot.part_code')
    .select([
      sql<ObjectKind>`'lot'`.as('kind'),
      'lot.code',
      sql<string>`case when lot.name = '' then part.name else lot.name end`.as('name'),
    ])
    .where('lot.code', '>=', from)
    .where('lot.code', '<', to)
    .limit(limit);
  // Each branch is wrapped so that its LIMIT applies to it alone (SQLite allows no LIMIT
  // on the members of a compound select).
  return db
    .selectFrom(parts.as('p'))
    .selectAll()
    .unionAll(db.selectFrom(locations.as('l')).selectAll())
    .unionAll(db.selectFrom(lots.as('t')).selectAll())
    .execute();
}
