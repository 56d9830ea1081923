import type { Database } from '../../src/db/database.js';

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
