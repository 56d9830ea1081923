import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OidcOptions } from '../src/auth/oidc.service.js';
import { parseRoleMapping } from '../src/domain/single-sign-on.js';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { historyRows } from './support/history.js';
import {
  signInAtProvider,
  startOidcProvider,
  type TestAccount,
  type TestProvider,
} from './support/oidc-provider.js';
import { rowCounts } from './support/row-counts.js';

const PUBLIC_URL = 'http://tracelot.test';
const CALLBACK = `${PUBLIC_URL}/api/v1/auth/oidc/callback`;
const ROLES = 'tracelot-admins=admin,tracelot-editors=editor,staff=viewer';

function account(username: string, groups: string[], sub = `sub-${username}`): TestAccount {
  return {
    sub,
    username,
    password: `${username}-secret`,
    email: `${username}@example.com`,
    groups,
  };
}

function cookieOf(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  const raw = res.headers['set-cookie'];
  const lines = Array.isArray(raw) ? (raw as string[]) : raw ? [String(raw)] : [];
  const line = lines.find((l) => l.startsWith(`${name}=`));
  return line?.split(';')[0]!.slice(name.length + 1);
}

describe('single sign-on: configuration', () => {
  it('reads claim value → role mappings, and names what is wrong', () => {
    expect([...parseRoleMapping('a=admin, b=editor ,CN=x=viewer')]).toEqual([
      ['a', 'admin'],
      ['b', 'editor'],
      ['CN=x', 'viewer'],
    ]);
    expect([...parseRoleMapping('{"CN=Admins,OU=IT":"admin"}')]).toEqual([
      ['CN=Admins,OU=IT', 'admin'],
    ]);
    expect(() => parseRoleMapping('a=root')).toThrow(/oidc-roles: 'a' maps to 'root', not a role/);
    expect(() => parseRoleMapping('admins')).toThrow(/'admins' is not <claim value>=<role>/);
    expect(() => parseRoleMapping(' ')).toThrow(/maps no claim value/);
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: single sign-on against a real OpenID provider`, () => {
    let provider: TestProvider;
    let api: TestApi;
    const alice = account('alice', ['staff', 'tracelot-editors']);
    const mallory = account('mallory', ['contractors']);
    // The provider calls this person `admin`, the name of Tracelot's local admin.
    const impostor = account('admin', ['staff'], 'sub-impostor');

    beforeAll(async () => {
      provider = await startOidcProvider({
        redirectUris: [CALLBACK],
        accounts: [alice, mallory, impostor],
      });
      const oidc: OidcOptions = {
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: provider.clientSecret,
        roleClaim: 'groups',
        roles: parseRoleMapping(ROLES),
        label: 'Test IdP',
        scopes: 'openid profile email groups',
      };
      api = await createTestApi(dialect, { publicUrl: PUBLIC_URL, oidc });
      await api.call('POST', '/api/v1/users', { username: 'admin', role: 'admin' });
    });
    afterAll(async () => {
      await api?.close();
      await provider?.close();
    });

    /** Start at Tracelot, sign in at the provider, and come back to the callback. */
    async function signIn(who: TestAccount, next = '/builds') {
      const start = await api.app.inject({
        method: 'GET',
        url: `/api/v1/auth/oidc/start?next=${encodeURIComponent(next)}`,
      });
      expect(start.statusCode).toBe(302);
      const authorize = new URL(start.headers.location!);
      expect(authorize.origin).toBe(provider.issuer);
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('redirect_uri')).toBe(CALLBACK);
      expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
      expect(authorize.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
      const flow = cookieOf(start, 'tracelot_oidc')!;
      expect(String(start.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Lax/);
      const back = await signInAtProvider(provider, authorize.href, who);
      expect(back.origin + back.pathname).toBe(CALLBACK);
      return {
        back,
        flow,
        callback: (cookie = flow, search = back.search) => callback(cookie, search),
      };
    }

    function callback(cookie: string | undefined, search: string) {
      return api.app.inject({
        method: 'GET',
        url: `/api/v1/auth/oidc/callback${search}`,
        ...(cookie === undefined ? {} : { cookies: { tracelot_oidc: cookie } }),
      });
    }

    async function me(session: string) {
      const res = await api.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        cookies: { tracelot_session: session },
      });
      expect(res.statusCode).toBe(200);
      return res.json() as { code: string; name: string; role: string };
    }

    const users = async () =>
      (await api.call('GET', '/api/v1/users')).body.items as {
        code: string;
        username: string;
        role: string;
        sso: boolean;
      }[];

    it('says on the login page that it is set up, and by which name', async () => {
      const res = await api.call('GET', '/api/v1/auth/oidc', undefined, null);
      expect(res).toEqual({ status: 200, body: { enabled: true, label: 'Test IdP' } });
    });

    it('creates the user at the first login with the mapped role, and opens a session', async () => {
      const { callback } = await signIn(alice);
      const res = await callback();
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/builds');
      const session = cookieOf(res, 'tracelot_session')!;
      expect(String(res.headers['set-cookie'])).toMatch(
        /tracelot_session=[^;]+; .*HttpOnly; SameSite=Lax/,
      );
      const who = await me(session);
      expect(who).toMatchObject({ name: 'alice', role: 'editor' });
      const row = (await users()).find((u) => u.code === who.code)!;
      expect(row).toMatchObject({ username: 'alice', role: 'editor', sso: true });
      expect(await historyRows(api.database.db, who.code)).toEqual([
        expect.objectContaining({
          type: 'created',
          data: { username: 'alice', role: 'editor', issuer: provider.issuer },
          actorName: 'alice',
        }),
      ]);
      // An SSO user has no local password: no password logs it in, and none can be set.
      const local = await api.call(
        'POST',
        '/api/v1/auth/login',
        { username: 'alice', password: '' },
        null,
      );
      expect(local.status).toBe(401);
      const set = await api.call('PATCH', `/api/v1/users/${who.code}`, {
        password: 'a-new-password',
      });
      expect(set.status).toBe(409);
      expect(set.body.error.field).toBe('password');
    });

    it('takes a role change at the provider at the next login, and finds the user by subject', async () => {
      const before = (await users()).length;
      alice.groups = ['staff', 'tracelot-admins'];
      const res = await (await signIn(alice)).callback();
      expect(res.statusCode).toBe(303);
      const who = await me(cookieOf(res, 'tracelot_session')!);
      expect(who).toMatchObject({ name: 'alice', role: 'admin' });
      expect((await users()).length).toBe(before);
      expect((await historyRows(api.database.db, who.code)).at(-1)).toMatchObject({
        type: 'updated',
        data: { role: { from: 'editor', to: 'admin' } },
      });
      // The same role again: a session, and no change recorded.
      const changes = (await rowCounts(api.database.db)).change_record;
      const again = await (await signIn(alice)).callback();
      expect((await me(cookieOf(again, 'tracelot_session')!)).role).toBe('admin');
      expect((await rowCounts(api.database.db)).change_record).toBe(changes);
    });

    it('refuses a user whose claim maps to no role with a page saying why, and creates nothing', async () => {
      const before = await rowCounts(api.database.db, { except: ['login_throttle'] });
      const { callback } = await signIn(mallory);
      const res = await callback();
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
      expect(res.body).toContain(
        'Your account at Test IdP has no role in Tracelot: its claim &#39;groups&#39; (contractors) maps to no role.',
      );
      expect(cookieOf(res, 'tracelot_session')).toBeUndefined();
      expect(await rowCounts(api.database.db, { except: ['login_throttle'] })).toEqual(before);
      expect((await users()).map((u) => u.username)).not.toContain('mallory');
    });

    it('never takes a local user by name: a provider user called admin gets another name', async () => {
      const res = await (await signIn(impostor)).callback();
      expect(res.statusCode).toBe(303);
      const who = await me(cookieOf(res, 'tracelot_session')!);
      expect(who).toMatchObject({ name: 'admin@example.com', role: 'viewer' });
      const local = (await users()).find((u) => u.username === 'admin')!;
      expect(local).toMatchObject({ role: 'admin', sso: false });
      expect(who.code).not.toBe(local.code);
    });

    it('refuses an answer without its cookie, with a wrong state, or used twice; nothing created', async () => {
      const before = await rowCounts(api.database.db, { except: ['login_throttle', 'oidc_login'] });
      const first = await signIn(alice);
      const noCookie = await callback(undefined, first.back.search);
      expect(noCookie.statusCode).toBe(400);
      expect(noCookie.body).toContain('This sign-in was not begun in this browser');

      const second = await signIn(alice);
      const tampered = new URLSearchParams(second.back.search);
      tampered.set('state', 'forged-state-value-0123456789');
      const forged = await second.callback(second.flow, `?${tampered}`);
      expect(forged.statusCode).toBe(400);
      expect(forged.body).toMatch(/does not belong to this sign-in/);
      // The login is taken by its first answer, whatever came of it.
      const replay = await second.callback();
      expect(replay.statusCode).toBe(400);
      expect(replay.body).toContain('was used already');
      expect(
        await rowCounts(api.database.db, { except: ['login_throttle', 'oidc_login'] }),
      ).toEqual(before);
    });

    it('refuses what the provider refused, and goes back only to paths of this site', async () => {
      const start = await api.app.inject({ method: 'GET', url: '/api/v1/auth/oidc/start' });
      const flow = cookieOf(start, 'tracelot_oidc')!;
      const state = new URL(start.headers.location!).searchParams.get('state')!;
      const denied = await callback(
        flow,
        `?error=access_denied&error_description=${encodeURIComponent('the user said no')}&state=${state}&iss=${encodeURIComponent(provider.issuer)}`,
      );
      expect(denied.statusCode).toBe(403);
      expect(denied.body).toContain(
        'Test IdP did not sign you in (access_denied: the user said no).',
      );

      const res = await (await signIn(alice, '//evil.example/x')).callback();
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/parts');
      const bad = await api.app.inject({
        method: 'GET',
        url: `/api/v1/auth/oidc/start?next=${'a'.repeat(2001)}`,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('next');
    });
  });
}

describe('single sign-on not set up', () => {
  it('says so, and has no start', async () => {
    const api = await createTestApi('sqlite');
    try {
      const info = await api.call('GET', '/api/v1/auth/oidc', undefined, null);
      expect(info.body).toEqual({ enabled: false, label: null });
      const start = await api.call('GET', '/api/v1/auth/oidc/start', undefined, null);
      expect(start.status).toBe(404);
    } finally {
      await api.close();
    }
  });
});
