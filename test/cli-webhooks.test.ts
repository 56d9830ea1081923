import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kill9, serveChild } from './support/child-server.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { makeLot, testContext } from './support/factories.js';
import {
  startReceiver,
  until,
  verifyTracelotSignature,
  type WebhookReceiver,
} from './support/webhook-receiver.js';

/** `tracelot serve` with webhook timings short enough for a test. */
async function serve(env: Record<string, string>, dir: string): Promise<ChildProcess> {
  const server = await serveChild(
    {
      ...env,
      TRACELOT_WEBHOOK_BACKOFF_MS: '50',
      TRACELOT_WEBHOOK_POLL_MS: '20',
      // A server killed mid-send holds its claim for twice this: 6 s.
      TRACELOT_WEBHOOK_TIMEOUT_MS: '3000',
    },
    dir,
  );
  return server.process;
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot webhook`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    let receiver: WebhookReceiver;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-cli-webhook-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      env = cliEnv(database, dir);
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await receiver.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const deliveries = async (code: string) =>
      json(await cli(env, 'webhook', 'deliveries', code, '--json')).items as any[];

    it('refuses a bad subscription naming the field, and changes nothing', async () => {
      const bad = await cli(env, 'webhook', 'add', 'ftp://x.example', '--events', 'unit.shipped');
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('url');
      const unknown = await cli(env, 'webhook', 'add', receiver.url, '--events', 'unit.melted');
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toContain('events');
      expect((await cli(env, 'webhook', 'list')).stdout).toContain('No webhooks yet');
    });

    it('a server killed with -9 after the change committed, before its delivery, loses no event', async () => {
      const added = await cli(
        env,
        'webhook',
        'add',
        receiver.url,
        '--events',
        'stock.received,unit.shipped',
        '--json',
      );
      expect(added.code).toBe(0);
      const { webhook, secret } = json(added);
      const table = await cli(env, 'webhook', 'list');
      expect(table.stdout).toMatch(new RegExp(`${webhook.code}\\s+active\\s+${receiver.url}`));
      expect(table.stdout).not.toContain(secret);

      await receiver.down();
      let server = await serve(env, dir);
      const { lot } = await makeLot(testContext(database.db), { quantity: 4 });
      // The change committed; the server tried and failed to deliver it: then it dies. Read
      // straight from the database, so it dies soon after the first attempt: retries every
      // 50 ms, doubling, would otherwise leave the next one far off.
      const attempted = () =>
        database.db
          .selectFrom('webhook_delivery')
          .select('attempts')
          .where('webhook_code', '=', webhook.code)
          .executeTakeFirst();
      await until(async () => Number((await attempted())?.attempts ?? 0) >= 1);
      await kill9(server);
      const [waiting] = await deliveries(webhook.code);
      expect(waiting).toMatchObject({ status: 'pending', lastError: 'ECONNREFUSED' });

      await receiver.up();
      server = await serve(env, dir);
      try {
        // Within the claim's 6 s even if it died mid-send, and the retry delay's ≤ 6.4 s.
        await until(() => receiver.received.length === 1, 30_000);
        const [got] = receiver.received;
        expect(got!.json).toMatchObject({ type: 'stock.received', subjects: [lot.code] });
        expect(
          verifyTracelotSignature(secret, String(got!.headers['tracelot-signature']), got!.body),
        ).toBe(true);
        await until(async () => (await deliveries(webhook.code))[0]?.status === 'delivered');
        const shown = await cli(env, 'webhook', 'deliveries', webhook.code);
        expect(shown.stdout).toMatch(
          new RegExp(`${waiting.id}\\s+stock.received\\s+delivered\\s+\\d+\\s+200`),
        );

        const replay = await cli(env, 'webhook', 'replay', String(waiting.id), '--json');
        expect(json(replay)).toMatchObject({ replayOf: waiting.id, eventId: got!.json.id });
        await until(() => receiver.received.length === 2);
        expect(receiver.received[1]!.body).toBe(got!.body);

        const paused = json(await cli(env, 'webhook', 'pause', webhook.code, '--json'));
        expect(paused).toMatchObject({ status: 'paused' });
        await makeLot(testContext(database.db));
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(receiver.received).toHaveLength(2);
        const resumed = await cli(env, 'webhook', 'resume', webhook.code);
        expect(resumed.stdout).toMatch(new RegExp(`${webhook.code}\\s+active`));
        await until(() => receiver.received.length === 3);
      } finally {
        await kill9(server);
      }
    }, 120_000);
  });
}
