import { noteEvents } from '../db/change-log.js';
import type { Database } from '../db/database.js';
import { parseJsonText } from '../db/json-text.js';
import type { ChangeRecord } from '../domain/change-record.js';
import type { HistoryEventType } from '../domain/history.js';
import type { Actor } from '../domain/roles.js';

export interface HistoryEvent {
  id: number;
  subjectCode: string;
  type: HistoryEventType;
  data: Record<string, unknown>;
  actor: { code: string | null; name: string };
  at: string;
  /** The change record it belongs to; null for events written before the change log. */
  change: string | null;
}

export interface NewHistoryEvent {
  subjectCode: string;
  type: HistoryEventType;
  data: Record<string, unknown>;
}

/** Adds events to the change record of the caller's transaction (src/db/change-log.ts). */
export async function appendHistory(
  _db: Database,
  actor: Actor,
  at: string,
  events: NewHistoryEvent[],
): Promise<void> {
  noteEvents(
    actor,
    at,
    events.map((e) => ({ subject: e.subjectCode, type: e.type, data: e.data })),
  );
}

/**
 * An object's history events, oldest first: those written before the change log (history_event,
 * which nothing writes any more), then the events of the change records that name it as their
 * subject, in clock order.
 */
export async function listHistory(db: Database, subjectCode: string): Promise<HistoryEvent[]> {
  const [legacy, records] = await Promise.all([
    db
      .selectFrom('history_event')
      .selectAll()
      .where('subject_code', '=', subjectCode)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('change_object as o')
      .innerJoin('change_record as r', 'r.id', 'o.change_id')
      .select(['r.id', 'r.content', 'r.at', 'r.actor_code', 'r.actor_name'])
      .where('o.object_code', '=', subjectCode)
      .orderBy('r.hlc')
      .orderBy('r.site_id')
      .execute(),
  ]);
  const events: HistoryEvent[] = legacy.map((r) => ({
    id: r.id,
    subjectCode: r.subject_code,
    type: r.type,
    data: parseJsonText(r.data),
    actor: { code: r.actor_code, name: r.actor_name },
    at: r.created_at,
    change: null,
  }));
  let id = events.reduce((max, e) => Math.max(max, e.id), 0);
  for (const r of records) {
    const record = JSON.parse(r.content) as Pick<ChangeRecord, 'events'>;
    for (const e of record.events) {
      if (e.subject !== subjectCode) continue;
      events.push({
        id: ++id,
        subjectCode,
        type: e.type,
        data: e.data,
        actor: { code: r.actor_code, name: r.actor_name },
        at: r.at,
        change: r.id,
      });
    }
  }
  return events;
}
