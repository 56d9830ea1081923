import type { Database } from '../../src/db/database.js';

/** The stored rows of a project's BOM, in position order (what builds read). */
export async function bomRows(db: Database, projectCode: string) {
  const rows = await db
    .selectFrom('bom_entry')
    .selectAll()
    .where('project_code', '=', projectCode)
    .orderBy('position')
    .execute();
  // The row's own values: not its id, nor its version for sync (change_id, uid).
  return rows.map(({ id: _id, project_code: _p, change_id: _c, uid: _u, ...rest }) => ({
    ...rest,
    quantity: Number(rest.quantity),
    attrition_ppm: Number(rest.attrition_ppm),
    attrition_fixed: Number(rest.attrition_fixed),
  }));
}
