import type { Kysely } from 'kysely';
import { codeType, serialType } from './helpers.js';

// Webhooks (docs/webhooks.md): subscriptions, managed by admins (logged changes), and their
// outbox of deliveries, written in the transaction of the change they tell of (src/webhooks/).
// The deliveries are operational state: the worker's attempts are not changes of the record.
export async function up(db: Kysely<unknown>): Promise<void> {
  const code = codeType(db);
  await db.schema
    .createTable('webhook')
    .addColumn('code', code, (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('paused_at', 'text')
    .addColumn('pause_reason', 'text')
    .addColumn('archived_at', 'text')
    .execute();
  await db.schema
    .createTable('webhook_delivery')
    .addColumn('id', serialType(db), (c) => c.primaryKey())
    .addColumn('webhook_code', code, (c) => c.notNull().references('webhook.code'))
    .addColumn('event_id', code, (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('first_attempt_at', 'text')
    .addColumn('last_attempt_at', 'text')
    .addColumn('claimed_until', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_response', 'text')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('replay_of', 'integer')
    .execute();
  // The worker's question: each subscription's oldest pending delivery.
  await db.schema
    .createIndex('webhook_delivery_queue')
    .on('webhook_delivery')
    .columns(['webhook_code', 'status', 'id'])
    .execute();
}
