import type { Database } from './database.js';

/**
 * Code → name of the named objects among `codes`, for one table. Called only by the repository
 * that owns the table (partNames, locationNames, projectNames), so each table keeps one owner.
 */
export async function namesByCode(
  db: Database,
  table: 'part' | 'location' | 'project',
  codes: string[],
) {
  if (codes.length === 0) return new Map<string, string>();
  const rows = await db
    .selectFrom(table)
    .select(['code', 'name'])
    .where('code', 'in', codes)
    .execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}
