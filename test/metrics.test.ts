import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server/serve.js';
import { createContext } from '../src/context.js';
import { unloggedWrites } from '../src/db/change-log.js';
import { openDatabase } from '../src/db/database.js';
import { addSiteRow, setPeerVector } from '../src/db/site.repository.js';
import { readVector, savePeerRow } from '../src/db/sync-rows.js';
import { newCode } from '../src/domain/code.js';
import { createWebhook } from '../src/webhooks/webhook.service.js';
import { admin, makeLot } from './support/factories.js';
import { DIALECTS, PG_URL } from './support/databases.js';

/** One sample of the text exposition format: `name{label="value",…} number`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses a scrape; every line is a comment or a sample, or the test fails naming the line. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = SAMPLE.exec(line);
    expect(match, `not a sample: ${line}`).not.toBeNull();
    const labels: Record<string, string> = {};
    for (const [, key, value] of match![2]?.matchAll(LABEL) ?? []) labels[key!] = value!;
    samples.push({ name: match![1]!, labels, value: Number(match![3]) });
  }
  return samples;
}

/** The value of the one sample of `name` with these labels (0 when there is none yet). */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value ?? 0;
}

/** A server on a database of its own: an SQLite file, or a PostgreSQL database it may lose. */
async function serverOn(dialect: string, dir: string) {
  let databaseUrl = path.join(dir, 'tracelot.db');
  let drop = async () => {};
  if (dialect === 'postgres') {
    const name = `tracelot_health_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    databaseUrl = PG_URL.replace(/\/[^/]*$/, `/${name}`);
    drop = async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    };
  }
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir,
    databaseUrl,
    print: () => {},
    logLevel: 'fatal',
    metrics: { port: 0, host: '127.0.0.1' },
  });
  return { server, databaseUrl, drop };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: metrics, request ids and health`, () => {
    let dir: string;
    let server: RunningServer;
    let databaseUrl: string;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-metrics-'));
      ({ server, databaseUrl, drop } = await serverOn(dialect, dir));
    });
    afterAll(async () => {
      await server.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    const scrape = async () => {
      const res = await fetch(server.metricsUrl!);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
      return parseExposition(await res.text());
    };
    const get = (url: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${url}`, { headers });

    it('/metrics counts each route by template, method and status class, and times the database', async () => {
      expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const before = await scrape();
      for (let i = 0; i < 3; i++) expect((await get('/api/health')).status).toBe(200);
      for (const code of ['0123abcd', '4567efgh'])
        expect((await get(`/api/v1/lots/${code}`)).status).toBe(401);
      for (let i = 0; i < 2; i++) expect((await get('/api/v1/no-such-route')).status).toBe(404);
      const after = await scrape();

      const moved = (name: string, labels: Record<string, string>) =>
        valueOf(after, name, labels) - valueOf(before, name, labels);
      const health = { route: '/api/health', method: 'GET', status: '2xx' };
      const lot = { route: '/api/v1/lots/:code', method: 'GET', status: '4xx' };
      const unmatched = { route: 'unmatched', method: 'GET', status: '4xx' };
      expect(moved('tracelot_http_requests_total', health)).toBe(3);
      expect(moved('tracelot_http_requests_total', lot)).toBe(2);
      expect(moved('tracelot_http_requests_total', unmatched)).toBe(2);
      expect(moved('tracelot_http_request_duration_seconds_count', health)).toBe(3);
      expect(moved('tracelot_http_request_duration_seconds_count', lot)).toBe(2);
      expect(
        moved('tracelot_http_request_duration_seconds_bucket', { ...health, le: '+Inf' }),
      ).toBe(3);
      expect(moved('tracelot_http_request_duration_seconds_sum', health)).toBeGreaterThan(0);
      // Each health check reads the database once, at least.
      expect(
        moved('tracelot_db_query_duration_seconds_count', { outcome: 'ok' }),
      ).toBeGreaterThanOrEqual(3);
      expect(
        valueOf(after, 'tracelot_db_query_duration_seconds_sum', { outcome: 'ok' }),
      ).toBeGreaterThan(0);
      // Gauges of features to come read 0; the label pool is idle.
      for (const gauge of [
        'tracelot_webhook_backlog',
        'tracelot_sync_lag_seconds',
        'tracelot_label_render_queue',
        'tracelot_label_renders_running',
      ]) {
        expect(after.some((s) => s.name === gauge)).toBe(true);
        expect(valueOf(after, gauge)).toBe(0);
      }
      expect((await fetch(server.metricsUrl!.replace('/metrics', '/other'))).status).toBe(404);
      // The API's own port has no /metrics (a page path: the web UI's, at most).
      expect((await get('/metrics')).headers.get('content-type')).not.toContain('version=0.0.4');
    });

    it('webhook_backlog counts deliveries not yet made; sync_lag_seconds ages what a peer lacks', async () => {
      // Another connection to the server's database, as a second server or the CLI would be.
      const other = openDatabase({ url: databaseUrl });
      try {
        const ctx = createContext(other.db);
        await createWebhook(ctx, admin, {
          url: 'http://127.0.0.1:9/erp',
          events: ['stock.received'],
        });
        await makeLot(ctx);
        await makeLot(ctx);
        expect(valueOf(await scrape(), 'tracelot_webhook_backlog')).toBe(2);

        // A site to sync with that has heard nothing yet: this site's oldest change waits.
        const peer = newCode();
        await unloggedWrites('a peer set up by the test', async () => {
          await addSiteRow(other.db, { id: peer, name: 'Plant B' });
          await savePeerRow(other.db, {
            site_id: peer,
            url: 'https://b.example',
            api_key: 'tl_x',
            added_at: new Date().toISOString(),
          });
        });
        const first = await other.db
          .selectFrom('change_record')
          .select('at')
          .orderBy('at')
          .executeTakeFirstOrThrow();
        const lag = valueOf(await scrape(), 'tracelot_sync_lag_seconds');
        expect(lag).toBeGreaterThanOrEqual((Date.now() - Date.parse(first.at)) / 1000 - 5);
        expect(lag).toBeGreaterThan(0);
        // It sent a bundle holding all of this site's records: nothing waits.
        const held = await readVector(other.db);
        await unloggedWrites('the peer holds everything', () =>
          setPeerVector(other.db, peer, held),
        );
        expect(valueOf(await scrape(), 'tracelot_sync_lag_seconds')).toBe(0);
      } finally {
        await other.close();
      }
    });

    it('a request id comes back in the x-request-id header and in an error body', async () => {
      const given = await get('/api/v1/no-such-route', { 'x-request-id': 'lb-7f3a.9_Z' });
      expect(given.headers.get('x-request-id')).toBe('lb-7f3a.9_Z');
      expect(await given.json()).toMatchObject({
        error: { code: 'not_found' },
        requestId: 'lb-7f3a.9_Z',
      });

      const ok = await get('/api/health');
      const made = ok.headers.get('x-request-id');
      expect(made).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
      expect(await ok.json()).toEqual({
        status: 'ok',
        version: expect.any(String),
        database: 'ok',
      });

      // An unauthenticated answer, from the auth hook: the same field.
      const denied = await get('/api/v1/lots/0123abcd', { 'x-request-id': 'x'.repeat(64) });
      expect(((await denied.json()) as any).requestId).toBe('x'.repeat(64));

      for (const unsafe of ['x'.repeat(65), 'two words', 'a"b', 'line\\nbreak']) {
        const res = await get('/api/v1/no-such-route', { 'x-request-id': unsafe });
        const id = res.headers.get('x-request-id')!;
        expect(id).not.toBe(unsafe);
        expect(id).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
        expect(((await res.json()) as any).requestId).toBe(id);
      }
    });

    it('/api/health answers 503 naming the database once the database is gone', async () => {
      expect((await get('/api/health')).status).toBe(200);
      if (dialect === 'postgres') await drop();
      // SQLite: the file's bytes are no database any more (as a disk fault or a bad restore
      // leaves it).
      else
        for (const file of [databaseUrl, `${databaseUrl}-wal`, `${databaseUrl}-shm`])
          writeFileSync(file, randomBytes(8192));
      const res = await get('/api/health');
      expect(res.status).toBe(503);
      const body = (await res.json()) as any;
      expect(body).toMatchObject({ status: 'unavailable', version: expect.any(String) });
      expect(body.database).toMatch(
        dialect === 'postgres' ? /database "tracelot_health_\w+" does not exist/ : /not a database/,
      );
    });
  });
}
