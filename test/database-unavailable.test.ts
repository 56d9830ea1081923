import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/context.js';
import { openDatabase } from '../src/db/database.js';
import { isDatabaseUnavailable } from '../src/db/errors.js';
import { buildApp } from '../src/http/app.js';
import { errorResponse } from '../src/http/error-handler.js';
import { createTestDatabase, DIALECTS, PG_URL, type TestDatabase } from './support/databases.js';

const request = { log: { error() {} } } as unknown as FastifyRequest;

/** A port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// PostgreSQL only: SQLite has no server that can restart under the application.
describe.skipIf(!DIALECTS.includes('postgres'))('postgres: the database server goes away', () => {
  let database: TestDatabase;
  let admin: pg.Client;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await database.close();
  });

  it('a connection ended mid-transaction fails that transaction (503), not the process', async () => {
    const error = await database.db
      .transaction()
      .execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        // What a restart does to every connection (57P01), done to this one alone.
        await admin.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
        // The server's message arrives while the connection is checked out and idle: without a
        // listener on the client, this 'error' event would end the process.
        await sleep(200);
        await sql`select 1`.execute(trx);
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeDefined();
    expect(isDatabaseUnavailable(error)).toBe(true);
    const answer = errorResponse(error, request);
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe('busy');
    // The pool dropped the broken connection: the next query opens a new one.
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database.db);
    expect(rows[0]!.one).toBe(1);
  });

  it('a server that refuses connections: requests are answered 503 at once', async () => {
    const handle = openDatabase({
      url: `postgres://postgres@127.0.0.1:${await closedPort()}/test`,
    });
    const app = await buildApp({ ctx: createContext(handle.db) });
    try {
      const started = performance.now();
      const response = await app.inject({
        method: 'GET',
        url: '/api/v1/resolve?q=ABC',
        headers: { authorization: 'Bearer tl_notakey' },
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('2');
      expect(response.json().error.code).toBe('busy');
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      await app.close();
      await handle.close();
    }
  });

  it('tells unavailability from other errors', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '57P03' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});
