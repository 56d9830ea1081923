import { afterAll, beforeAll, expect } from 'vitest';
import type { Dialect } from '../../src/db/database.js';
import { createTestApi, type TestApi } from './api.js';

const COOKIE = 'tracelot_session';
export const SIGNER_PASSWORD = 'correct horse battery';

/**
 * An editor with a password, logged in: an electronic signature needs a user (an API key
 * cannot sign). `as` sends a request with the user's session cookie.
 */
export async function makeSigner(api: TestApi) {
  const username = `signer${Math.floor(Math.random() * 1e9)}`;
  const created = await api.call('POST', '/api/v1/users', {
    username,
    role: 'editor',
    password: SIGNER_PASSWORD,
  });
  expect(created.status).toBe(201);
  const login = await api.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password: SIGNER_PASSWORD },
  });
  expect(login.statusCode).toBe(200);
  const token = login.cookies.find((c) => c.name === COOKIE)!.value;
  return {
    user: created.body.user as { code: string; username: string },
    async as(method: 'POST' | 'GET', url: string, body?: object) {
      const res = await api.app.inject({
        method,
        url,
        cookies: { [COOKIE]: token },
        ...(body ? { payload: body } : {}),
      });
      return { status: res.statusCode, body: res.json() };
    },
  };
}

export type Signer = Awaited<ReturnType<typeof makeSigner>>;

/**
 * The test API of the enclosing describe block on one dialect, with a signer: made before its
 * tests, closed after them. Its fields are set by beforeAll: read them in tests.
 */
export function useSignerApi(dialect: Dialect): { api: TestApi; signer: Signer } {
  const t = {} as { api: TestApi; signer: Signer };
  beforeAll(async () => {
    t.api = await createTestApi(dialect);
    t.signer = await makeSigner(t.api);
  });
  afterAll(() => t.api.close());
  return t;
}
