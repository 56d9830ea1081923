import type { Database } from '../db/database.js';
import { newCode } from '../domain/code.js';
import {
  webhookEventsOf,
  webhookPayload,
  type RecordForWebhooks,
} from '../domain/webhook-events.js';
import { insertDeliveries } from './webhook-delivery.repository.js';
import { listSubscribedWebhookRows } from './webhook.repository.js';
import { parseEventList } from './webhook-events-list.js';

/**
 * The outbox (DESIGN.md "Change log"): called by the change log's writer right after it writes a
 * record, in the same transaction, so a delivery exists exactly when its change committed — none
 * lost to a crash after the commit, none sent for a change rolled back; and by sync for the
 * records of other sites it applies (docs/sites.md), so a subscriber hears of what happened at
 * every site. One delivery per event and subscribed subscription; the worker (webhook-worker.ts)
 * sends them after the commit.
 */
export async function enqueueWebhookEvents(
  db: Database,
  records: readonly RecordForWebhooks[],
): Promise<void> {
  const events = records.flatMap((record) =>
    webhookEventsOf(record).map((event) => ({ record, event })),
  );
  if (events.length === 0) return;
  const subscriptions = await listSubscribedWebhookRows(db);
  if (subscriptions.length === 0) return;
  const rows = events.flatMap(({ record, event }) => {
    const eventId = newCode();
    const payload = webhookPayload(eventId, record, event);
    return subscriptions
      .filter((s) => parseEventList(s.events).includes(event.type))
      .map((s) => ({
        webhook_code: s.code,
        event_id: eventId,
        event_type: event.type,
        payload,
        status: 'pending' as const,
        created_at: record.at,
        next_attempt_at: record.at,
      }));
  });
  await insertDeliveries(db, rows);
}
