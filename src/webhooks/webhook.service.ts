import { randomSecret } from '../auth/secrets.js';
import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { parseCode } from '../domain/code.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { PING_EVENT } from '../domain/webhook-events.js';
import { appendHistory } from '../history/history.repository.js';
import {
  countPendingDeliveries,
  findDeliveryRow,
  insertDelivery,
  pageDeliveryRows,
  type DeliveryRow,
} from './webhook-delivery.repository.js';
import { parseEventList } from './webhook-events-list.js';
import {
  countActiveWebhooks,
  findWebhookRow,
  insertWebhook,
  listWebhookRows,
  pauseWebhookRow,
  updateWebhookRow,
  type WebhookRow,
} from './webhook.repository.js';
import {
  MAX_WEBHOOKS,
  WebhookCreate,
  WebhookUpdate,
  type Delivery,
  type DeliveryPage,
  type Webhook,
  type WebhookCreated,
  type WebhookList,
} from './webhook.schemas.js';

/** Who pauses a subscription whose deliveries failed for a day. */
export const WEBHOOK_WORKER: Actor = { code: null, name: 'webhooks', role: 'admin' };

/** Subscribes a URL to event types; the secret is returned only here (it is needed to sign). */
export async function createWebhook(
  ctx: Context,
  actor: Actor,
  input: WebhookCreate,
): Promise<WebhookCreated> {
  const data = parseInput(WebhookCreate, input);
  const secret = data.secret ?? `whsec_${randomSecret(32)}`;
  const code = ctx.newCode();
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    if ((await countActiveWebhooks(db)) >= MAX_WEBHOOKS)
      throw new ConflictError(`at most ${MAX_WEBHOOKS} webhooks; delete one first`, 'url');
    await insertWebhook(db, {
      code,
      url: data.url,
      events: JSON.stringify(data.events),
      secret,
      description: data.description,
      created_at: at,
      paused_at: null,
      pause_reason: null,
      archived_at: null,
    });
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'created', data: { url: data.url, events: data.events } },
    ]);
  });
  return { webhook: await getWebhook(ctx, code), secret };
}

export async function listWebhooks(ctx: Context): Promise<WebhookList> {
  return { items: (await listWebhookRows(ctx.db)).map(toWebhook) };
}

export async function getWebhook(ctx: Context, ref: string): Promise<Webhook> {
  return toWebhook(await webhookRow(ctx, ref));
}

/** Changes the URL, events or description (logged, with what they were). */
export async function updateWebhook(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: WebhookUpdate,
): Promise<Webhook> {
  const data = parseInput(WebhookUpdate, input);
  const row = await liveWebhookRow(ctx, ref);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  if (data.url !== undefined && data.url !== row.url) changes.url = { from: row.url, to: data.url };
  const events = parseEventList(row.events);
  if (data.events !== undefined && JSON.stringify(data.events) !== JSON.stringify(events))
    changes.events = { from: events, to: data.events };
  if (data.description !== undefined && data.description !== row.description)
    changes.description = { from: row.description, to: data.description };
  if (Object.keys(changes).length > 0) {
    const at = now(ctx);
    await inTransaction(ctx.db, async (db) => {
      await updateWebhookRow(db, row.code, {
        ...(data.url === undefined ? {} : { url: data.url }),
        ...(data.events === undefined ? {} : { events: JSON.stringify(data.events) }),
        ...(data.description === undefined ? {} : { description: data.description }),
      });
      await appendHistory(db, actor, at, [
        { subjectCode: row.code, type: 'updated', data: changes },
      ]);
    });
  }
  return getWebhook(ctx, row.code);
}

/** Deletes a subscription: it gets no new events; its deliveries' log stays. */
export async function deleteWebhook(ctx: Context, actor: Actor, ref: string): Promise<Webhook> {
  const row = await liveWebhookRow(ctx, ref);
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    await updateWebhookRow(db, row.code, { archived_at: at });
    await appendHistory(db, actor, at, [{ subjectCode: row.code, type: 'archived', data: {} }]);
  });
  return getWebhook(ctx, row.code);
}

/** Stops sending (events keep queueing) until resumed. */
export async function pauseWebhook(
  ctx: Context,
  actor: Actor,
  ref: string,
  reason = `paused by ${actor.name}`,
): Promise<Webhook> {
  const row = await liveWebhookRow(ctx, ref);
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    if (!(await pauseWebhookRow(db, row.code, at, reason)))
      throw new ConflictError('the webhook is paused already', 'code');
    await appendHistory(db, actor, at, [
      { subjectCode: row.code, type: 'updated', data: { paused: { from: null, to: reason } } },
    ]);
  });
  return getWebhook(ctx, row.code);
}

/** Sends again: the waiting events go out in order, starting with the oldest. */
export async function resumeWebhook(ctx: Context, actor: Actor, ref: string): Promise<Webhook> {
  const row = await liveWebhookRow(ctx, ref);
  if (row.paused_at === null) throw new ConflictError('the webhook is not paused', 'code');
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    await updateWebhookRow(db, row.code, { paused_at: null, pause_reason: null });
    await appendHistory(db, actor, at, [
      {
        subjectCode: row.code,
        type: 'updated',
        data: { paused: { from: row.pause_reason, to: null } },
      },
    ]);
  });
  return getWebhook(ctx, row.code);
}

export async function listDeliveries(
  ctx: Context,
  ref: string,
  paging: { limit: number; offset: number },
): Promise<DeliveryPage> {
  const row = await webhookRow(ctx, ref);
  const { rows, total } = await pageDeliveryRows(ctx.db, row.code, paging.limit, paging.offset);
  return { items: rows.map(toDelivery), total, ...paging };
}

export async function getDelivery(ctx: Context, id: number): Promise<Delivery> {
  const row = await findDeliveryRow(ctx.db, id);
  if (!row) throw new NotFoundError('delivery', String(id), 'id');
  return toDelivery(row);
}

/**
 * Sends a delivery's event again, as a new delivery at the end of its subscription's queue
 * (with the same event id, so a receiver can tell it saw it already).
 */
export async function replayDelivery(ctx: Context, id: number): Promise<Delivery> {
  const row = await findDeliveryRow(ctx.db, id);
  if (!row) throw new NotFoundError('delivery', String(id), 'id');
  await liveWebhookRow(ctx, row.webhook_code);
  return enqueueOne(ctx, row.webhook_code, {
    event_id: row.event_id,
    event_type: row.event_type,
    payload: row.payload,
    replay_of: row.id,
  });
}

/** Queues a `ping` event to one subscription, to see that its receiver answers and verifies. */
export async function pingWebhook(ctx: Context, actor: Actor, ref: string): Promise<Delivery> {
  const row = await liveWebhookRow(ctx, ref);
  const eventId = ctx.newCode();
  const payload = JSON.stringify({
    id: eventId,
    type: PING_EVENT,
    occurredAt: now(ctx),
    actor: { code: actor.code, name: actor.name },
    record: null,
    operation: PING_EVENT,
    subjects: [row.code],
    data: [{ webhook: row.code }],
  });
  return enqueueOne(ctx, row.code, { event_id: eventId, event_type: PING_EVENT, payload });
}

// Deliveries are the outbox's operational state, not changes of the record (see change-log.ts
// UNLOGGED): a replay or a ping queues one without a change record.
async function enqueueOne(
  ctx: Context,
  webhook: string,
  delivery: { event_id: string; event_type: string; payload: string; replay_of?: number },
): Promise<Delivery> {
  const at = now(ctx);
  const id = await insertDelivery(ctx.db, {
    webhook_code: webhook,
    status: 'pending',
    created_at: at,
    next_attempt_at: at,
    ...delivery,
  });
  return getDelivery(ctx, id);
}

async function webhookRow(ctx: Context, ref: string): Promise<WebhookRow> {
  const code = parseCode(ref);
  const row = await findWebhookRow(ctx.db, code);
  if (!row) throw new NotFoundError('webhook', code, 'code');
  return row;
}

async function liveWebhookRow(ctx: Context, ref: string): Promise<WebhookRow> {
  const row = await webhookRow(ctx, ref);
  if (row.archived_at !== null) throw new ConflictError('the webhook is deleted', 'code');
  return row;
}

/** Admin-given delivery ids are positive integers (the route checks; the CLI parses with this). */
export function parseDeliveryId(text: string): number {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id < 1)
    throw new ValidationError('id', 'must be a delivery id: a positive whole number');
  return id;
}

function toWebhook(row: WebhookRow): Webhook {
  return {
    code: row.code,
    url: row.url,
    events: parseEventList(row.events),
    description: row.description,
    status: row.archived_at !== null ? 'deleted' : row.paused_at !== null ? 'paused' : 'active',
    createdAt: row.created_at,
    pausedAt: row.paused_at,
    pauseReason: row.pause_reason,
    deletedAt: row.archived_at,
  };
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: Number(row.id),
    webhook: row.webhook_code,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: Number(row.attempts),
    createdAt: row.created_at,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastAttemptAt: row.last_attempt_at,
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastResponse: row.last_response,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    replayOf: row.replay_of === null ? null : Number(row.replay_of),
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  };
}

/** Deliveries not yet made (the `webhook_backlog` metric). */
export function webhookBacklog(ctx: Context): Promise<number> {
  return countPendingDeliveries(ctx.db);
}
