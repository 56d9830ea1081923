import { inChunks } from '../db/bulk.js';
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

/** An object's history events, oldest first (see listHistoryOf). */
export async function listHistory(db: Database, subjectCode: string): Promise<HistoryEvent[]> {
  return listHistoryOf(db, [subjectCode]);
}

/**
 * The history events of objects, oldest first per object: those written before the change log
 * (history_event, which nothing writes any more), then the events of the change records that
 * name them as their subject, in clock order. `types`: only events of these types, read from
 * the records whose operation is one of them (a record's operation is its first event's type,
 * a signature's is `signed`), so a view of a few kinds of event does not read all history.
 */
export async function listHistoryOf(
  db: Database,
  subjects: readonly string[],
  types?: readonly HistoryEventType[],
): Promise<HistoryEvent[]> {
  const wanted = new Set(subjects);
  const [legacy, records] = await Promise.all([
    inChunks(subjects, (chunk) =>
      db
        .selectFrom('history_event')
        .selectAll()
        .where('subject_code', 'in', chunk)
        .$if(types !== undefined, (q) => q.where('type', 'in', types!))
        .orderBy('id')
        .execute(),
    ),
    inChunks(subjects, (chunk) =>
      db
        .selectFrom('change_object as o')
        .innerJoin('change_record as r', 'r.id', 'o.change_id')
        .select(['r.id', 'r.content', 'r.at', 'r.hlc', 'r.site_id', 'r.actor_code', 'r.actor_name'])
        .where('o.object_code', 'in', chunk)
        .$if(types !== undefined, (q) => q.where('r.operation', 'in', types!))
        .execute(),
    ),
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
  // One record may touch several of the subjects: read it once, in clock order.
  const unique = [...new Map(records.map((r) => [r.id, r])).values()].sort((a, b) =>
    a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.site_id < b.site_id ? -1 : 1,
  );
  for (const r of unique) {
    const record = JSON.parse(r.content) as Pick<ChangeRecord, 'events'>;
    for (const e of record.events) {
      if (!wanted.has(e.subject) || (types && !types.includes(e.type))) continue;
      events.push({
        id: ++id,
        subjectCode: e.subject,
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
