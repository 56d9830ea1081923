import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../src/auth/secrets.js';
import { createUser, resetPassword } from '../src/auth/user.service.js';
import { createContext } from '../src/context.js';
import { ALPHABET } from '../src/domain/code.js';
import { buildApp } from '../src/http/app.js';
import { apiKeyCodes, createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { admin } from './support/factories.js';
import { historyRows } from './support/history.js';
import { rowCounts } from './support/row-counts.js';

const COOKIE = 'tracelot_session';
const CODE_RE = /^[0-9a-f][0-9a-hjkmnp-tv-z]{12}[0-9a-f][0-9a-hjkmnp-tv-z]{12}$/;
const name = (prefix: string) => `${prefix}${randomBytes(4).toString('hex')}`;
const PASSWORD = 'correct horse battery';

interface Reply {
  status: number;
  body: any;
  setCookie: string | undefined;
  token: string | undefined;
}

async function send(
  app: FastifyInstance,
  method: string,
  url: string,
  options: { body?: unknown; token?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await app.inject({
    method: method as 'GET',
    url,
    headers: options.headers ?? {},
    ...(options.token === undefined ? {} : { cookies: { [COOKIE]: options.token } }),
    ...(options.body === undefined ? {} : { payload: options.body as object }),
  });
  const raw = res.headers['set-cookie'];
  const setCookie = Array.isArray(raw) ? raw.join('\n') : raw;
  const cookie = res.cookies.find((c) => c.name === COOKIE);
  return {
    status: res.statusCode,
    body: String(res.headers['content-type']).includes('json') ? res.json() : res.body,
    setCookie,
    token: cookie?.value || undefined,
  };
}

const login = (app: FastifyInstance, username: string, password: string, headers = {}) =>
  send(app, 'POST', '/api/v1/auth/login', { body: { username, password }, headers });

for (const dialect of DIALECTS) {
  describe(`${dialect}: authentication and roles`, () => {
    let api: TestApi;
    let keyCode: Record<string, string>;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      keyCode = await apiKeyCodes(api);
    });
    afterAll(() => api.close());

    const db = () => api.database.db;
    async function makeUser(role: 'admin' | 'editor' | 'viewer', password = PASSWORD) {
      const username = name(role);
      const res = await api.call('POST', '/api/v1/users', { username, role, password });
      expect(res.status).toBe(201);
      return { ...res.body.user, password } as {
        code: string;
        username: string;
        role: string;
        password: string;
      };
    }
    async function sessionOf(user: { username: string; password: string }) {
      const res = await login(api.app, user.username, user.password);
      expect(res.status).toBe(200);
      return res.token!;
    }
    const me = (token: string) => send(api.app, 'GET', '/api/v1/auth/me', { token });

    describe('sessions', () => {
      it('logs in with the right password: an HttpOnly, SameSite=Lax session cookie', async () => {
        const user = await makeUser('editor');
        const before = Date.now();
        const res = await login(api.app, user.username, user.password);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({
          code: user.code,
          name: user.username,
          role: 'editor',
          via: 'session',
        });
        expect(res.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
        const cookie = res.setCookie!;
        expect(cookie).toMatch(new RegExp(`^${COOKIE}=${res.token};`));
        expect(cookie).toMatch(/; HttpOnly/);
        expect(cookie).toMatch(/; SameSite=Lax/);
        expect(cookie).toMatch(/; Path=\//);
        expect(cookie).not.toMatch(/Secure/);
        const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]!);
        expect(expires - before).toBeGreaterThan(29.9 * 86_400_000);
        expect(expires - before).toBeLessThan(30.1 * 86_400_000);
        // Only a hash of the token is stored.
        const sessions = await db()
          .selectFrom('user_session')
          .selectAll()
          .where('user_code', '=', user.code)
          .execute();
        expect(sessions.map((s) => s.token_hash)).toEqual([sha256(res.token!)]);
        expect(JSON.stringify(sessions)).not.toContain(res.token);
        expect((await me(res.token!)).body).toEqual(res.body);
      });

      it('usernames are matched ignoring case and surrounding spaces', async () => {
        const user = await makeUser('viewer');
        expect((await login(api.app, user.username.toUpperCase(), user.password)).status).toBe(200);
        expect((await login(api.app, ` ${user.username} `, user.password)).status).toBe(200);
      });

      it('a cookie over HTTPS (behind a trusted proxy) is Secure', async () => {
        const user = await makeUser('viewer');
        const proxied = await buildApp({ ctx: api.ctx, trustProxy: ['127.0.0.1'] });
        const res = await login(proxied, user.username, user.password, {
          'x-forwarded-proto': 'https',
        });
        await proxied.close();
        expect(res.status).toBe(200);
        expect(res.setCookie).toMatch(/; Secure/);
      });

      it('a wrong password or an unknown user: 401, the same answer, no cookie', async () => {
        const user = await makeUser('editor');
        // The failures count towards throttling (login-throttle.test.ts): nothing else changes.
        const unchanged = () => rowCounts(db(), { except: ['login_throttle'] });
        const before = await unchanged();
        const wrong = await login(api.app, user.username, `${user.password}x`);
        const unknown = await login(api.app, name('nobody'), user.password);
        for (const res of [wrong, unknown]) {
          expect(res.status).toBe(401);
          expect(res.body.error).toMatchObject({ code: 'unauthenticated', field: 'password' });
          expect(res.setCookie).toBeUndefined();
        }
        expect(wrong.body.error).toEqual(unknown.body.error);
        expect(await unchanged()).toEqual(before);
        const missing = await send(api.app, 'POST', '/api/v1/auth/login', {
          body: { username: user.username },
        });
        expect(missing.status).toBe(400);
        expect(missing.body.error.field).toBe('password');
      });

      it('logout ends the session and clears the cookie', async () => {
        const user = await makeUser('editor');
        const token = await sessionOf(user);
        const other = await sessionOf(user);
        expect((await me(token)).status).toBe(200);
        const out = await send(api.app, 'POST', '/api/v1/auth/logout', { token });
        expect(out.status).toBe(204);
        expect(out.setCookie).toMatch(new RegExp(`^${COOKIE}=;`));
        expect(out.setCookie).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
        const after = await me(token);
        expect(after.status).toBe(401);
        expect(after.body.error.field).toBe('session');
        expect(
          await db()
            .selectFrom('user_session')
            .select('token_hash')
            .where('token_hash', '=', sha256(token))
            .execute(),
        ).toEqual([]);
        // The user's other session lives on.
        expect((await me(other)).status).toBe(200);
        expect((await send(api.app, 'POST', '/api/v1/auth/logout')).status).toBe(204);
      });

      it('needs credentials; a forged cookie or a malformed header is 401', async () => {
        const none = await send(api.app, 'GET', '/api/v1/auth/me');
        expect(none.status).toBe(401);
        expect(none.body.error.field).toBe('authorization');
        const forged = await me(randomBytes(32).toString('base64url'));
        expect(forged.status).toBe(401);
        expect(forged.body.error.field).toBe('session');
        for (const authorization of [
          'Basic YWRtaW46YWRtaW4=',
          'Bearer',
          `Bearer ${api.keys.admin} extra`,
        ]) {
          const res = await send(api.app, 'GET', '/api/v1/parts', { headers: { authorization } });
          expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
          expect(res.body.error.field).toBe('authorization');
        }
        const lower = await send(api.app, 'GET', '/api/v1/auth/me', {
          headers: { authorization: `bearer ${api.keys.viewer}` },
        });
        expect(lower.body).toEqual({
          code: keyCode.viewer,
          name: 'key:test-viewer',
          role: 'viewer',
          via: 'api_key',
        });
      });

      it('percent-encoded paths need credentials too', async () => {
        // find-my-way decodes %61 to "a" when routing: /%61pi/v1/users is /api/v1/users.
        const before = await rowCounts(db());
        for (const url of ['/%61pi/v1/parts', '/%61pi/v1/users', '/%61pi/v1/api-keys']) {
          const res = await send(api.app, 'GET', url);
          expect({ url, status: res.status }).toEqual({ url, status: 401 });
        }
        const write = await send(api.app, 'POST', '/%61pi/v1/parts', { body: { name: 'sneaky' } });
        expect(write.status).toBe(401);
        expect(await rowCounts(db())).toEqual(before);
      });
    });

    describe('session expiry', () => {
      let app: FastifyInstance;
      let clock = new Date('2030-01-01T00:00:00.000Z');
      beforeAll(async () => {
        app = await buildApp({ ctx: createContext(api.database.db, { clock: () => clock }) });
      });
      afterAll(() => app.close());

      it('a session lasts 30 days', async () => {
        const username = name('clock');
        await createUser(createContext(api.database.db), admin, {
          username,
          role: 'viewer',
          password: PASSWORD,
        });
        clock = new Date('2030-01-01T00:00:00.000Z');
        const { token, setCookie } = await login(app, username, PASSWORD);
        expect(setCookie).toContain('Expires=Thu, 31 Jan 2030 00:00:00 GMT');
        clock = new Date('2030-01-30T23:59:59.999Z');
        expect((await send(app, 'GET', '/api/v1/auth/me', { token })).status).toBe(200);
        clock = new Date('2030-01-31T00:00:00.000Z');
        const expired = await send(app, 'GET', '/api/v1/auth/me', { token });
        expect(expired.status).toBe(401);
        expect(expired.body.error.field).toBe('session');
      });
    });

    describe('users', () => {
      it('creates a user with a generated password, shown once', async () => {
        const username = name('gen');
        const res = await api.call('POST', '/api/v1/users', { username, role: 'viewer' });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({
          user: {
            code: expect.stringMatching(CODE_RE),
            username,
            role: 'viewer',
            disabled: false,
            createdAt: expect.any(String),
            sso: false,
            failedLogins: 0,
            locked: false,
          },
          password: expect.stringMatching(new RegExp(`^[${ALPHABET}]{20}$`)),
        });
        const { user, password } = res.body;
        const session = await login(api.app, username, password);
        expect(session.status).toBe(200);
        expect(session.body).toMatchObject({ code: user.code, role: 'viewer' });
        // Never again: not in the list, not in the database, not in the history.
        const listed = (await api.call('GET', '/api/v1/users')).body.items;
        expect(listed.find((u: { code: string }) => u.code === user.code)).toEqual(user);
        for (const item of listed) {
          expect(Object.keys(item).sort()).toEqual([
            'code',
            'createdAt',
            'disabled',
            'failedLogins',
            'locked',
            'role',
            'sso',
            'username',
          ]);
        }
        const row = await db()
          .selectFrom('app_user')
          .selectAll()
          .where('code', '=', user.code)
          .executeTakeFirstOrThrow();
        expect(row.password_hash).toMatch(/^scrypt\$/);
        expect(JSON.stringify(row)).not.toContain(password);
        const history = await historyRows(db(), user.code);
        expect(history).toEqual([
          {
            type: 'created',
            data: { username, role: 'viewer' },
            actorCode: keyCode.admin,
            actorName: 'key:test-admin',
            at: user.createdAt,
          },
        ]);
        // A password the admin chose is not echoed.
        const chosen = await api.call('POST', '/api/v1/users', {
          username: name('chosen'),
          password: PASSWORD,
        });
        expect(chosen.status).toBe(201);
        expect(chosen.body.password).toBeUndefined();
        expect(chosen.body.user.role).toBe('viewer');
      });

      it('rejects duplicate and malformed users naming the field', async () => {
        const user = await makeUser('viewer');
        const before = await rowCounts(db());
        const dup = await api.call('POST', '/api/v1/users', {
          username: user.username.toUpperCase(),
          password: PASSWORD,
        });
        expect(dup.status).toBe(409);
        expect(dup.body.error).toMatchObject({ code: 'conflict', field: 'username' });
        const cases: [Record<string, unknown>, string][] = [
          [{ username: '' }, 'username'],
          [{ username: 'two words' }, 'username'],
          [{ username: 'u'.repeat(65) }, 'username'],
          [{ username: name('x'), role: 'root' }, 'role'],
          [{ username: name('x'), password: 'short' }, 'password'],
        ];
        for (const [body, field] of cases) {
          const res = await api.call('POST', '/api/v1/users', body);
          expect({ body, status: res.status, field: res.body.error?.field }).toEqual({
            body,
            status: 400,
            field,
          });
        }
        expect(await rowCounts(db())).toEqual(before);
      });

      it('parallel creates of one username: exactly one 201, the others 409 naming the field', async () => {
        // Invariant: one user per name, and every loser hears which field clashed. The
        // password hash runs before the transaction, so the requests overlap only sometimes:
        // several rounds make an overlap likely.
        for (let round = 0; round < 4; round++) {
          const username = name('twin');
          const spellings = [username, username.toUpperCase()];
          const results = await Promise.all(
            Array.from({ length: 8 }, (_, i) =>
              api.call('POST', '/api/v1/users', { username: spellings[i % 2], password: PASSWORD }),
            ),
          );
          expect(results.map((r) => r.status).sort()).toEqual([
            201, 409, 409, 409, 409, 409, 409, 409,
          ]);
          for (const loser of results.filter((r) => r.status === 409)) {
            expect({ round, error: loser.body.error }).toMatchObject({
              round,
              error: { code: 'conflict', field: 'username' },
            });
          }
        }
      });

      it('a new role applies to live sessions at once, and is recorded', async () => {
        const user = await makeUser('editor');
        const token = await sessionOf(user);
        const before = await send(api.app, 'POST', '/api/v1/parts', {
          token,
          body: { name: name('by-editor') },
        });
        expect(before.status).toBe(201);
        const res = await api.call('PATCH', `/api/v1/users/${user.code}`, { role: 'viewer' });
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ code: user.code, role: 'viewer', disabled: false });
        expect((await me(token)).body.role).toBe('viewer');
        const denied = await send(api.app, 'POST', '/api/v1/parts', {
          token,
          body: { name: name('by-viewer') },
        });
        expect(denied.status).toBe(403);
        const history = await historyRows(db(), user.code);
        expect(history.at(-1)).toMatchObject({
          type: 'updated',
          data: { role: { from: 'editor', to: 'viewer' } },
          actorName: 'key:test-admin',
          actorCode: keyCode.admin,
        });
        // Users may be named by username too.
        const byName = await api.call('PATCH', `/api/v1/users/${user.username}`, {
          role: 'editor',
        });
        expect(byName.status).toBe(200);
        expect(byName.body.role).toBe('editor');
        const missing = await api.call('PATCH', `/api/v1/users/${name('ghost')}`, {
          role: 'editor',
        });
        expect(missing.status).toBe(404);
      });

      it('disabling a user ends their sessions and refuses login', async () => {
        const user = await makeUser('editor');
        const a = await sessionOf(user);
        const b = await sessionOf(user);
        const res = await api.call('PATCH', `/api/v1/users/${user.code}`, { disabled: true });
        expect(res.status).toBe(200);
        expect(res.body.disabled).toBe(true);
        for (const token of [a, b]) expect((await me(token)).status).toBe(401);
        const rows = await db()
          .selectFrom('user_session')
          .select('token_hash')
          .where('user_code', '=', user.code)
          .execute();
        expect(rows).toEqual([]);
        const refused = await login(api.app, user.username, user.password);
        expect(refused.status).toBe(401);
        expect(refused.setCookie).toBeUndefined();
        expect(
          (await api.call('PATCH', `/api/v1/users/${user.code}`, { disabled: false })).body
            .disabled,
        ).toBe(false);
        expect((await login(api.app, user.username, user.password)).status).toBe(200);
        expect((await historyRows(db(), user.code)).map((h) => h.data)).toEqual([
          { username: user.username, role: 'editor' },
          { disabled: { from: 0, to: 1 } },
          { disabled: { from: 1, to: 0 } },
        ]);
      });

      it('a new password ends the sessions; only the new password works', async () => {
        const user = await makeUser('viewer');
        const token = await sessionOf(user);
        const res = await api.call('PATCH', `/api/v1/users/${user.code}`, {
          password: 'another fine password',
        });
        expect(res.status).toBe(200);
        expect((await me(token)).status).toBe(401);
        expect((await login(api.app, user.username, user.password)).status).toBe(401);
        expect((await login(api.app, user.username, 'another fine password')).status).toBe(200);
        const last = (await historyRows(db(), user.code)).at(-1)!;
        expect(last.data).toEqual({ password: { from: '***', to: '***' } });
        expect(
          (await api.call('PATCH', `/api/v1/users/${user.code}`, { password: 'short' })).status,
        ).toBe(400);
      });

      it('a reset gives a new random password once and ends the sessions; editors may not', async () => {
        const user = await makeUser('viewer');
        const token = await sessionOf(user);
        const editor = await sessionOf(await makeUser('editor'));
        const refused = await send(api.app, 'POST', `/api/v1/users/${user.code}/reset-password`, {
          token: editor,
        });
        expect(refused.status).toBe(403);
        expect((await me(token)).status).toBe(200);

        const res = await api.call('POST', `/api/v1/users/${user.code}/reset-password`);
        expect(res.status).toBe(200);
        expect(res.body.user).toMatchObject({ code: user.code, username: user.username });
        expect(res.body.password).toMatch(/^[0-9a-z]{20,}$/);
        expect((await me(token)).status).toBe(401);
        expect((await login(api.app, user.username, user.password)).status).toBe(401);
        expect((await login(api.app, user.username, res.body.password)).status).toBe(200);
        const last = (await historyRows(db(), user.code)).at(-1)!;
        expect(last).toMatchObject({
          data: { password: { from: '***', to: '***' } },
          actorName: 'key:test-admin',
        });
        const missing = await api.call('POST', `/api/v1/users/${name('ghost')}/reset-password`);
        expect(missing.status).toBe(404);
      });

      it('resetPassword sets a random password and returns it once', async () => {
        const user = await makeUser('editor');
        const token = await sessionOf(user);
        const ctx = createContext(api.database.db);
        const reset = await resetPassword(ctx, admin, user.username);
        expect(reset.password).toMatch(new RegExp(`^[${ALPHABET}]{20}$`));
        expect(reset.user).toMatchObject({ code: user.code, role: 'editor' });
        expect((await me(token)).status).toBe(401);
        expect((await login(api.app, user.username, user.password)).status).toBe(401);
        expect((await login(api.app, user.username, reset.password)).status).toBe(200);
        const again = await resetPassword(ctx, admin, user.code);
        expect(again.password).not.toBe(reset.password);
        expect((await login(api.app, user.username, reset.password)).status).toBe(401);
        expect((await historyRows(db(), user.code)).at(-1)!.actorName).toBe('test-admin');
      });
    });

    describe('the last admin', () => {
      let own: TestApi;
      beforeAll(async () => {
        own = await createTestApi(dialect);
      });
      afterAll(() => own.close());

      const activeAdmins = async () =>
        (
          await own.database.db
            .selectFrom('app_user')
            .select('username')
            .where('role', '=', 'admin')
            .where('disabled', '=', 0)
            .execute()
        ).map((r) => r.username);

      it('cannot be demoted or disabled (409)', async () => {
        const root = await own.call('POST', '/api/v1/users', {
          username: 'root',
          role: 'admin',
          password: PASSWORD,
        });
        expect(root.status).toBe(201);
        const code = root.body.user.code;
        const before = await rowCounts(own.database.db);
        for (const [body, field] of [
          [{ role: 'editor' }, 'role'],
          [{ role: 'viewer' }, 'role'],
          [{ disabled: true }, 'disabled'],
        ] as const) {
          const res = await own.call('PATCH', `/api/v1/users/${code}`, body);
          expect({ body, status: res.status }).toEqual({ body, status: 409 });
          expect(res.body.error).toMatchObject({ code: 'conflict', field });
          expect(res.body.error.message).toMatch(/last admin/);
        }
        expect(await rowCounts(own.database.db)).toEqual(before);
        expect(await activeAdmins()).toEqual(['root']);
        // With a second admin, the first may step down; then the second is the last.
        const second = await own.call('POST', '/api/v1/users', {
          username: 'second',
          role: 'admin',
          password: PASSWORD,
        });
        expect((await own.call('PATCH', `/api/v1/users/${code}`, { role: 'editor' })).status).toBe(
          200,
        );
        const last = await own.call('PATCH', `/api/v1/users/${second.body.user.code}`, {
          disabled: true,
        });
        expect(last.status).toBe(409);
        expect(await activeAdmins()).toEqual(['second']);
        // Changing something else of the last admin is fine.
        const pw = await own.call('PATCH', '/api/v1/users/second', { password: 'new password!' });
        expect(pw.status).toBe(200);
      });

      it('admins demoting each other at once: one admin always remains', async () => {
        // Invariant: however the requests interleave, at least one enabled admin is left.
        const codes: string[] = [];
        for (let i = 0; i < 4; i++) {
          const res = await own.call('POST', '/api/v1/users', {
            username: name('peer'),
            role: 'admin',
            password: PASSWORD,
          });
          codes.push(res.body.user.code);
        }
        // Only the four peers are admins now.
        await own.call('PATCH', '/api/v1/users/second', { role: 'editor' });
        expect(await activeAdmins()).toHaveLength(4);
        const results = await Promise.all(
          codes.map((code, i) =>
            own.call(
              'PATCH',
              `/api/v1/users/${code}`,
              i % 2 ? { role: 'viewer' } : { disabled: true },
            ),
          ),
        );
        expect(results.filter((r) => r.status === 409).length).toBeGreaterThanOrEqual(1);
        expect((await activeAdmins()).length).toBeGreaterThanOrEqual(1);
      });
    });

    describe('API keys', () => {
      it('creates a key shown once; only its hash is stored', async () => {
        const res = await api.call('POST', '/api/v1/api-keys', {
          name: 'station-3',
          role: 'editor',
        });
        expect(res.status).toBe(201);
        expect(res.body).toEqual({
          apiKey: {
            code: expect.stringMatching(CODE_RE),
            name: 'station-3',
            role: 'editor',
            createdAt: expect.any(String),
            revokedAt: null,
          },
          key: expect.stringMatching(new RegExp(`^tl_[${ALPHABET}]{40}$`)),
        });
        const { key, apiKey } = res.body;
        const who = await send(api.app, 'GET', '/api/v1/auth/me', {
          headers: { authorization: `Bearer ${key}` },
        });
        expect(who.body).toEqual({
          code: apiKey.code,
          name: 'key:station-3',
          role: 'editor',
          via: 'api_key',
        });
        const listed = (await api.call('GET', '/api/v1/api-keys')).body.items;
        expect(listed.find((k: { code: string }) => k.code === apiKey.code)).toEqual(apiKey);
        expect(JSON.stringify(listed)).not.toContain(key.slice(3));
        const rows = await db().selectFrom('api_key').selectAll().execute();
        expect(rows.length).toBeGreaterThanOrEqual(4);
        expect(JSON.stringify(rows)).not.toContain(key.slice(3));
        const row = rows.find((r) => r.code === apiKey.code)!;
        expect(row.key_hash).toMatch(/^[0-9a-f]{64}$/);
        const events = await db().selectFrom('change_record').select('content').execute();
        expect(JSON.stringify(events)).not.toContain(key.slice(3));
        expect(await historyRows(db(), apiKey.code)).toEqual([
          {
            type: 'created',
            data: { name: 'station-3', role: 'editor' },
            actorCode: keyCode.admin,
            actorName: 'key:test-admin',
            at: apiKey.createdAt,
          },
        ]);
      });

      it('a revoked key answers 401 from then on', async () => {
        const created = (
          await api.call('POST', '/api/v1/api-keys', { name: 'temporary', role: 'admin' })
        ).body;
        const auth = { authorization: `Bearer ${created.key}` };
        expect((await send(api.app, 'GET', '/api/v1/parts', { headers: auth })).status).toBe(200);
        const revoked = await api.call('DELETE', `/api/v1/api-keys/${created.apiKey.code}`);
        expect(revoked.status).toBe(200);
        expect(revoked.body).toMatchObject({
          code: created.apiKey.code,
          revokedAt: expect.any(String),
        });
        for (const [method, url] of [
          ['GET', '/api/v1/parts'],
          ['GET', '/api/v1/auth/me'],
          ['POST', '/api/v1/parts'],
        ]) {
          const res = await send(api.app, method!, url!, { headers: auth, body: { name: 'x' } });
          expect({ url, status: res.status }).toEqual({ url, status: 401 });
          expect(res.body.error.field).toBe('authorization');
        }
        const listed = (await api.call('GET', '/api/v1/api-keys')).body.items;
        expect(listed.find((k: { code: string }) => k.code === created.apiKey.code).revokedAt).toBe(
          revoked.body.revokedAt,
        );
        const again = await api.call('DELETE', `/api/v1/api-keys/${created.apiKey.code}`);
        expect(again.status).toBe(409);
        expect(again.body.error.field).toBe('code');
        expect(
          (await api.call('DELETE', '/api/v1/api-keys/00000000000000000000000000')).status,
        ).toBe(404);
        expect((await historyRows(db(), created.apiKey.code)).map((h) => h.type)).toEqual([
          'created',
          'archived',
        ]);
      });

      it('rejects a key without a name or with an unknown role', async () => {
        const before = await rowCounts(db());
        for (const [body, field] of [
          [{ name: '', role: 'editor' }, 'name'],
          [{ name: '   ', role: 'editor' }, 'name'],
          [{ name: 'x', role: 'root' }, 'role'],
          [{ role: 'viewer' }, 'name'],
        ] as const) {
          const res = await api.call('POST', '/api/v1/api-keys', body);
          expect({ body, status: res.status, field: res.body.error?.field }).toEqual({
            body,
            status: 400,
            field,
          });
        }
        expect(await rowCounts(db())).toEqual(before);
      });
    });

    describe('roles', () => {
      let fixture: { part: any; location: any; other: any; lot: any; user: any; key: string };
      beforeAll(async () => {
        const part = (await api.call('POST', '/api/v1/parts', { name: name('Guarded') })).body;
        const location = (await api.call('POST', '/api/v1/locations', { name: name('Vault') }))
          .body;
        const other = (await api.call('POST', '/api/v1/locations', { name: name('Vault') })).body;
        const received = await api.call('POST', '/api/v1/stock/receive', {
          items: [{ part: part.code, location: location.code, quantity: 10 }],
        });
        const lot = received.body.lots[0];
        const user = await makeUser('editor');
        fixture = { part, location, other, lot, user, key: keyCode.editor! };
      });

      function writes(): [string, string, unknown][] {
        const { part, location, other, lot, user, key } = fixture;
        const source = { lot: lot.code, location: location.code };
        return [
          ['POST', '/api/v1/parts', { name: 'nope' }],
          ['PATCH', `/api/v1/parts/${part.code}`, { name: 'nope' }],
          ['POST', '/api/v1/locations', { name: 'nope' }],
          ['PATCH', `/api/v1/locations/${location.code}`, { name: 'nope' }],
          ['PATCH', `/api/v1/lots/${lot.code}`, { name: 'nope' }],
          [
            'POST',
            '/api/v1/stock/receive',
            { items: [{ part: part.code, location: location.code, quantity: 1 }] },
          ],
          ['POST', '/api/v1/stock/move', { ...source, to: other.code, quantity: 1 }],
          ['POST', '/api/v1/stock/split', { ...source, quantity: 1 }],
          ['POST', '/api/v1/stock/remove', { ...source, quantity: 1 }],
          ['POST', '/api/v1/stock/adjust', { ...source, count: 3 }],
          ['POST', '/api/v1/stock/status', { ...source, to: 'held', quantity: 1 }],
          ['POST', '/api/v1/users', { username: 'nope', password: PASSWORD }],
          ['PATCH', `/api/v1/users/${user.code}`, { role: 'admin' }],
          ['POST', '/api/v1/api-keys', { name: 'nope', role: 'admin' }],
          ['DELETE', `/api/v1/api-keys/${key}`, undefined],
        ];
      }

      async function snapshot() {
        const { part, location, lot } = fixture;
        return {
          counts: await rowCounts(db()),
          part: (await api.call('GET', `/api/v1/parts/${part.code}`)).body,
          location: (await api.call('GET', `/api/v1/locations/${location.code}`)).body,
          lot: (await api.call('GET', `/api/v1/lots/${lot.code}`)).body,
          users: (await api.call('GET', '/api/v1/users')).body,
          keys: (await api.call('GET', '/api/v1/api-keys')).body,
        };
      }

      it('a viewer (key or session) may read but not write anywhere: 403, nothing changed', async () => {
        const viewer = await makeUser('viewer');
        const token = await sessionOf(viewer);
        const before = await snapshot();
        for (const [method, url, body] of writes()) {
          const byKey = await api.call(method, url, body, 'viewer');
          const bySession = await send(api.app, method, url, { token, body });
          for (const [via, res] of [
            ['key', byKey],
            ['session', bySession],
          ] as const) {
            expect({ via, method, url, status: res.status, code: res.body.error?.code }).toEqual({
              via,
              method,
              url,
              status: 403,
              code: 'forbidden',
            });
          }
        }
        expect(await snapshot()).toEqual(before);
        const { part, location, lot } = fixture;
        for (const url of [
          '/api/v1/parts',
          `/api/v1/parts/${part.code}`,
          '/api/v1/locations',
          `/api/v1/locations/${location.code}`,
          '/api/v1/lots',
          `/api/v1/lots/${lot.code}`,
          `/api/v1/lots/${lot.code}/history`,
          '/api/v1/stock',
          '/api/v1/stock/check',
          `/api/v1/resolve?q=${lot.code}`,
        ]) {
          expect({ url, status: (await send(api.app, 'GET', url, { token })).status }).toEqual({
            url,
            status: 200,
          });
          expect({ url, status: (await api.call('GET', url, undefined, 'viewer')).status }).toEqual(
            {
              url,
              status: 200,
            },
          );
        }
      });

      it('without credentials nothing is written: 401', async () => {
        const before = await snapshot();
        for (const [method, url, body] of writes()) {
          const res = await api.call(method, url, body, null);
          expect({ method, url, status: res.status }).toEqual({ method, url, status: 401 });
        }
        expect(await snapshot()).toEqual(before);
      });

      it('an editor may not manage users or keys', async () => {
        const token = await sessionOf(fixture.user);
        const before = await snapshot();
        for (const [method, url, body] of writes().slice(-4)) {
          expect((await api.call(method, url, body, 'editor')).status).toBe(403);
          expect((await send(api.app, method, url, { token, body })).status).toBe(403);
        }
        for (const url of ['/api/v1/users', '/api/v1/api-keys']) {
          expect((await api.call('GET', url, undefined, 'editor')).status).toBe(403);
          expect((await send(api.app, 'GET', url, { token })).status).toBe(403);
        }
        expect(await snapshot()).toEqual(before);
      });
    });

    describe('every write records its actor', () => {
      async function writeEverything(via: { token?: string; role?: 'editor' }) {
        const call = async (method: string, url: string, body: unknown) => {
          const res = via.token
            ? await send(api.app, method, url, { token: via.token, body })
            : await api.call(method, url, body, via.role);
          const expected = method === 'POST' && !url.startsWith('/api/v1/stock/m') ? 201 : 200;
          const status =
            url === '/api/v1/stock/receive' || !url.includes('/stock/') ? expected : 200;
          expect({ url, status: res.status }).toEqual({ url, status });
          return res.body;
        };
        const part = await call('POST', '/api/v1/parts', { name: name('Audited') });
        await call('PATCH', `/api/v1/parts/${part.code}`, { description: 'audited' });
        const a = await call('POST', '/api/v1/locations', { name: name('A') });
        const b = await call('POST', '/api/v1/locations', { name: name('B') });
        await call('PATCH', `/api/v1/locations/${a.code}`, { description: 'audited' });
        const received = await call('POST', '/api/v1/stock/receive', {
          items: [{ part: part.code, location: a.code, quantity: 10 }],
        });
        const lot = received.lots[0].code;
        await call('PATCH', `/api/v1/lots/${lot}`, { name: 'audited' });
        await call('POST', '/api/v1/stock/move', { lot, to: b.code, quantity: 4 });
        const split = await call('POST', '/api/v1/stock/split', {
          lot,
          location: a.code,
          quantity: 2,
        });
        await call('POST', '/api/v1/stock/remove', { lot, location: a.code, quantity: 1 });
        await call('POST', '/api/v1/stock/adjust', { lot, location: b.code, count: 5 });
        await call('POST', '/api/v1/stock/status', {
          lot,
          location: b.code,
          to: 'held',
          quantity: 1,
        });
        return [part.code, a.code, b.code, lot, split.lots[1]] as string[];
      }

      async function actorsOf(codes: string[]) {
        const events = (await Promise.all(codes.map((c) => historyRows(db(), c))))
          .flat()
          .map((e) => ({ actor_code: e.actorCode, actor_name: e.actorName, created_at: e.at }));
        const entries = await db()
          .selectFrom('stock_entry')
          .select(['actor_code', 'actor_name', 'created_at'])
          .where('lot_code', 'in', codes)
          .execute();
        return { events, entries };
      }

      it('a session user', async () => {
        const user = await makeUser('editor');
        const token = await sessionOf(user);
        const codes = await writeEverything({ token });
        const { events, entries } = await actorsOf(codes);
        expect(events.length).toBe(6);
        expect(entries.length).toBe(9);
        for (const row of [...events, ...entries]) {
          expect(row).toEqual({
            actor_code: user.code,
            actor_name: user.username,
            created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          });
        }
      });

      it('an API key', async () => {
        const codes = await writeEverything({ role: 'editor' });
        const { events, entries } = await actorsOf(codes);
        expect(events.length).toBe(6);
        expect(entries.length).toBe(9);
        for (const row of [...events, ...entries]) {
          expect(row).toEqual({
            actor_code: keyCode.editor,
            actor_name: 'key:test-editor',
            created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          });
        }
      });

      it('no ledger or history row anywhere lacks an actor or a time', async () => {
        const entries = await db()
          .selectFrom('stock_entry')
          .select(['actor_name', 'created_at as at'])
          .execute();
        const records = await db()
          .selectFrom('change_record')
          .select(['actor_name', 'at'])
          .execute();
        for (const rows of [entries, records]) {
          expect(rows.length).toBeGreaterThan(0);
          expect(rows.filter((r) => !r.actor_name || !r.at)).toEqual([]);
        }
      });
    });
  });
}
