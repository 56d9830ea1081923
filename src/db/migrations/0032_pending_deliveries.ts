import { sql, type Kysely } from 'kysely';

// The deliveries not yet made, counted at every metrics scrape (`tracelot_webhook_backlog`):
// delivered ones stay as the log and grow without end, and webhook_delivery_queue leads with
// the subscription, so without this the count reads every delivery ever made.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('webhook_delivery_pending')
    .on('webhook_delivery')
    .column('id')
    .where(sql.ref('status'), '=', sql.lit('pending'))
    .execute();
}
