import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type Context } from '../src/context.js';
import { inTransaction, openDatabase } from '../src/db/database.js';
import { receiveStock } from '../src/stock/stock.service.js';
import { WebhookWorker, type WebhookWorkerOptions } from '../src/webhooks/webhook-worker.js';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { admin, makeLocation, makeLot, makePart } from './support/factories.js';
import { makeUnits } from './support/unit-factories.js';
import {
  startReceiver,
  until,
  verifyTracelotSignature,
  type WebhookReceiver,
} from './support/webhook-receiver.js';

const FAST: WebhookWorkerOptions = { pollMs: 10, backoffBaseMs: 20, backoffCapMs: 100 };

for (const dialect of DIALECTS) {
  describe(`${dialect}: webhooks`, () => {
    let api: TestApi;
    let receiver: WebhookReceiver;
    const workers: WebhookWorker[] = [];
    beforeAll(async () => {
      api = await createTestApi(dialect);
      receiver = await startReceiver();
    });
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      receiver.received.length = 0;
      receiver.answer = 200;
      // Each test's subscriptions are deleted, so the next test's receipts reach only its own.
      const list = await api.call('GET', '/api/v1/webhooks');
      for (const w of list.body.items.filter((w: { status: string }) => w.status !== 'deleted'))
        await api.call('DELETE', `/api/v1/webhooks/${w.code}`);
    });
    afterAll(async () => {
      await receiver.close();
      await api.close();
    });

    const worker = (options: WebhookWorkerOptions = FAST, ctx: Context = api.ctx) => {
      const w = new WebhookWorker(ctx, options);
      workers.push(w);
      w.start();
      return w;
    };
    const subscribe = async (events: string[], url = receiver.url) => {
      const res = await api.call('POST', '/api/v1/webhooks', { url, events });
      expect(res.status).toBe(201);
      return res.body as { webhook: { code: string }; secret: string };
    };
    const deliveries = async (code: string) =>
      (await api.call('GET', `/api/v1/webhooks/${code}/deliveries?limit=500`)).body.items as any[];

    it('makes a subscription whose secret is shown once, and refuses bad input naming the field', async () => {
      const created = await subscribe(['stock.received', 'unit.shipped']);
      expect(created.secret).toMatch(/^whsec_[0-9a-z]{32}$/);
      const code = created.webhook.code;
      const read = await api.call('GET', `/api/v1/webhooks/${code}`);
      expect(read.body).toMatchObject({
        code,
        url: receiver.url,
        events: ['stock.received', 'unit.shipped'],
        status: 'active',
      });
      const list = await api.call('GET', '/api/v1/webhooks');
      expect(JSON.stringify(list.body)).not.toContain(created.secret);
      expect(JSON.stringify(read.body)).not.toContain(created.secret);

      const bad = [
        [{ url: 'ftp://example.com/x', events: ['unit.shipped'] }, 'url'],
        [{ url: 'not a url', events: ['unit.shipped'] }, 'url'],
        [{ url: 'https://example.com/x', events: ['unit.exploded'] }, 'events.0'],
        [{ url: 'https://example.com/x', events: [] }, 'events'],
        [{ url: 'https://example.com/x', events: ['unit.shipped'], secret: 'short' }, 'secret'],
      ] as const;
      for (const [body, field] of bad) {
        const res = await api.call('POST', '/api/v1/webhooks', body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.field).toBe(field);
      }
      const editor = await api.call(
        'POST',
        '/api/v1/webhooks',
        { url: receiver.url, events: ['unit.shipped'] },
        'editor',
      );
      expect(editor.status).toBe(403);
      expect((await api.call('GET', '/api/v1/webhooks', undefined, 'viewer')).status).toBe(403);

      const patched = await api.call('PATCH', `/api/v1/webhooks/${code}`, {
        events: ['build.finished'],
      });
      expect(patched.body.events).toEqual(['build.finished']);
      const gone = await api.call('DELETE', `/api/v1/webhooks/${code}`);
      expect(gone.body).toMatchObject({ status: 'deleted' });
    });

    it('delivers a receipt with a signature that verifies, and the delivery is logged', async () => {
      const { webhook, secret } = await subscribe(['stock.received']);
      worker();
      const { lot, part, location, operation } = await makeLot(api.ctx, { quantity: 7 });
      await until(() => receiver.received.length === 1);
      const [got] = receiver.received;
      expect(
        verifyTracelotSignature(secret, String(got!.headers['tracelot-signature']), got!.body),
      ).toBe(true);
      expect(
        verifyTracelotSignature(
          'whsec_wrong',
          String(got!.headers['tracelot-signature']),
          got!.body,
        ),
      ).toBe(false);
      expect(got!.headers['tracelot-event']).toBe('stock.received');
      expect(got!.json).toMatchObject({
        type: 'stock.received',
        actor: { name: admin.name },
        subjects: [lot.code],
        data: [{ lot: lot.code, part: part.code, location: location.code, quantity: 7 }],
      });
      const records = await api.ctx.db
        .selectFrom('change_record')
        .select(['id'])
        .where('id', '=', got!.json.record)
        .execute();
      expect(records).toHaveLength(1);
      expect(operation).toBeTruthy();
      await until(async () => (await deliveries(webhook.code))[0]?.status === 'delivered');
      const [logged] = await deliveries(webhook.code);
      expect(logged).toMatchObject({
        id: Number(got!.headers['tracelot-delivery']),
        eventId: got!.json.id,
        status: 'delivered',
        attempts: 1,
        lastStatus: 200,
        lastResponse: 'thanks',
        lastError: null,
      });
    });

    it('tells of a build and of a shipment: one unit.shipped listing every unit shipped', async () => {
      await subscribe(['build.started', 'build.finished', 'unit.shipped']);
      worker();
      const { build, units } = await makeUnits(api.ctx, 3);
      const shipped = await api.call('POST', '/api/v1/shipments', {
        customer: 'Acme',
        reference: 'PO-7',
        units: units.map((u) => u.code),
      });
      expect(shipped.status).toBe(201);
      await until(() => receiver.received.length === 3);
      expect(receiver.received.map((r) => r.json.type)).toEqual([
        'build.started',
        'build.finished',
        'unit.shipped',
      ]);
      expect(receiver.received[0]!.json.subjects).toEqual([build.code]);
      const ship = receiver.received[2]!.json;
      expect(ship.subjects).toEqual(units.map((u) => u.code));
      expect(ship.data[0]).toMatchObject({
        subject: units[0]!.code,
        shipment: shipped.body.code,
        customer: 'Acme',
        reference: 'PO-7',
      });
    });

    it('sends nothing for a change rolled back', async () => {
      const { webhook } = await subscribe(['stock.received']);
      const part = await makePart(api.ctx);
      const location = await makeLocation(api.ctx);
      await expect(
        inTransaction(api.ctx.db, async (db) => {
          await receiveStock({ ...api.ctx, db }, admin, [
            { part: part.code, location: location.code, quantity: 3 },
          ]);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      const w = worker();
      await w.runOnce();
      expect(await deliveries(webhook.code)).toEqual([]);
      expect(receiver.received).toEqual([]);
    });

    it('retries a receiver that is down with backoff, then catches up in order', async () => {
      const { webhook } = await subscribe(['stock.received']);
      receiver.answer = 503;
      const lots = [];
      for (let i = 0; i < 3; i++) lots.push((await makeLot(api.ctx, { quantity: i + 1 })).lot.code);
      worker();
      await until(async () => (await deliveries(webhook.code)).at(-1)?.attempts >= 3);
      // In order: the second and third wait until the first is through.
      const waiting = await deliveries(webhook.code);
      expect(waiting.map((d) => d.status)).toEqual(['pending', 'pending', 'pending']);
      expect(waiting.slice(0, 2).map((d) => d.attempts)).toEqual([0, 0]);
      expect(waiting[2]).toMatchObject({ lastStatus: 503, lastError: 'HTTP 503' });
      expect(waiting[2].lastResponse).toHaveLength(500);
      await receiver.down();
      await until(
        async () => (await deliveries(webhook.code)).at(-1)?.lastError === 'ECONNREFUSED',
      );
      receiver.answer = 200;
      await receiver.up();
      await until(() => receiver.received.length === 3);
      expect(receiver.received.map((r) => r.json.subjects[0])).toEqual(lots);
      await until(async () =>
        (await deliveries(webhook.code)).every((d) => d.status === 'delivered'),
      );
    });

    it('replays a delivery: the same event again, under a new delivery id', async () => {
      const { webhook } = await subscribe(['stock.received']);
      worker();
      await makeLot(api.ctx);
      await until(() => receiver.received.length === 1);
      await until(async () => (await deliveries(webhook.code))[0]?.status === 'delivered');
      const [first] = await deliveries(webhook.code);
      const replay = await api.call('POST', `/api/v1/webhooks/deliveries/${first.id}/replay`);
      expect(replay.status).toBe(201);
      expect(replay.body).toMatchObject({ replayOf: first.id, eventId: first.eventId });
      await until(() => receiver.received.length === 2);
      const [a, b] = receiver.received;
      expect(b!.body).toBe(a!.body);
      expect(b!.headers['tracelot-delivery']).toBe(String(replay.body.id));
      const missing = await api.call('POST', '/api/v1/webhooks/deliveries/999999/replay');
      expect(missing.status).toBe(404);
    });

    it('sends a test event on request', async () => {
      const { webhook, secret } = await subscribe(['build.finished']);
      worker();
      const ping = await api.call('POST', `/api/v1/webhooks/${webhook.code}/ping`);
      expect(ping.status).toBe(201);
      await until(() => receiver.received.length === 1);
      const [got] = receiver.received;
      expect(got!.json).toMatchObject({ type: 'ping', subjects: [webhook.code] });
      expect(
        verifyTracelotSignature(secret, String(got!.headers['tracelot-signature']), got!.body),
      ).toBe(true);
    });

    it('pauses a subscription whose deliveries failed for the whole retry window; resumed, it sends what waited', async () => {
      const { webhook } = await subscribe(['stock.received']);
      receiver.answer = 500;
      worker({ ...FAST, giveUpAfterMs: 150 });
      const first = (await makeLot(api.ctx)).lot.code;
      const second = (await makeLot(api.ctx)).lot.code;
      await until(
        async () =>
          (await api.call('GET', `/api/v1/webhooks/${webhook.code}`)).body.status === 'paused',
      );
      const paused = (await api.call('GET', `/api/v1/webhooks/${webhook.code}`)).body;
      expect(paused.pauseReason).toMatch(/^deliveries failed since .*: HTTP 500$/);
      const log = await deliveries(webhook.code);
      expect(log.map((d) => d.status)).toEqual(['pending', 'failed']);
      receiver.answer = 200;
      const requests = receiver.requests;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.requests).toBe(requests);
      const resumed = await api.call('POST', `/api/v1/webhooks/${webhook.code}/resume`);
      expect(resumed.body).toMatchObject({ status: 'active', pausedAt: null });
      await until(() => receiver.received.length === 1);
      expect(receiver.received[0]!.json.subjects).toEqual([second]);
      const failed = log[1];
      await api.call('POST', `/api/v1/webhooks/deliveries/${failed.id}/replay`);
      await until(() => receiver.received.length === 2);
      expect(receiver.received[1]!.json.subjects).toEqual([first]);
    });

    it('a delivery held by a server that died mid-send goes out once its claim lapses, twice the timeout later', async () => {
      // A receiver that takes every request and never answers: the first worker's send hangs
      // with its claim held, as a server killed mid-send leaves it.
      const sockets = new Set<Socket>();
      const silent = createServer(() => undefined);
      silent.on('connection', (socket) => sockets.add(socket));
      let requests = 0;
      silent.on('request', () => requests++);
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hook`;
      try {
        const { webhook } = await subscribe(['stock.received'], url);
        await makeLot(api.ctx);
        const claimedAt = Date.now() + 60_000;
        const at = (ms: number) => createContext(api.ctx.db, { clock: () => new Date(ms) });
        worker({ ...FAST, timeoutMs: 20_000 }, at(claimedAt));
        await until(() => requests === 1);
        // Another server, its clock a moment before the claim lapses, leaves the delivery be.
        worker({ ...FAST, timeoutMs: 20_000 }, at(claimedAt + 39_999));
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(requests).toBe(1);
        const [held] = await deliveries(webhook.code);
        expect(held).toMatchObject({ status: 'pending', attempts: 0 });
        // A moment after, it sends it.
        worker({ ...FAST, timeoutMs: 20_000 }, at(claimedAt + 40_001));
        await until(() => requests === 2);
      } finally {
        for (const socket of sockets) socket.destroy();
        await Promise.all(workers.splice(0).map((w) => w.stop()));
        await new Promise((resolve) => silent.close(resolve));
      }
    });

    it.runIf(dialect === 'postgres')(
      'two servers on one database send each event exactly once',
      async () => {
        // Invariant: whichever worker finds a delivery due, exactly one sends it.
        const { webhook } = await subscribe(['stock.received']);
        const second = openDatabase({ url: api.database.url, schema: api.database.schema });
        try {
          worker(FAST);
          worker(FAST, createContext(second.db));
          worker(FAST);
          const part = await makePart(api.ctx);
          const location = await makeLocation(api.ctx);
          for (let i = 0; i < 20; i++)
            await receiveStock(api.ctx, admin, [
              { part: part.code, location: location.code, quantity: i + 1 },
            ]);
          await until(async () =>
            (await deliveries(webhook.code)).every((d) => d.status === 'delivered'),
          );
          const quantities = receiver.received.map((r) => r.json.data[0].quantity);
          expect(quantities).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        } finally {
          await Promise.all(workers.splice(0).map((w) => w.stop()));
          await second.close();
        }
      },
    );
  });
}
