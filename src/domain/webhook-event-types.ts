// Kept apart from webhook-events.ts (which needs node:crypto), so the web app imports it too.

/**
 * Webhook event types (docs/webhooks.md): stable strings, never renamed once released. Each is
 * read from a change record — its history events of one type, or its ledger lines of one type.
 */
export const WEBHOOK_EVENT_TYPES = [
  'unit.shipped',
  'unit.returned',
  'unit.scrapped',
  'build.started',
  'stage.completed',
  'build.finished',
  'build.cancelled',
  'test.recorded',
  'test.failed',
  'recall.held',
  'recall.released',
  'stock.received',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by "send a test event" only; no subscription lists it. */
export const PING_EVENT = 'ping';
