import { insertMany } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import { parseJsonText, toJsonText } from '../db/json-text.js';
import type { HistoryEventType } from '../domain/history.js';
import type { Actor } from '../domain/roles.js';

export interface HistoryEvent {
  id: number;
  subjectCode: string;
  type: HistoryEventType;
  data: Record<string, unknown>;
  actor: { code: string | null; name: string };
  at: string;
}

export interface NewHistoryEvent {
  subjectCode: string;
  type: HistoryEventType;
  data: Record<string, unknown>;
}

export async function appendHistory(
  db: Database,
  actor: Actor,
  at: string,
  events: NewHistoryEvent[],
): Promise<void> {
  await insertMany(
    db,
    'history_event',
    events.map((e) => ({
      subject_code: e.subjectCode,
      type: e.type,
      data: toJsonText(e.data),
      actor_code: actor.code,
      actor_name: actor.name,
      created_at: at,
    })),
  );
}

export async function listHistory(db: Database, subjectCode: string): Promise<HistoryEvent[]> {
  const rows = await db
    .selectFrom('history_event')
    .selectAll()
    .where('subject_code', '=', subjectCode)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    subjectCode: r.subject_code,
    type: r.type,
    data: parseJsonText(r.data),
    actor: { code: r.actor_code, name: r.actor_name },
    at: r.created_at,
  }));
}
