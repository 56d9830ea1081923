import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { CodeParams, Paging } from '../domain/common.schemas.js';
import type { Actor } from '../domain/roles.js';
import {
  Delivery,
  DeliveryPage,
  DeliveryParams,
  Webhook,
  WebhookCreate,
  WebhookCreated,
  WebhookList,
  WebhookUpdate,
} from './webhook.schemas.js';
import {
  createWebhook,
  deleteWebhook,
  getDelivery,
  getWebhook,
  listDeliveries,
  listWebhooks,
  pauseWebhook,
  pingWebhook,
  replayDelivery,
  resumeWebhook,
  updateWebhook,
} from './webhook.service.js';

/** Webhook subscriptions and their deliveries: admins only (docs/webhooks.md). */
export const webhookRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['webhooks'];
  const config = { access: 'admin' as const };
  app.post(
    '/webhooks',
    {
      config,
      schema: {
        tags,
        summary: 'Subscribe a URL to event types; the secret is in this answer only',
        body: WebhookCreate,
        response: { 201: WebhookCreated },
      },
    },
    async (req, reply) => reply.code(201).send(await createWebhook(ctx, req.actor, req.body)),
  );
  app.get(
    '/webhooks',
    {
      config,
      schema: { tags, summary: 'Every webhook subscription', response: { 200: WebhookList } },
    },
    () => listWebhooks(ctx),
  );
  app.get(
    '/webhooks/:code',
    {
      config,
      schema: { tags, summary: 'One subscription', params: CodeParams, response: { 200: Webhook } },
    },
    (req) => getWebhook(ctx, req.params.code),
  );
  app.patch(
    '/webhooks/:code',
    {
      config,
      schema: {
        tags,
        summary: 'Change a subscription’s URL, events or description (logged)',
        params: CodeParams,
        body: WebhookUpdate,
        response: { 200: Webhook },
      },
    },
    (req) => updateWebhook(ctx, req.actor, req.params.code, req.body),
  );
  // Delete, pause and resume: a subscription's code in, the subscription as it is now out.
  const change = (
    method: 'DELETE' | 'POST',
    url: string,
    summary: string,
    run: (ctx: Context, actor: Actor, code: string) => Promise<Webhook>,
  ) =>
    app.route({
      method,
      url,
      config,
      schema: { tags, summary, params: CodeParams, response: { 200: Webhook } },
      handler: (req) => run(ctx, req.actor, req.params.code),
    });
  change(
    'DELETE',
    '/webhooks/:code',
    'Delete a subscription: no new events; its deliveries’ log stays',
    deleteWebhook,
  );
  change(
    'POST',
    '/webhooks/:code/pause',
    'Stop sending until resumed (events keep queueing)',
    (c, actor, code) => pauseWebhook(c, actor, code),
  );
  change('POST', '/webhooks/:code/resume', 'Send again, oldest waiting event first', resumeWebhook);
  app.post(
    '/webhooks/:code/ping',
    {
      config,
      schema: {
        tags,
        summary: 'Queue a test event (`ping`) to this subscription',
        params: CodeParams,
        response: { 201: Delivery },
      },
    },
    async (req, reply) => reply.code(201).send(await pingWebhook(ctx, req.actor, req.params.code)),
  );
  app.get(
    '/webhooks/:code/deliveries',
    {
      config,
      schema: {
        tags,
        summary: 'A subscription’s deliveries, newest first: status, attempts, answer excerpt',
        params: CodeParams,
        querystring: Paging,
        response: { 200: DeliveryPage },
      },
    },
    (req) => listDeliveries(ctx, req.params.code, req.query),
  );
  app.get(
    '/webhooks/deliveries/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One delivery',
        params: DeliveryParams,
        response: { 200: Delivery },
      },
    },
    (req) => getDelivery(ctx, req.params.id),
  );
  app.post(
    '/webhooks/deliveries/:id/replay',
    {
      config,
      schema: {
        tags,
        summary: 'Send a delivery’s event again (a new delivery, same event id)',
        params: DeliveryParams,
        response: { 201: Delivery },
      },
    },
    async (req, reply) => reply.code(201).send(await replayDelivery(ctx, req.params.id)),
  );
};
