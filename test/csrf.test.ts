import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBuild } from '../src/builds/build.service.js';
import { createUser } from '../src/auth/user.service.js';
import { createTestApi, type TestApi } from './support/api.js';
import { makeProject } from './support/build-factories.js';
import { DIALECTS } from './support/databases.js';
import { admin, makeLocation } from './support/factories.js';
import { rowCount } from './support/row-counts.js';

const HOST = 'tracelot.local:8080';
const OWN = `http://${HOST}`;

// A page of the same site (another port, a subdomain) can make the browser post a text/plain
// body with the session cookie; SameSite=Lax does not stop it. Only the app's own origin may.
for (const dialect of DIALECTS) {
  describe(`${dialect}: cross-site writes with the session cookie`, () => {
    let api: TestApi;
    let cookie: string;
    let csv: string;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      const password = 'correct horse battery';
      await createUser(api.ctx, admin, { username: 'csrf', role: 'editor', password });
      const login = await api.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { host: HOST },
        payload: { username: 'csrf', password },
      });
      cookie = login.cookies.find((c) => c.name === 'tracelot_session')!.value;
      const project = await makeProject(api.ctx, []);
      await api.call('POST', `/api/v1/parts/${project.part}/test-templates`, {
        key: 'ict',
        name: 'In-circuit test',
      });
      const line = (await makeLocation(api.ctx)).code;
      const build = await startBuild(api.ctx, admin, {
        project: project.code,
        quantity: 1,
        location: line,
      });
      const units = await api.call('GET', `/api/v1/builds/${build.code}/units`);
      csv = `unit,key,result\n${units.body.items[0].code},ict,pass\n`;
    });
    afterAll(() => api.close());

    const upload = (headers: Record<string, string>) =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/test-results/batch',
        headers: { host: HOST, 'content-type': 'text/plain', ...headers },
        payload: csv,
      });

    it('a text/plain upload with the cookie from another origin: 403, nothing stored', async () => {
      const before = await rowCount(api.ctx.db, 'test_result');
      const attempts: Record<string, string>[] = [
        { origin: 'http://evil.example' },
        { origin: 'http://tracelot.local:3000', 'sec-fetch-site': 'same-site' },
        { origin: 'http://tools.tracelot.local:8080', 'sec-fetch-site': 'same-site' },
        { 'sec-fetch-site': 'cross-site' },
        { origin: 'null' },
      ];
      for (const headers of attempts) {
        const res = await upload({ ...headers, cookie: `tracelot_session=${cookie}` });
        expect(res.statusCode).toBe(403);
        expect(res.json().error).toMatchObject({ code: 'forbidden', field: 'origin' });
      }
      expect(await rowCount(api.ctx.db, 'test_result')).toBe(before);
    });

    it('the same upload from the own origin, or with an API key and no origin, is stored', async () => {
      const before = await rowCount(api.ctx.db, 'test_result');
      const own = await upload({
        origin: OWN,
        'sec-fetch-site': 'same-origin',
        cookie: `tracelot_session=${cookie}`,
      });
      expect(own.statusCode).toBe(200);
      expect(own.json()).toMatchObject({ stored: 1, rejected: 0 });
      const key = await upload({ authorization: `Bearer ${api.keys.editor}` });
      expect(key.statusCode).toBe(200);
      expect(key.json()).toMatchObject({ stored: 1, rejected: 0 });
      // Scripts with a cookie and no browser headers (curl) are not cross-site requests.
      const script = await upload({ cookie: `tracelot_session=${cookie}` });
      expect(script.statusCode).toBe(200);
      expect(await rowCount(api.ctx.db, 'test_result')).toBe(before + 3);
    });

    it('a login from another origin: 403, no session (login CSRF); from its own origin: logged in', async () => {
      const sessions = () => rowCount(api.ctx.db, 'user_session');
      const before = await sessions();
      const login = (headers: Record<string, string>) =>
        api.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { host: HOST, ...headers },
          payload: { username: 'csrf', password: 'correct horse battery' },
        });
      const attempts: Record<string, string>[] = [
        { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
        { origin: 'http://tracelot.local:3000', 'sec-fetch-site': 'same-site' },
        { origin: 'http://evil.example' },
      ];
      for (const headers of attempts) {
        const res = await login(headers);
        expect(res.statusCode).toBe(403);
        expect(res.json().error).toMatchObject({ code: 'forbidden', field: 'origin' });
        expect(res.cookies.map((c) => c.name)).toEqual([]);
      }
      expect(await sessions()).toBe(before);
      const own = await login({ origin: OWN, 'sec-fetch-site': 'same-origin' });
      expect(own.statusCode).toBe(200);
      expect(own.cookies.map((c) => c.name)).toEqual(['tracelot_session']);
      expect(await sessions()).toBe(before + 1);
    });

    it('reads with the cookie from anywhere still answer (they change nothing)', async () => {
      const res = await api.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { host: HOST, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' },
        cookies: { tracelot_session: cookie },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().name).toBe('csrf');
    });
  });
}
