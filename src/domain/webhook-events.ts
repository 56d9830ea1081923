import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ChangeEvent, LedgerLine } from './change-record.js';
import type { HistoryEventType } from './history.js';
import { toUnits } from './quantity.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-event-types.js';

export { PING_EVENT, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-event-types.js';

const FROM_HISTORY: Partial<Record<WebhookEventType, HistoryEventType>> = {
  'unit.shipped': 'shipped',
  'unit.returned': 'returned',
  'unit.scrapped': 'unit_scrapped',
  'build.started': 'build_started',
  'stage.completed': 'stage_completed',
  'build.finished': 'build_finished',
  'build.cancelled': 'build_cancelled',
  'test.recorded': 'test_recorded',
  'recall.held': 'recall_held',
  'recall.released': 'recall_released',
};

/** What of a change record the events are made from. */
export interface RecordForWebhooks {
  id: string;
  /** The site that wrote it (GET /api/v1/sites names it). */
  site: string;
  at: string;
  actor: { code: string | null; name: string };
  operation: string;
  events: readonly ChangeEvent[];
  ledger: readonly LedgerLine[];
}

/** An event of a change: its type, the objects it is about, and what the record says of them. */
export interface WebhookEvent {
  type: WebhookEventType;
  subjects: string[];
  data: Record<string, unknown>[];
}

/**
 * The webhook events a change record gives: one per event type, listing every object of that
 * type in the record (a shipment of 500 units is one `unit.shipped`, as it is one record).
 * `test.failed` is a `test_recorded` event with failed results; `stock.received` is the
 * record's receipt ledger lines.
 */
export function webhookEventsOf(record: RecordForWebhooks): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  for (const type of WEBHOOK_EVENT_TYPES) {
    const matching = matchingEvents(record, type);
    if (matching.length > 0)
      events.push({
        type,
        subjects: [...new Set(matching.map((e) => e.subject))],
        data: matching.map((e) => ({ subject: e.subject, ...e.data })),
      });
  }
  const received = record.ledger.filter((line) => line[1] === 'received');
  if (received.length > 0)
    events.push({
      type: 'stock.received',
      subjects: [...new Set(received.map((line) => line[2]))],
      data: received.map(([, , lot, part, location, status, quantity, ref]) => ({
        lot,
        part,
        location,
        status,
        quantity: toUnits(quantity),
        ref,
      })),
    });
  return events;
}

function matchingEvents(record: RecordForWebhooks, type: WebhookEventType): ChangeEvent[] {
  if (type === 'test.failed')
    return record.events.filter(
      (e) => e.type === 'test_recorded' && Number(e.data.failed ?? 0) > 0,
    );
  const historyType = FROM_HISTORY[type];
  return historyType ? record.events.filter((e) => e.type === historyType) : [];
}

/** A delivery's JSON body: the event as a receiver reads it (docs/webhooks.md "Payload"). */
export function webhookPayload(
  eventId: string,
  record: RecordForWebhooks,
  event: WebhookEvent,
): string {
  return JSON.stringify({
    id: eventId,
    type: event.type,
    occurredAt: record.at,
    actor: record.actor,
    record: record.id,
    site: record.site,
    operation: record.operation,
    subjects: event.subjects,
    data: event.data,
  });
}

/**
 * The `Tracelot-Signature` header of a body sent at `unixSeconds`:
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (Stripe's scheme, so receivers
 * know it). The timestamp is signed too: a captured delivery cannot be replayed later unnoticed.
 */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  return `t=${unixSeconds},v1=${hmac(secret, unixSeconds, body)}`;
}

/** Whether a `Tracelot-Signature` header signs `body` with `secret` (what a receiver does). */
export function verifySignature(secret: string, header: string, body: string): boolean {
  const parts = new Map(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1)) return false;
  return timingSafeEqual(Buffer.from(v1, 'hex'), Buffer.from(hmac(secret, t, body), 'hex'));
}

function hmac(secret: string, unixSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
}

/**
 * When to try a delivery again after `attempts` failed tries: `base` doubling, capped at `cap`,
 * jittered down by up to a quarter (so deliveries failed together do not return together).
 */
export function retryDelay(
  attempts: number,
  base: number,
  cap: number,
  random: () => number,
): number {
  const delay = Math.min(cap, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(delay * (1 - random() / 4));
}
