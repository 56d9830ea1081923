import type { Database } from '../../src/db/database.js';
import { listHistory } from '../../src/history/history.repository.js';

/** An object's history events as the change log holds them, oldest first. */
export async function historyRows(db: Database, subjectCode: string) {
  const events = await listHistory(db, subjectCode);
  return events.map((e) => ({
    type: e.type,
    data: e.data,
    actorCode: e.actor.code,
    actorName: e.actor.name,
    at: e.at,
  }));
}
