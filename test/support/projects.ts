import type { Database } from '../../src/db/database.js';

const TABLES = [
  'project',
  'bom_entry',
  'part',
  'object_code',
  'object_tag',
  'object_field',
  'history_event',
] as const;

/** Rows per table a project change may touch: a fingerprint to show a refused request changed nothing. */
export async function projectTableCounts(
  db: Database,
): Promise<Record<(typeof TABLES)[number], number>> {
  const out = {} as Record<(typeof TABLES)[number], number>;
  for (const table of TABLES) {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** The stored rows of a project's BOM, in position order (what builds read). */
export async function bomRows(db: Database, projectCode: string) {
  const rows = await db
    .selectFrom('bom_entry')
    .selectAll()
    .where('project_code', '=', projectCode)
    .orderBy('position')
    .execute();
  return rows.map(({ id: _id, project_code: _p, ...rest }) => ({
    ...rest,
    quantity: Number(rest.quantity),
    attrition_ppm: Number(rest.attrition_ppm),
    attrition_fixed: Number(rest.attrition_fixed),
  }));
}
