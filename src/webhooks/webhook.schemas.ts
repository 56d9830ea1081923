import { z } from 'zod';
import { page } from '../domain/common.schemas.js';
import { PING_EVENT, WEBHOOK_EVENT_TYPES } from '../domain/webhook-event-types.js';

/** Most subscriptions not deleted at once: each change is offered to each of them. */
export const MAX_WEBHOOKS = 50;

const Url = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(2000)
  .describe('where deliveries are POSTed: an http:// or https:// URL');

const Events = z
  .array(z.enum(WEBHOOK_EVENT_TYPES))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length)
  .describe(`event types to receive: ${WEBHOOK_EVENT_TYPES.join(', ')}`);

export const WebhookCreate = z.strictObject({
  url: Url,
  events: Events,
  secret: z
    .string()
    .min(16)
    .max(200)
    .optional()
    .describe('signs the deliveries; made for you when left out. Shown only in this answer'),
  description: z.string().trim().max(500).default(''),
});
export type WebhookCreate = z.input<typeof WebhookCreate>;

export const WebhookUpdate = z.strictObject({
  url: Url.optional(),
  events: Events.optional(),
  description: z.string().trim().max(500).optional(),
});
export type WebhookUpdate = z.input<typeof WebhookUpdate>;

export const Webhook = z.object({
  code: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  status: z
    .enum(['active', 'paused', 'deleted'])
    .describe('paused: nothing is sent (its events wait) until an admin resumes it'),
  createdAt: z.string(),
  pausedAt: z.string().nullable(),
  pauseReason: z.string().nullable(),
  deletedAt: z.string().nullable(),
});
export type Webhook = z.infer<typeof Webhook>;

export const WebhookList = z.object({ items: z.array(Webhook) });
export type WebhookList = z.infer<typeof WebhookList>;

export const WebhookCreated = z.object({
  webhook: Webhook,
  secret: z.string().describe('shown only this once: keep it where the receiver verifies'),
});
export type WebhookCreated = z.infer<typeof WebhookCreated>;

export const Delivery = z.object({
  id: z.number().int().describe('sent as the Tracelot-Delivery header'),
  webhook: z.string(),
  eventId: z.string().describe('the event’s id: a replay sends it again under a new delivery'),
  eventType: z.string().describe(`an event type, or ${PING_EVENT} for a test event`),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable().describe('when it is tried next, while pending'),
  lastAttemptAt: z.string().nullable(),
  lastStatus: z.number().int().nullable().describe('the receiver’s HTTP status'),
  lastResponse: z.string().nullable().describe('the first 500 characters of its answer'),
  lastError: z.string().nullable().describe('why the last attempt failed'),
  deliveredAt: z.string().nullable(),
  replayOf: z.number().int().nullable(),
  payload: z.record(z.string(), z.unknown()).describe('the JSON body sent'),
});
export type Delivery = z.infer<typeof Delivery>;

export const DeliveryPage = page(Delivery);
export type DeliveryPage = z.infer<typeof DeliveryPage>;

export const DeliveryParams = z.object({ id: z.coerce.number().int().min(1) });
