import type { Insertable, Selectable, Updateable } from 'kysely';
import { insertMany } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import { pageWithTotal } from '../db/paging.js';
import type { WebhookDeliveryTable } from '../db/schema.js';

export type DeliveryRow = Selectable<WebhookDeliveryTable>;

/** The outbox's writer: in the transaction of the change its rows tell of (src/webhooks/outbox.ts). */
export async function insertDeliveries(
  db: Database,
  rows: Insertable<WebhookDeliveryTable>[],
): Promise<void> {
  await insertMany(db, 'webhook_delivery', rows);
}

/** One delivery queued by hand (a replay, a test event); its id. */
export async function insertDelivery(
  db: Database,
  row: Insertable<WebhookDeliveryTable>,
): Promise<number> {
  const { id } = await db
    .insertInto('webhook_delivery')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(id);
}

export async function findDeliveryRow(db: Database, id: number): Promise<DeliveryRow | undefined> {
  return db.selectFrom('webhook_delivery').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A subscription's deliveries, newest first, and how many it has. */
export async function pageDeliveryRows(
  db: Database,
  webhook: string,
  limit: number,
  offset: number,
): Promise<{ rows: DeliveryRow[]; total: number }> {
  return pageWithTotal(db.selectFrom('webhook_delivery').where('webhook_code', '=', webhook), (q) =>
    q.selectAll().orderBy('id', 'desc').limit(limit).offset(offset),
  );
}

/**
 * The deliveries to send now: of each subscription that is neither paused nor deleted, its
 * oldest pending delivery, when it is due and no worker holds it. Only the oldest: a receiver
 * gets its events in order, never event n+1 while n waits for a retry. Both queries are index
 * lookups (the subscriptions are few; webhook_delivery_queue finds each one's oldest).
 */
export async function dueDeliveryRows(db: Database, now: string): Promise<DeliveryRow[]> {
  const heads = await db
    .selectFrom('webhook as w')
    .select((eb) =>
      eb
        .selectFrom('webhook_delivery as d')
        .select((e) => e.fn.min('d.id').as('id'))
        .whereRef('d.webhook_code', '=', 'w.code')
        .where('d.status', '=', 'pending')
        .as('head'),
    )
    .where('w.paused_at', 'is', null)
    .where('w.archived_at', 'is', null)
    .execute();
  const ids = heads.map((h) => h.head).filter((id): id is number => id !== null);
  if (ids.length === 0) return [];
  return db
    .selectFrom('webhook_delivery')
    .selectAll()
    .where('id', 'in', ids.map(Number))
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .orderBy('id')
    .execute();
}

/**
 * Takes a due delivery for one worker until `until`: a guarded update, so of two servers on one
 * database that both found it due, exactly one gets it (the other sees no row changed).
 */
export async function claimDelivery(
  db: Database,
  id: number,
  now: string,
  until: string,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_delivery')
    .set({ claimed_until: until })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** What an attempt came to; releases the worker's hold. */
export async function recordAttempt(
  db: Database,
  id: number,
  changes: Updateable<WebhookDeliveryTable>,
): Promise<void> {
  await db
    .updateTable('webhook_delivery')
    .set({ ...changes, claimed_until: null })
    .where('id', '=', id)
    .execute();
}

/** Deliveries not yet made: pending ones (due, waiting for a retry, or behind a pause). */
export async function countPendingDeliveries(db: Database): Promise<number> {
  const row = await db
    .selectFrom('webhook_delivery')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
