import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '../domain/webhook-events.js';

/** A subscription's stored event list (a JSON array); types no longer known are left out. */
export function parseEventList(text: string): WebhookEventType[] {
  const known = new Set<string>(WEBHOOK_EVENT_TYPES);
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed)
    ? parsed.filter((t): t is WebhookEventType => typeof t === 'string' && known.has(t))
    : [];
}
