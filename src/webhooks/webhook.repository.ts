import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Database } from '../db/database.js';
import type { WebhookTable } from '../db/schema.js';

export type WebhookRow = Selectable<WebhookTable>;

export async function insertWebhook(db: Database, row: Insertable<WebhookTable>): Promise<void> {
  await db.insertInto('webhook').values(row).execute();
}

export async function findWebhookRow(db: Database, code: string): Promise<WebhookRow | undefined> {
  return db.selectFrom('webhook').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Every subscription, deleted ones last, each group oldest first. */
export async function listWebhookRows(db: Database): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhook')
    .selectAll()
    .orderBy('archived_at', (o) => o.nullsFirst())
    .orderBy('created_at')
    .orderBy('code')
    .execute();
}

/** Subscriptions that get new events: not deleted (a paused one queues them until resumed). */
export async function listSubscribedWebhookRows(
  db: Database,
): Promise<Pick<WebhookRow, 'code' | 'events'>[]> {
  return db
    .selectFrom('webhook')
    .select(['code', 'events'])
    .where('archived_at', 'is', null)
    .orderBy('code')
    .execute();
}

export async function countActiveWebhooks(db: Database): Promise<number> {
  const row = await db
    .selectFrom('webhook')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('archived_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function updateWebhookRow(
  db: Database,
  code: string,
  changes: Updateable<WebhookTable>,
): Promise<void> {
  await db.updateTable('webhook').set(changes).where('code', '=', code).execute();
}

/** Pauses a subscription that is not paused yet; false when it was (another server paused it). */
export async function pauseWebhookRow(
  db: Database,
  code: string,
  at: string,
  reason: string,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook')
    .set({ paused_at: at, pause_reason: reason })
    .where('code', '=', code)
    .where('paused_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
