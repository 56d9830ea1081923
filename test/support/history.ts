import type { Database } from '../../src/db/database.js';

/** What the history_event table holds for one object, oldest first, data parsed. */
export async function historyRows(db: Database, subjectCode: string) {
  const rows = await db
    .selectFrom('history_event')
    .selectAll()
    .where('subject_code', '=', subjectCode)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    type: r.type,
    data: JSON.parse(r.data) as Record<string, unknown>,
    actorCode: r.actor_code,
    actorName: r.actor_name,
    at: r.created_at,
  }));
}
