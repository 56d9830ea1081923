import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FolderFileStore } from '../src/attachments/file-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../src/auth/user.service.js';
import { apiKeyCodes, createTestApi, type TestApi } from './support/api.js';
import { PNG } from './support/attachment-files.js';
import { DIALECTS } from './support/databases.js';
import { admin, makeLot } from './support/factories.js';

// What viewers must not read: the histories of accounts (who was made admin, when keys were
// made) and anything of a removed attachment (its name and the reason it was removed).
for (const dialect of DIALECTS) {
  describe(`${dialect}: admin-only histories and removed attachments`, () => {
    let api: TestApi;
    let root: string;
    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'tracelot-visibility-'));
      api = await createTestApi(dialect, {
        files: new FolderFileStore(path.join(root, 'files'), 1024 * 1024),
      });
    });
    afterAll(async () => {
      await api.close();
      await rm(root, { recursive: true, force: true });
    });

    it("a user's or an API key's history: 403 for viewers and editors, shown to admins", async () => {
      const { user } = await createUser(api.ctx, admin, { username: 'histo', role: 'editor' });
      const key = (await apiKeyCodes(api)).viewer!;
      for (const code of [user.code, key]) {
        for (const role of ['viewer', 'editor'] as const) {
          const res = await api.call('GET', `/api/v1/lots/${code}/history`, undefined, role);
          expect(res.status).toBe(403);
          expect(res.body.error).toMatchObject({ code: 'forbidden', field: 'code' });
        }
        const shown = await api.call('GET', `/api/v1/lots/${code}/history`);
        expect(shown.status).toBe(200);
        expect(shown.body.items[0]).toMatchObject({ source: 'event', type: 'created' });
      }
    });

    it('a removed attachment: not resolved, scanned or in a lot history for non-admins', async () => {
      const { lot } = await makeLot(api.ctx);
      const uploaded = await api.app.inject({
        method: 'POST',
        url: `/api/v1/attachments?subject=${lot.code}&name=secret-board.png`,
        headers: {
          authorization: `Bearer ${api.keys.editor}`,
          'content-type': 'application/octet-stream',
        },
        payload: PNG,
      });
      const code: string = uploaded.json().code;
      const before = await api.call('GET', `/api/v1/resolve?q=${code}`, undefined, 'viewer');
      expect(before.body).toMatchObject({ kind: 'attachment', name: 'secret-board.png' });
      const removed = await api.call('POST', `/api/v1/attachments/${code}/remove`, {
        reason: 'customer NDA',
      });
      expect(removed.status).toBe(200);

      for (const q of [code, code.slice(0, 12)]) {
        const resolved = await api.call('GET', `/api/v1/resolve?q=${q}`, undefined, 'viewer');
        expect(resolved.status).toBe(404);
        const scanned = await api.call('GET', `/api/v1/scan?q=${q}`, undefined, 'viewer');
        expect(scanned.status).toBe(200);
        expect(scanned.body.resolved).toBeUndefined();
        expect(JSON.stringify(scanned.body)).not.toContain('secret-board');
      }
      const history = await api.call(
        'GET',
        `/api/v1/lots/${lot.code}/history`,
        undefined,
        'viewer',
      );
      expect(history.status).toBe(200);
      const text = JSON.stringify(history.body);
      expect(text).not.toContain('secret-board');
      expect(text).not.toContain('customer NDA');
      expect(history.body.items.map((i: { type: string }) => i.type)).toEqual(['received']);

      // Admins still see what happened.
      const full = await api.call('GET', `/api/v1/lots/${lot.code}/history`);
      expect(full.body.items.map((i: { type: string }) => i.type)).toEqual([
        'received',
        'attachment_added',
        'attachment_removed',
      ]);
      expect(full.body.items[2].data).toMatchObject({ reason: 'customer NDA' });
    });
  });
}
