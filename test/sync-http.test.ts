import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStoreIn } from '../src/attachments/file-store.js';
import { verifyLog } from '../src/audit/audit.service.js';
import { syncPeers } from '../src/sync/peer.service.js';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { startTestServer, type ApiSession, type TestServer } from './support/server.js';

/**
 * Sync over HTTP between a real `tracelot serve` (SQLite) and an instance on each database,
 * with a key of the `site` role made at the server.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: sync with a site over HTTP`, () => {
    let server: TestServer;
    let admin: ApiSession;
    let here: TestApi;
    let dir: string;
    let key: string;
    beforeAll(async () => {
      server = await startTestServer();
      admin = await server.login(server.admin.username, server.admin.password);
      await admin.call('PATCH', '/api/v1/site', { name: 'Plant A' });
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-sync-http-'));
      here = await createTestApi(dialect, { files: fileStoreIn(dir) });
      await here.call('PATCH', '/api/v1/site', { name: 'Laptop' });
      key = (await admin.call('POST', '/api/v1/api-keys', { name: 'laptop', role: 'site' })).key;
    });
    afterAll(async () => {
      await here.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('adds the site with its key, syncs both ways, and the key serves no other site or route', async () => {
      const part = await admin.call('POST', '/api/v1/parts', { name: 'Made at A' });
      const added = await here.call('POST', '/api/v1/sync/peers', {
        name: 'Plant A',
        url: server.url,
        key,
      });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      expect(added.body).toMatchObject({
        site: { name: 'Plant A' },
        url: server.url,
        lastSyncAt: null,
      });

      const local = await here.call('POST', '/api/v1/parts', { name: 'Made on the laptop' });
      const run = await here.call('POST', '/api/v1/sync/run', {});
      expect(run.status, JSON.stringify(run.body)).toBe(200);
      const [result] = run.body.items;
      expect(result.error).toBeUndefined();
      expect(result.sent.records.applied).toBeGreaterThan(0);
      expect(result.received.records.applied).toBeGreaterThan(0);

      expect((await here.call('GET', `/api/v1/parts/${part.code}`)).body.name).toBe('Made at A');
      expect((await admin.call('GET', `/api/v1/parts/${local.body.code}`)).name).toBe(
        'Made on the laptop',
      );
      const sites = (await admin.call('GET', '/api/v1/sites')).items.map((s: any) => s.name);
      expect(sites.sort()).toEqual(['Laptop', 'Plant A']);
      expect((await verifyLog(here.ctx)).problems).toEqual([]);

      // Nothing new: a second sync sends and receives nothing.
      const again = await syncPeers(here.ctx, fileStoreIn(dir));
      expect(again[0]!.sent!.records.applied).toBe(0);
      expect(again[0]!.received!.records.applied).toBe(0);

      // The key is the laptop's now: any other site is refused, and it reaches nothing else.
      const res = await fetch(`${server.url}/api/v1/sync/vector`, {
        headers: { authorization: `Bearer ${key}`, 'tracelot-site': '0'.repeat(26) },
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as any).error.message).toMatch(/belongs to site .*another site/);
      const parts = await fetch(`${server.url}/api/v1/parts`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(parts.status).toBe(403);
      expect(((await parts.json()) as any).error.message).toMatch(/may only sync/);
    });

    it('says why a sync failed: an unreachable site, a wrong key', async () => {
      const wrong = await here.call('POST', '/api/v1/sync/peers', {
        name: 'Nowhere',
        url: 'http://127.0.0.1:1',
        key,
      });
      expect(wrong.status).toBe(409);
      expect(wrong.body.error.message).toMatch(/cannot be reached/);
      const bad = await here.call('POST', '/api/v1/sync/peers', {
        name: 'Plant A',
        url: server.url,
        key: 'tl_not-a-key',
      });
      expect(bad.status).toBe(409);
      expect(bad.body.error.message).toMatch(/answered 401/);
      const invalid = await here.call('POST', '/api/v1/sync/peers', {
        name: 'X',
        url: 'ftp://example.com',
        key,
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.error.field).toBe('url');
    });
  });
}
