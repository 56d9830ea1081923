import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes, scryptSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.js';
import { createUser } from '../src/auth/user.service.js';
import { createContext, type Context } from '../src/context.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { buildApp } from '../src/http/app.js';
import { lineLogger } from '../src/http/logger.js';
import { cli, cliEnv, json } from './support/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/databases.js';
import { admin } from './support/factories.js';
import { historyRows } from './support/history.js';
import { behindTheApp } from './support/behind-the-app.js';

const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;

for (const dialect of DIALECTS) {
  describe(`${dialect}: login throttling`, () => {
    let dir: string;
    let database: TestDatabase;
    let second: DatabaseHandle;
    // One clock for both servers, moved by the tests: waits are never slept.
    let time = Date.parse('2026-03-02T08:00:00Z');
    let ctx: Context;
    let app: FastifyInstance;
    let other: FastifyInstance;
    let adminKey: string;
    let viewerKey: string;
    const logged: string[] = [];
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-throttle-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      second = openDatabase({ url: database.url, schema: database.schema });
      const clock = () => new Date(time);
      ctx = createContext(database.db, { clock });
      app = await buildApp({ ctx, logger: lineLogger('warn', (line) => logged.push(line)) });
      // A second server on the same database (PostgreSQL; SQLite: a second connection to the file).
      other = await buildApp({ ctx: createContext(second.db, { clock }) });
      adminKey = (await createApiKey(ctx, admin, { name: 'admin', role: 'admin' })).key;
      viewerKey = (await createApiKey(ctx, admin, { name: 'viewer', role: 'viewer' })).key;
    });
    afterAll(async () => {
      await Promise.all([app.close(), other.close()]);
      await second.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    let n = 0;
    async function makeUser(): Promise<{ code: string; username: string }> {
      const username = `user${++n}`;
      return (await createUser(ctx, admin, { username, role: 'editor', password: PASSWORD })).user;
    }
    const login = (username: string, password: string, address = '10.1.0.1', via = app) =>
      via.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: address,
        payload: { username, password },
      });
    const users = async () =>
      (
        await app.inject({
          method: 'GET',
          url: '/api/v1/users',
          headers: { authorization: `Bearer ${adminKey}` },
        })
      ).json().items as { username: string; failedLogins: number; locked: boolean }[];

    it('per username: 5 free tries, then waits of 1 s, 2 s, …; the right password waits too', async () => {
      const user = await makeUser();
      for (let i = 0; i < 5; i++)
        expect((await login(user.username, 'wrong')).statusCode).toBe(401);
      const waiting = await login(user.username, PASSWORD);
      expect(waiting.statusCode).toBe(429);
      expect(waiting.headers['retry-after']).toBe('1');
      expect(waiting.json().error).toMatchObject({
        code: 'too_many_attempts',
        field: 'password',
        message: 'password: too many failed logins: try again in 1 s',
      });
      // Another address, another server: the username still waits.
      expect((await login(user.username, PASSWORD, '10.9.9.9', other)).statusCode).toBe(429);
      time += 1000;
      expect((await login(user.username, 'wrong')).statusCode).toBe(401);
      expect((await login(user.username, 'wrong')).headers['retry-after']).toBe('2');
      expect((await users()).find((u) => u.username === user.username)).toMatchObject({
        failedLogins: 6,
        locked: false,
      });
      // Each failure answered by this server is logged with its counts; refused tries are not.
      const lines = logged.filter((l) => l.includes(`"${user.username}"`));
      expect(lines).toHaveLength(6);
      expect(lines[5]).toMatch(
        new RegExp(
          `WARN login failed: "${user.username}" from 10\\.1\\.0\\.1 \\(failures in the last hour: 6 of the username, \\d+ of the address\\)\\n$`,
        ),
      );
      time += 2000;
      expect((await login(user.username, PASSWORD)).statusCode).toBe(200);
      // A success forgets the username's failures.
      expect((await users()).find((u) => u.username === user.username)!.failedLogins).toBe(0);
      expect((await login(user.username, 'wrong')).statusCode).toBe(401);
      time += 2 * 60 * MINUTE;
    });

    it('per address: 20 free failures over any usernames, then the address waits', async () => {
      const address = '10.2.0.1';
      for (let i = 0; i < 20; i++)
        expect((await login(`nobody${i}`, 'wrong', address)).statusCode).toBe(401);
      const user = await makeUser();
      const waiting = await login(user.username, PASSWORD, address);
      expect(waiting.statusCode).toBe(429);
      expect(waiting.headers['retry-after']).toBe('1');
      expect((await login(user.username, PASSWORD, '10.2.0.2')).statusCode).toBe(200);
      // Failures older than an hour are forgotten.
      time += 61 * MINUTE;
      expect((await login(user.username, PASSWORD, address)).statusCode).toBe(200);
    });

    it('20 failures lock the username until an admin unlocks it (API and CLI)', async () => {
      for (const how of ['api', 'cli'] as const) {
        const user = await makeUser();
        for (let i = 0; i < 20; i++) {
          expect((await login(user.username, 'wrong')).statusCode).toBe(401);
          time += 16 * MINUTE; // longer than any wait, within the hour
        }
        time += 24 * 60 * MINUTE;
        const locked = await login(user.username, PASSWORD);
        expect(locked.statusCode).toBe(429);
        expect(locked.headers['retry-after']).toBeUndefined();
        expect(locked.json().error).toMatchObject({
          field: 'username',
          message: 'username: locked after 20 failed logins: an admin can unlock it',
        });
        expect((await users()).find((u) => u.username === user.username)).toMatchObject({
          failedLogins: 20,
          locked: true,
        });
        const url = `/api/v1/users/${user.code}/unlock`;
        const byViewer = await app.inject({
          method: 'POST',
          url,
          headers: { authorization: `Bearer ${viewerKey}` },
        });
        expect(byViewer.statusCode).toBe(403);
        if (how === 'api') {
          const unlocked = await app.inject({
            method: 'POST',
            url,
            headers: { authorization: `Bearer ${adminKey}` },
          });
          expect(unlocked.statusCode).toBe(200);
          expect(unlocked.json()).toMatchObject({ locked: false, failedLogins: 0 });
          const again = await app.inject({
            method: 'POST',
            url,
            headers: { authorization: `Bearer ${adminKey}` },
          });
          expect(again.statusCode).toBe(409);
        } else {
          const env = cliEnv(database, dir);
          const unlocked = await cli(env, 'user', 'unlock', user.username);
          expect(unlocked.stdout.trim()).toBe(`${user.username} is unlocked`);
          const listed = json(await cli(env, 'user', 'list', '--json')) as { username: string }[];
          expect(listed.find((u) => u.username === user.username)).toMatchObject({ locked: false });
        }
        expect((await login(user.username, PASSWORD)).statusCode).toBe(200);
        const history = (await historyRows(database.db, user.code)).filter(
          (e) => e.type === 'updated',
        );
        expect(history.map((h) => h.data)).toEqual([
          { locked: { from: true, to: false }, failedLogins: { from: 20, to: 0 } },
        ]);
      }
    }, 90_000);

    it('40 wrong passwords at once through two servers: 5 answered, 35 told to wait', async () => {
      // Invariant: however the tries interleave on however many servers, a username gets its
      // free tries once; the count lives in the database.
      const user = await makeUser();
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          login(user.username, 'wrong', `10.3.0.${i}`, i % 2 ? app : other),
        ),
      );
      const statuses = answers.map((a) => a.statusCode);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(35);
      expect((await login(user.username, PASSWORD)).statusCode).toBe(429);
      expect((await users()).find((u) => u.username === user.username)!.failedLogins).toBe(5);
      time += 2 * 60 * MINUTE;
    });

    it("a hash of last year's cost is replaced at the next login", async () => {
      const user = await makeUser();
      const salt = randomBytes(16);
      const old = scryptSync(PASSWORD, salt, 32, { N: 16384, r: 8, p: 1 });
      const oldHash = `scrypt$16384$8$1$${salt.toString('base64url')}$${old.toString('base64url')}`;
      // As a user of last year would have it stored.
      await behindTheApp(() =>
        database.db
          .updateTable('app_user')
          .set({ password_hash: oldHash })
          .where('code', '=', user.code)
          .execute(),
      );
      expect((await login(user.username, PASSWORD)).statusCode).toBe(200);
      const stored = await database.db
        .selectFrom('app_user')
        .select('password_hash')
        .where('code', '=', user.code)
        .executeTakeFirstOrThrow();
      expect(stored.password_hash).toMatch(/^scrypt\$32768\$8\$3\$/);
      // A change of the user's record: logged once, by the user, saying what changed.
      const rehashed = (await historyRows(database.db, user.code)).filter(
        (e) => e.type === 'updated',
      );
      expect(rehashed).toEqual([
        expect.objectContaining({
          actorCode: user.code,
          data: { passwordHash: { from: 'an older cost', to: "today's cost" } },
        }),
      ]);
      expect((await login(user.username, PASSWORD)).statusCode).toBe(200);
      expect((await login(user.username, 'wrong')).statusCode).toBe(401);
    });
  });
}
