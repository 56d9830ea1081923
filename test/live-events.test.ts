import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.js';
import { createContext } from '../src/context.js';
import { buildApp, type AppOptions } from '../src/http/app.js';
import type { Role } from '../src/domain/roles.js';
import {
  DIALECTS,
  createTestDatabase,
  useTwoPools,
  type TestDatabase,
} from './support/databases.js';
import { admin, testContext, type TestContext } from './support/factories.js';
import { openSse, type SseFrame, type SseStream } from './support/sse.js';
import { makeProject } from './support/build-factories.js';
import { makeUnits } from './support/unit-factories.js';

/** A real listening server (streams cannot be answered by inject, which waits for the end). */
async function listening(
  ctx: ReturnType<typeof createContext>,
  options: Omit<AppOptions, 'ctx'> = {},
): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp({
    ctx,
    liveEvents: { pollMs: 30, heartbeatMs: 100 },
    ...options,
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

const isEvent = (type: string) => (f: SseFrame) => f.event === undefined && f.data?.type === type;
const ready = (f: SseFrame) => f.event === 'ready';

for (const dialect of DIALECTS) {
  describe(`${dialect}: live updates (GET /api/v1/events)`, () => {
    let database: TestDatabase;
    let ctx: TestContext;
    let app: FastifyInstance;
    let url: string;
    const keys = {} as Record<Role, string>;
    let made: Awaited<ReturnType<typeof makeUnits>>;
    const streams: SseStream[] = [];

    const open = async (role: Role | null, headers: Record<string, string> = {}, query = '') => {
      const auth: Record<string, string> = role ? { authorization: `Bearer ${keys[role]}` } : {};
      const stream = await openSse(`${url}/api/v1/events${query}`, { ...auth, ...headers });
      streams.push(stream);
      return stream;
    };
    const post = async (path: string, body: unknown): Promise<any> => {
      const res = await fetch(`${url}/api/v1${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.editor}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      return res.json();
    };
    /** Records a failing `ict` result of a unit: one record, two events (test.recorded, test.failed). */
    const fail = (unit: string) => post(`/units/${unit}/tests`, { key: 'ict', result: 'fail' });

    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      ctx = testContext(database.db);
      for (const role of ['admin', 'editor', 'viewer', 'site'] as const)
        keys[role] = (await createApiKey(ctx, admin, { name: `live-${role}`, role })).key;
      ({ app, url } = await listening(ctx, {
        liveEvents: { pollMs: 30, heartbeatMs: 100, maxStreams: 6 },
      }));
      made = await makeUnits(ctx, 3);
      await post(`/parts/${made.part}/test-templates`, { key: 'ict', name: 'In-circuit test' });
    });
    afterAll(async () => {
      for (const s of streams) s.close();
      await app?.close();
      await database?.close();
    });

    it('sends a change made through the API: type, subjects, builds, time, actor', async () => {
      const stream = await open('viewer');
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const start = await stream.next(ready);
      expect(start.id).toMatch(/^[0-9a-z]{26}\.\d+$/);
      const unit = made.units[0]!.code;
      await fail(unit);
      const recorded = await stream.next(isEvent('test.recorded'));
      const failed = await stream.next(isEvent('test.failed'));
      expect(recorded.data).toEqual({
        id: recorded.id,
        type: 'test.recorded',
        subjects: [unit],
        builds: [made.build.code],
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        actor: { code: expect.any(String), name: 'key:live-editor' },
        record: expect.stringMatching(/^[0-9a-z]{26}$/),
      });
      const [site, seq] = start.id!.split('.');
      expect(recorded.id).toBe(`${site}.${Number(seq) + 1}.0`);
      expect(failed.id).toBe(`${site}.${Number(seq) + 1}.1`);
      expect(failed.data.record).toBe(recorded.data.record);
      // A heartbeat comment keeps the stream open through idle proxies.
      await stream.next((f) => f.comment === 'keep-alive');
      stream.close();
    });

    it('resumes after Last-Event-ID (or ?since=) with exactly the events missed', async () => {
      const first = await open('viewer');
      await fail(made.units[1]!.code);
      const seen = await first.next(isEvent('test.recorded'));
      first.close();
      // Missed while away: the rest of that record (test.failed), then two more records.
      await fail(made.units[2]!.code);
      await fail(made.units[0]!.code);

      for (const resume of [
        await open('viewer', { 'last-event-id': seen.id! }),
        await open('viewer', {}, `?since=${seen.id}`),
      ]) {
        const start = await resume.next(ready);
        expect(start.id).toBe(seen.id);
        // One more change after resuming: the stream goes on with it, so nothing came twice.
        const last = await resume.next(isEvent('test.failed'), 10_000, 2);
        expect(last).toBeDefined();
        await resume.next(
          (f) => f.data?.subjects?.[0] === made.units[0]!.code && f.data.type === 'test.failed',
        );
        const ids = resume.events().map((e) => `${e.data.type} ${e.data.subjects[0]}`);
        expect(ids).toEqual([
          `test.failed ${made.units[1]!.code}`,
          `test.recorded ${made.units[2]!.code}`,
          `test.failed ${made.units[2]!.code}`,
          `test.recorded ${made.units[0]!.code}`,
          `test.failed ${made.units[0]!.code}`,
        ]);
        resume.close();
      }
    });

    it('hears only the types asked for, and sends nothing to a key that may not read', async () => {
      const only = await open('viewer', {}, '?types=build.started,build.finished');
      await only.next(ready);
      await fail(made.units[1]!.code);
      const project = await makeProject(ctx, [{ perUnit: 1 }]);
      // Through the API, as a station would: a build of 1 (nothing to pick until a stage).
      const build = await post('/builds', {
        project: project.code,
        quantity: 1,
        location: made.location,
      });
      const started = await only.next(isEvent('build.started'));
      expect(started.data.subjects).toEqual([build.code]);
      expect(started.data.builds).toEqual([build.code]);
      expect(only.events().map((e) => e.data.type)).toEqual(['build.started']);

      // Another site's key may only sync: refused before any stream, and told why.
      const site = await open('site');
      expect(site.status).toBe(403);
      expect(site.refusal.error).toMatchObject({ code: 'forbidden' });
      expect(site.frames).toEqual([]);
      const none = await open(null);
      expect(none.status).toBe(401);
      only.close();
    });

    it('refuses a bad Last-Event-ID, since or types with 400 naming it', async () => {
      for (const [headers, query, field] of [
        [{ 'last-event-id': 'abc' }, '', 'Last-Event-ID'],
        [{ 'last-event-id': `${'0'.repeat(26)}.1.2.3` }, '', 'Last-Event-ID'],
        [{ 'last-event-id': `${'0'.repeat(26)}.99999999999999999` }, '', 'Last-Event-ID'],
        [{}, '?since=12', 'since'],
        [{}, '?types=build.started,unit.exploded', 'types'],
        [{}, '?types=,', 'types'],
      ] as const) {
        const res = await open('viewer', headers, query);
        expect(res.status, `${JSON.stringify(headers)} ${query}`).toBe(400);
        expect(res.refusal.error.field).toBe(field);
      }
    });

    it('tells a client whose id is of another site to refetch, then goes on from now', async () => {
      const stream = await open('viewer', { 'last-event-id': `${'1'.repeat(26)}.5.0` });
      const reset = await stream.next((f) => f.event === 'reset');
      expect(reset.data.reason).toMatch(/another site.*refetch/);
      const start = await stream.next(ready);
      expect(start.id).not.toContain('1'.repeat(26));
      stream.close();
    });

    it('holds at most maxStreams at once, answers 503 beyond, and frees a place when a client leaves', async () => {
      for (const s of streams) s.close();
      /** Opens a stream, waiting while the places are still held by streams that are closing. */
      const openWhenFree = async () => {
        const end = Date.now() + 5000;
        for (;;) {
          const stream = await open('viewer');
          if (stream.status !== 503 || Date.now() > end) return stream;
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      const six: SseStream[] = [];
      for (let i = 0; i < 6; i++) six.push(await openWhenFree());
      expect(six.map((s) => s.status)).toEqual([200, 200, 200, 200, 200, 200]);
      const seventh = await open('viewer');
      expect(seventh.status).toBe(503);
      expect(seventh.headers.get('retry-after')).toBe('5');
      expect(seventh.refusal.error.message).toMatch(/6 live-update streams open/);
      // Other requests are answered meanwhile.
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
      six[0]!.close();
      const again = await openWhenFree();
      expect(again.status).toBe(200);
      for (const s of six) s.close();
      again.close();
    });
  });
}

// Several stateless servers on one PostgreSQL database: a stream of server A hears of a change
// made through server B, because both read the change log in the database.
for (const dialect of DIALECTS.filter((d) => d === 'postgres')) {
  describe(`${dialect}: live updates across two servers`, () => {
    const pools = useTwoPools();

    it('a change through server B reaches a stream of server A', async () => {
      const ctxA = testContext(pools.database.db);
      const a = await listening(ctxA);
      const b = await listening(createContext(pools.second.db));
      const { key } = await createApiKey(ctxA, admin, { name: 'two-servers', role: 'editor' });
      const made = await makeUnits(ctxA, 1);
      const stream = await openSse(`${a.url}/api/v1/events`, { authorization: `Bearer ${key}` });
      await stream.next(ready);
      const res = await fetch(`${b.url}/api/v1/shipments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ customer: 'ACME', reference: 'PO-1', units: [made.units[0]!.code] }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const shipped = await stream.next(isEvent('unit.shipped'));
      expect(shipped.data).toMatchObject({
        subjects: [made.units[0]!.code],
        builds: [made.build.code],
        actor: { name: 'key:two-servers' },
      });
      stream.close();
      await Promise.all([a.app.close(), b.app.close()]);
    });
  });
}
