import type { Command } from 'commander';
import { Paging } from '../../domain/common.schemas.js';
import { parseInput } from '../../domain/validate.js';
import { WEBHOOK_EVENT_TYPES } from '../../domain/webhook-events.js';
import type { Delivery, Webhook, WebhookCreate } from '../../webhooks/webhook.schemas.js';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  parseDeliveryId,
  pauseWebhook,
  pingWebhook,
  replayDelivery,
  resumeWebhook,
} from '../../webhooks/webhook.service.js';
import type { Context } from '../../context.js';
import {
  cliActor,
  pageOptions,
  withContext,
  withDatabaseOptions,
  type DatabaseFlags,
  type PageFlags,
} from '../options.js';
import { printJson, printTable } from '../output.js';

type Flags = DatabaseFlags & { json?: boolean };

/** `tracelot webhook …`: subscriptions to events, sent by `tracelot serve` (docs/webhooks.md). */
export function webhookCommand(program: Command): void {
  const webhook = program
    .command('webhook')
    .description('webhooks: POST signed events (unit.shipped, build.finished, …) to a URL');
  withDatabaseOptions(
    webhook
      .command('add')
      .description('subscribe a URL to events; prints the signing secret once')
      .argument('<url>', 'http:// or https:// URL that receives the events')
      .requiredOption('--events <types>', `comma-separated: ${WEBHOOK_EVENT_TYPES.join(', ')}`)
      .option('--secret <secret>', 'signing secret, at least 16 characters (default: made for you)')
      .option('--description <text>', 'what the receiver is')
      .option('--json', 'print JSON'),
  ).action(
    (url: string, flags: Flags & { events: string; secret?: string; description?: string }) =>
      withContext(flags, async (ctx) => {
        const input: WebhookCreate = {
          url,
          events: flags.events
            .split(',')
            .map((e) => e.trim())
            .filter(Boolean) as WebhookCreate['events'],
          ...(flags.secret === undefined ? {} : { secret: flags.secret }),
          ...(flags.description === undefined ? {} : { description: flags.description }),
        };
        const created = await createWebhook(ctx, cliActor(), input);
        if (flags.json) return printJson(created);
        printWebhooks([created.webhook]);
        console.log('Signing secret, shown only this once:');
        console.log(`    ${created.secret}`);
        console.log('Verify the Tracelot-Signature header with it (docs/webhooks.md).');
      }),
  );
  withDatabaseOptions(
    webhook
      .command('list', { isDefault: true })
      .description('list webhooks')
      .option('--json', 'print JSON'),
  ).action((flags: Flags) =>
    withContext(flags, async (ctx) => {
      const list = await listWebhooks(ctx);
      if (flags.json) return printJson(list);
      printWebhooks(list.items);
    }),
  );
  withDatabaseOptions(
    pageOptions(
      webhook
        .command('deliveries')
        .description('a webhook’s deliveries, newest first')
        .argument('<code>'),
    ),
  ).action((code: string, flags: DatabaseFlags & PageFlags) =>
    withContext(flags, async (ctx) => {
      const page = await listDeliveries(ctx, code, parseInput(Paging, flags));
      if (flags.json) return printJson(page);
      printDeliveries(page.items);
    }),
  );
  withDatabaseOptions(
    webhook
      .command('replay')
      .description('send a delivery’s event again (a running `tracelot serve` sends it)')
      .argument('<id>', 'delivery id')
      .option('--json', 'print JSON'),
  ).action((id: string, flags: Flags) =>
    withContext(flags, async (ctx) => {
      const delivery = await replayDelivery(ctx, parseDeliveryId(id));
      if (flags.json) return printJson(delivery);
      printDeliveries([delivery]);
    }),
  );
  const change = (
    name: string,
    description: string,
    run: (ctx: Context, code: string) => Promise<Webhook>,
  ) =>
    withDatabaseOptions(
      webhook
        .command(name)
        .description(description)
        .argument('<code>')
        .option('--json', 'print JSON'),
    ).action((code: string, flags: Flags) =>
      withContext(flags, async (ctx) => {
        const changed = await run(ctx, code);
        if (flags.json) return printJson(changed);
        printWebhooks([changed]);
      }),
    );
  change('pause', 'stop sending (events wait) until resumed', (ctx, code) =>
    pauseWebhook(ctx, cliActor(), code),
  );
  change('resume', 'send again, oldest waiting event first', (ctx, code) =>
    resumeWebhook(ctx, cliActor(), code),
  );
  change('delete', 'delete a webhook (its deliveries’ log stays)', (ctx, code) =>
    deleteWebhook(ctx, cliActor(), code),
  );
  withDatabaseOptions(
    webhook
      .command('ping')
      .description('queue a test event to a webhook')
      .argument('<code>')
      .option('--json', 'print JSON'),
  ).action((code: string, flags: Flags) =>
    withContext(flags, async (ctx) => {
      const delivery = await pingWebhook(ctx, cliActor(), code);
      if (flags.json) return printJson(delivery);
      printDeliveries([delivery]);
    }),
  );
}

function printWebhooks(items: Webhook[]): void {
  printTable(
    items.map((w) => ({
      ...w,
      status: w.status === 'paused' ? `paused: ${w.pauseReason ?? ''}` : w.status,
    })),
    ['code', 'status', 'url', 'events'],
    'No webhooks yet: add one with `tracelot webhook add URL --events unit.shipped`.',
  );
}

function printDeliveries(items: Delivery[]): void {
  printTable(
    items.map((d) => ({
      ...d,
      answer: d.lastStatus ?? d.lastError ?? '',
      when: d.deliveredAt ?? d.lastAttemptAt ?? d.createdAt,
    })),
    ['id', 'eventType', 'status', 'attempts', 'answer', 'when'],
  );
}
