import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { createApiKey } from '../../src/auth/api-key.service.js';
import type { Dialect } from '../../src/db/database.js';
import type { Role } from '../../src/domain/roles.js';
import { buildApp, type AppOptions } from '../../src/http/app.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { admin, makeLocation, testContext, type TestContext } from './factories.js';

export interface TestApi {
  app: FastifyInstance;
  database: TestDatabase;
  ctx: TestContext;
  keys: Record<Role, string>;
  /** JSON request with an API key (admin unless another role is named). */
  call(
    method: string,
    url: string,
    body?: unknown,
    role?: Role | null,
  ): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function createTestApi(
  dialect: Dialect,
  options: Omit<AppOptions, 'ctx'> = {},
): Promise<TestApi> {
  return apiOn(await createTestDatabase(dialect), options);
}

/** The test API on a database made already (e.g. a backup imported into it); it closes it. */
export async function apiOn(
  database: TestDatabase,
  options: Omit<AppOptions, 'ctx'> = {},
): Promise<TestApi> {
  const ctx = testContext(database.db);
  const app = await buildApp({ ctx, ...options });
  const keys = {} as Record<Role, string>;
  for (const role of ['admin', 'editor', 'viewer'] as const) {
    keys[role] = (await createApiKey(ctx, admin, { name: `test-${role}`, role })).key;
  }
  return {
    app,
    database,
    ctx,
    keys,
    async call(method, url, body, role = 'admin') {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: role ? { authorization: `Bearer ${keys[role]}` } : {},
        ...(body === undefined ? {} : { payload: body as object }),
      });
      const text = res.body;
      return {
        status: res.statusCode,
        body:
          text && String(res.headers['content-type']).includes('json') ? JSON.parse(text) : text,
      };
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}

/** Codes of the test API keys by role (their names are `test-<role>`). */
export async function apiKeyCodes(api: TestApi): Promise<Record<string, string>> {
  const res = await api.call('GET', '/api/v1/api-keys');
  if (res.status !== 200) throw new Error(`GET /api-keys answered ${res.status}`);
  const out: Record<string, string> = {};
  for (const key of res.body.items as { name: string; code: string }[]) {
    out[key.name.replace(/^test-/, '')] = key.code;
  }
  return out;
}

/**
 * The test API of the enclosing describe block on one dialect, with its API keys' codes by role:
 * made before its tests, closed after them. Its fields are set by beforeAll: read them in tests.
 */
export function useTestApi(dialect: Dialect): { api: TestApi; keyCode: Record<string, string> } {
  const t = {} as { api: TestApi; keyCode: Record<string, string> };
  beforeAll(async () => {
    t.api = await createTestApi(dialect);
    t.keyCode = await apiKeyCodes(t.api);
  });
  afterAll(() => t.api.close());
  return t;
}

/** What a suite of build tests shares: its API, the API's context, and a location for builds. */
export interface BuildSuite {
  api: TestApi;
  ctx: TestContext;
  line: string;
}

/**
 * Opens a test API on a fresh database of `dialect` before the suite's tests (with a location
 * named for the dialect, where builds put their units) and closes it after. The fields are set
 * once the suite starts: read them inside the tests.
 */
export function buildSuite(dialect: Dialect): BuildSuite {
  const suite = {} as BuildSuite;
  beforeAll(async () => {
    suite.api = await createTestApi(dialect);
    suite.ctx = suite.api.ctx;
    suite.line = (await makeLocation(suite.ctx, { name: `Line ${dialect}` })).code;
  });
  afterAll(() => suite.api.close());
  return suite;
}
