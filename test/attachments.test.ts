import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contentPath,
  staleParts,
  storeStream,
  FolderFileStore,
} from '../src/attachments/file-store.js';
import type { Role } from '../src/domain/roles.js';
import { listHistory } from '../src/history/history.repository.js';
import { errorResponse } from '../src/http/error-handler.js';
import { lineLogger } from '../src/http/logger.js';
import { checkLedger } from '../src/stock/stock.service.js';
import { addServiceEvent } from '../src/units/service-event.service.js';
import { createShipment } from '../src/units/shipping.service.js';
import { createTestApi, type TestApi } from './support/api.js';
import { PDF, PNG } from './support/attachment-files.js';
import { DIALECTS } from './support/databases.js';
import { admin, makeLocation, makeLot, makePart } from './support/factories.js';
import { makeUnits } from './support/unit-factories.js';
import { rowCount } from './support/row-counts.js';
import { startTestServer } from './support/server.js';

const LIMIT = 64 * 1024;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Every file under a folder, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: attachments`, () => {
    let api: TestApi;
    let store: FolderFileStore;
    let root: string;

    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), 'tracelot-attach-'));
      store = new FolderFileStore(path.join(root, 'files'), LIMIT);
      api = await createTestApi(dialect, { files: store });
    });
    afterAll(async () => {
      await api.close();
      await rm(root, { recursive: true, force: true });
    });

    const upload = (
      query: Record<string, string>,
      payload: Buffer | Readable,
      options: { role?: Role; contentType?: string; headers?: Record<string, string> } = {},
    ) =>
      api.app
        .inject({
          method: 'POST',
          url: `/api/v1/attachments?${new URLSearchParams(query).toString()}`,
          headers: {
            authorization: `Bearer ${api.keys[options.role ?? 'editor']}`,
            'content-type': options.contentType ?? 'application/octet-stream',
            ...options.headers,
          },
          payload,
        })
        .then((res) => ({ status: res.statusCode, body: res.json() }));

    const content = (code: string, role: Role = 'viewer', headers: Record<string, string> = {}) =>
      api.app.inject({
        method: 'GET',
        url: `/api/v1/attachments/${code}/content`,
        headers: { authorization: `Bearer ${api.keys[role]}`, ...headers },
      });

    it('stores a PNG by its hash, lists it, serves it inline and records the upload', async () => {
      const { lot } = await makeLot(api.ctx);
      const res = await upload({ subject: lot.code, name: 'front.png', note: 'as received' }, PNG);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        subjectCode: lot.code,
        fileName: 'front.png',
        mediaType: 'image/png',
        size: PNG.length,
        sha256: sha(PNG),
        note: 'as received',
        removed: null,
        url: `/api/v1/attachments/${res.body.code}/content`,
      });
      expect(res.body.createdBy.name).toBe('key:test-editor');
      expect(existsSync(contentPath(store, sha(PNG)))).toBe(true);
      expect(contentPath(store, sha(PNG))).toBe(
        path.join(store.dir, 'sha256', sha(PNG).slice(0, 2), sha(PNG).slice(2, 4), sha(PNG)),
      );

      const list = await api.call(
        'GET',
        `/api/v1/attachments?subject=${lot.code}`,
        undefined,
        'viewer',
      );
      expect(list.status).toBe(200);
      expect(list.body.items.map((a: { code: string }) => a.code)).toEqual([res.body.code]);

      const served = await content(res.body.code);
      expect(served.statusCode).toBe(200);
      expect(served.rawPayload.equals(PNG)).toBe(true);
      expect(served.headers['content-type']).toBe('image/png');
      expect(served.headers['content-length']).toBe(String(PNG.length));
      expect(served.headers['content-disposition']).toBe(
        `inline; filename="front.png"; filename*=UTF-8''front.png`,
      );
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(served.headers['content-security-policy']).toContain('sandbox');
      expect(served.headers['content-security-policy']).toContain("default-src 'none'");
      const again = await content(res.body.code, 'viewer', {
        'if-none-match': String(served.headers.etag),
      });
      expect(again.statusCode).toBe(304);

      const history = await api.call('GET', `/api/v1/lots/${lot.code}/history`);
      const added = history.body.items.filter(
        (h: { type: string }) => h.type === 'attachment_added',
      );
      expect(added).toHaveLength(1);
      expect(added[0].data).toMatchObject({
        attachment: res.body.code,
        fileName: 'front.png',
        size: PNG.length,
      });
      expect(added[0].actor.name).toBe('key:test-editor');

      const resolved = await api.call('GET', `/api/v1/resolve?q=${res.body.code}`);
      expect(resolved.body).toMatchObject({ kind: 'attachment', name: 'front.png' });
    });

    it('serves PDF inline for the browser viewer, without sandbox but with no script sources', async () => {
      const part = await makePart(api.ctx);
      const res = await upload({ subject: part.code, name: 'Datenblatt ä.pdf' }, PDF);
      expect(res.status).toBe(201);
      expect(res.body.mediaType).toBe('application/pdf');
      const served = await content(res.body.code);
      expect(served.headers['content-type']).toBe('application/pdf');
      expect(served.headers['content-disposition']).toBe(
        `inline; filename="Datenblatt _.pdf"; filename*=UTF-8''Datenblatt%20%C3%A4.pdf`,
      );
      expect(served.headers['content-security-policy']).toContain("default-src 'none'");
      expect(served.headers['content-security-policy']).not.toContain('script-src');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      const history = await listHistory(api.database.db, part.code);
      expect(history.map((h) => h.type)).toContain('attachment_added');
    });

    it('keeps one file for the same content, however often and wherever it is attached', async () => {
      const bytes = Buffer.from(`same bytes ${dialect} ${Date.now()}\n`);
      const location = await makeLocation(api.ctx);
      const part = await makePart(api.ctx);
      const before = await filesUnder(path.join(store.dir, 'sha256'));
      // Parallel uploads of one content: every one is recorded, one file is kept.
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          upload({ subject: i % 2 ? location.code : part.code, name: `copy ${i}.txt` }, bytes),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
      expect(new Set(results.map((r) => r.body.code)).size).toBe(6);
      expect(new Set(results.map((r) => r.body.sha256))).toEqual(new Set([sha(bytes)]));
      const after = await filesUnder(path.join(store.dir, 'sha256'));
      expect(after.filter((f) => !before.includes(f))).toEqual([
        path.join(sha(bytes).slice(0, 2), sha(bytes).slice(2, 4), sha(bytes)),
      ]);
      expect(await filesUnder(path.join(store.dir, 'tmp'))).toEqual([]);
      const listed = await api.call('GET', `/api/v1/attachments?subject=${location.code}`);
      expect(listed.body.items).toHaveLength(3);
      expect(listed.body.items[0].mediaType).toBe('text/plain');
    });

    it('shows a name like ../../etc/passwd as passwd and writes nothing outside the store', async () => {
      const { lot } = await makeLot(api.ctx);
      const bytes = Buffer.from(`root:x:0:0 ${dialect}\n`);
      const res = await upload({ subject: lot.code, name: '../../etc/passwd' }, bytes);
      expect(res.status).toBe(201);
      expect(res.body.fileName).toBe('passwd');
      expect(existsSync(path.join(store.dir, '..', 'etc'))).toBe(false);
      expect(existsSync(path.join(store.dir, 'etc'))).toBe(false);
      const served = await content(res.body.code);
      expect(served.headers['content-disposition']).toBe(
        `attachment; filename="passwd"; filename*=UTF-8''passwd`,
      );
      expect((await filesUnder(root)).every((f) => f.startsWith(`files${path.sep}sha256`))).toBe(
        true,
      );

      const windows = await upload({ subject: lot.code, name: 'C:\\temp\\..\\ab.txt' }, bytes);
      expect(windows.body.fileName).toBe('ab.txt');
      // Control characters are refused, as in every text (was: dropped from the name).
      for (const name of ['..', '../', '', '\u0001', 'a\u0000b.txt']) {
        const refused = await upload({ subject: lot.code, name }, bytes);
        expect(refused.status, JSON.stringify(name)).toBe(400);
        expect(refused.body.error.field).toBe('name');
      }
    });

    it('stores HTML and SVG with script as downloads that never run', async () => {
      const { lot } = await makeLot(api.ctx);
      const html = Buffer.from(
        '<!doctype html><html><script>alert(document.cookie)</script></html>',
      );
      const svg = Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>',
      );
      for (const [name, bytes] of [
        ['evil.html', html],
        ['logo.svg', svg],
      ] as const) {
        const res = await upload({ subject: lot.code, name }, bytes);
        expect(res.status).toBe(201);
        expect(res.body.mediaType).toBe('application/octet-stream');
        const served = await content(res.body.code);
        expect(served.statusCode).toBe(200);
        expect(served.headers['content-type']).toBe('application/octet-stream');
        expect(served.headers['content-disposition']).toMatch(/^attachment; /);
        expect(served.headers['x-content-type-options']).toBe('nosniff');
        expect(served.headers['content-security-policy']).toMatch(/default-src 'none'.*sandbox/);
        expect(served.rawPayload.equals(bytes)).toBe(true);
      }
    });

    it('refuses an upload over the limit with 413 and keeps nothing (declared or streamed)', async () => {
      const { lot } = await makeLot(api.ctx);
      const rows = await rowCount(api.database.db, 'attachment');
      const big = Buffer.alloc(LIMIT + 1, 7);
      const declared = await upload({ subject: lot.code, name: 'big.bin' }, big);
      expect(declared.status).toBe(413);
      expect(declared.body.error).toMatchObject({ code: 'payload_too_large', field: 'file' });
      expect(declared.body.error.message).toContain('64 KB');

      // No Content-Length: the limit is enforced while streaming.
      const chunks = Array.from({ length: 20 }, () => Buffer.alloc(8 * 1024, 1));
      const streamed = await upload({ subject: lot.code, name: 'big.bin' }, Readable.from(chunks));
      expect(streamed.status).toBe(413);
      expect(streamed.body.error.code).toBe('payload_too_large');

      expect(await rowCount(api.database.db, 'attachment')).toBe(rows);
      expect(await filesUnder(path.join(store.dir, 'tmp'))).toEqual([]);
      expect(existsSync(contentPath(store, sha(Buffer.concat(chunks))))).toBe(false);
      expect(existsSync(contentPath(store, sha(big)))).toBe(false);

      const exact = await upload({ subject: lot.code, name: 'exact.bin' }, Buffer.alloc(LIMIT, 3));
      expect(exact.status).toBe(201);
      expect(exact.body.size).toBe(LIMIT);
    });

    it('answers 413 over real HTTP while the client is still sending (no reset connection)', async () => {
      const { lot } = await makeLot(api.ctx);
      const url = await api.app.listen({ port: 0, host: '127.0.0.1' });
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= LIMIT * 4) return controller.close();
          sent += 16 * 1024;
          controller.enqueue(new Uint8Array(16 * 1024).fill(5));
        },
      });
      const res = await fetch(`${url}/api/v1/attachments?subject=${lot.code}&name=stream.bin`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${api.keys.editor}`,
          'content-type': 'application/octet-stream',
        },
        body,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe('file');
      expect(await filesUnder(path.join(store.dir, 'tmp'))).toEqual([]);
      // The connection still serves the next request.
      const ok = await fetch(`${url}/api/v1/attachments?subject=${lot.code}&name=small.txt`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${api.keys.editor}`,
          'content-type': 'application/octet-stream',
        },
        body: 'small file',
      });
      expect(ok.status).toBe(201);
    });

    it('refuses empty files, bad subjects and bad input with the field named, changing nothing', async () => {
      const { lot } = await makeLot(api.ctx);
      const rows = await rowCount(api.database.db, 'attachment');
      const empty = await upload({ subject: lot.code, name: 'empty.txt' }, Buffer.alloc(0));
      expect(empty.status).toBe(400);
      expect(empty.body.error).toMatchObject({ code: 'validation_error', field: 'file' });
      expect(empty.body.error.message).toContain('empty');

      const cases: [Record<string, string>, number, string][] = [
        [{ subject: 'not a code!', name: 'a.txt' }, 400, 'subject'],
        [{ subject: '0'.repeat(26), name: 'a.txt' }, 404, 'subject'],
        [{ name: 'a.txt' }, 400, 'subject'],
        [{ subject: lot.code }, 400, 'name'],
        [{ subject: lot.code, name: 'x'.repeat(1001) }, 400, 'name'],
        [{ subject: lot.code, name: 'a.txt', note: 'n'.repeat(2001) }, 400, 'note'],
      ];
      for (const [query, status, field] of cases) {
        const res = await upload(query, Buffer.from('hello'));
        expect(res.status, JSON.stringify(query)).toBe(status);
        expect(res.body.error.field, JSON.stringify(query)).toBe(field);
      }
      // An attachment cannot carry attachments.
      const first = await upload({ subject: lot.code, name: 'a.txt' }, Buffer.from('hello'));
      const nested = await upload({ subject: first.body.code, name: 'b.txt' }, Buffer.from('x'));
      expect(nested.status).toBe(400);
      expect(nested.body.error.message).toContain('attachment cannot have attachments');

      const json = await api.app.inject({
        method: 'POST',
        url: `/api/v1/attachments?subject=${lot.code}&name=a.json`,
        headers: { authorization: `Bearer ${api.keys.editor}` },
        payload: { a: 1 },
      });
      expect(json.statusCode).toBe(400);
      expect(json.json().error.field).toBe('file');

      const viewer = await upload({ subject: lot.code, name: 'a.txt' }, Buffer.from('x'), {
        role: 'viewer',
      });
      expect(viewer.status).toBe(403);
      expect(await rowCount(api.database.db, 'attachment')).toBe(rows + 1);
    });

    it('removes with a reason: hidden, recorded, still retrievable by admins', async () => {
      const { lot } = await makeLot(api.ctx);
      const added = await upload({ subject: lot.code, name: 'wrong.png' }, PNG);
      const code = added.body.code as string;

      const noReason = await api.call(
        'POST',
        `/api/v1/attachments/${code}/remove`,
        { reason: ' ' },
        'editor',
      );
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.field).toBe('reason');
      const viewer = await api.call(
        'POST',
        `/api/v1/attachments/${code}/remove`,
        { reason: 'x' },
        'viewer',
      );
      expect(viewer.status).toBe(403);
      expect((await content(code)).statusCode).toBe(200);

      // Parallel removals: exactly one wins, one history event.
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          api.call(
            'POST',
            `/api/v1/attachments/${code}/remove`,
            { reason: 'wrong unit' },
            'editor',
          ),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
      const winner = results.find((r) => r.status === 200)!;
      expect(winner.body.removed).toMatchObject({ by: 'key:test-editor', reason: 'wrong unit' });

      const listed = await api.call(
        'GET',
        `/api/v1/attachments?subject=${lot.code}`,
        undefined,
        'editor',
      );
      expect(listed.body.items).toEqual([]);
      expect((await content(code, 'editor')).statusCode).toBe(404);
      expect(
        (await api.call('GET', `/api/v1/attachments/${code}`, undefined, 'editor')).status,
      ).toBe(404);
      const forbidden = await api.call(
        'GET',
        `/api/v1/attachments?subject=${lot.code}&removed=true`,
        undefined,
        'editor',
      );
      expect(forbidden.status).toBe(403);
      expect(forbidden.body.error.field).toBe('removed');

      const forAdmin = await api.call(
        'GET',
        `/api/v1/attachments?subject=${lot.code}&removed=true`,
      );
      expect(forAdmin.body.items).toHaveLength(1);
      expect(forAdmin.body.items[0].removed.reason).toBe('wrong unit');
      const adminContent = await content(code, 'admin');
      expect(adminContent.statusCode).toBe(200);
      expect(adminContent.rawPayload.equals(PNG)).toBe(true);

      const history = await api.call('GET', `/api/v1/lots/${lot.code}/history`);
      const removed = history.body.items.filter(
        (h: { type: string }) => h.type === 'attachment_removed',
      );
      expect(removed).toHaveLength(1);
      expect(removed[0].data).toMatchObject({
        attachment: code,
        fileName: 'wrong.png',
        reason: 'wrong unit',
      });
      expect(removed[0].actor.name).toBe('key:test-editor');
    });

    it('attaches to every attachable kind and refuses other kinds', async () => {
      const { lot, part, location } = await makeLot(api.ctx);
      // The kind is what decides, whichever feature made the object.
      const { units } = await makeUnits(api.ctx, 2);
      const serviceEvent = (
        await addServiceEvent(api.ctx, admin, units[0]!.code, { type: 'note', text: 'checked' })
      ).code;
      const shipment = (
        await createShipment(api.ctx, admin, {
          customer: 'Acme',
          reference: 'PO-attach',
          units: [units[1]!.code],
        })
      ).code;
      for (const subject of [lot.code, part.code, location.code, serviceEvent]) {
        const res = await upload({ subject, name: 'a.txt' }, Buffer.from('note'));
        expect(res.status).toBe(201);
        expect(res.body.subjectCode).toBe(subject);
        expect((await listHistory(api.database.db, subject)).at(-1)!.type).toBe('attachment_added');
      }
      const refused = await upload({ subject: shipment, name: 'a.txt' }, Buffer.from('note'));
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({
        field: 'subject',
        message: 'subject: a shipment cannot have attachments',
      });
    });

    it('answers 404 for unknown attachments and 400 for malformed codes', async () => {
      const missing = await api.call('GET', `/api/v1/attachments/${'1'.repeat(26)}/content`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.field).toBe('code');
      const bad = await api.call('POST', `/api/v1/attachments/nope!/remove`, { reason: 'x' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.field).toBe('code');
    });
  });
}

/** A body that sends 1000 bytes, then, asked for more, breaks off (with `error`, if given). */
function breaksOff(error?: Error): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (sent) this.destroy(error);
      else {
        sent = true;
        this.push(Buffer.alloc(1000, 1));
      }
    },
  });
}

describe('file store', () => {
  it('removes the temporary file when the upload breaks off or fails', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tracelot-store-'));
    const store = new FolderFileStore(dir, LIMIT);
    try {
      // The client goes away: the request closes without ending.
      await expect(storeStream(store, breaksOff())).rejects.toThrow('interrupted');
      await expect(storeStream(store, breaksOff(new Error('socket hang up')))).rejects.toThrow(
        'socket hang up',
      );
      expect(await filesUnder(dir)).toEqual([]);

      const ok = await storeStream(
        store,
        Readable.from([Buffer.from('%PDF-1.4 '), Buffer.from('x')]),
      );
      expect(ok).toMatchObject({ size: 10, sha256: sha(Buffer.from('%PDF-1.4 x')) });
      expect(Buffer.from(ok.head).toString()).toBe('%PDF-1.4 x');
      expect(() => contentPath(store, '../../etc/passwd')).toThrow('not a SHA-256');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('tracelot serve', () => {
  it('keeps files in its data folder and applies its upload limit', async () => {
    const server = await startTestServer({ maxUploadBytes: 1000 });
    try {
      const { cookie } = await server.login(server.admin.username, server.admin.password);
      const location = (await (
        await fetch(`${server.url}/api/v1/locations`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Shelf' }),
        })
      ).json()) as { code: string };
      const send = (bytes: Buffer) =>
        fetch(`${server.url}/api/v1/attachments?subject=${location.code}&name=a.bin`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/octet-stream' },
          body: new Uint8Array(bytes),
        });
      const tooBig = await send(Buffer.alloc(1001, 1));
      expect(tooBig.status).toBe(413);
      expect(((await tooBig.json()) as { error: { message: string } }).error.message).toBe(
        'file: is larger than the limit of 1000 bytes',
      );
      const fits = Buffer.alloc(1000, 2);
      expect((await send(fits)).status).toBe(201);
      const hash = sha(fits);
      expect(
        existsSync(
          path.join(server.dataDir, 'files', 'sha256', hash.slice(0, 2), hash.slice(2, 4), hash),
        ),
      ).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('a server without a data folder for files', () => {
  it('refuses uploads with a clear error', async () => {
    const api = await createTestApi('sqlite');
    try {
      const { lot } = await makeLot(api.ctx);
      const res = await api.app.inject({
        method: 'POST',
        url: `/api/v1/attachments?subject=${lot.code}&name=a.txt`,
        headers: {
          authorization: `Bearer ${api.keys.admin}`,
          'content-type': 'application/octet-stream',
        },
        payload: Buffer.from('x'),
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.message).toContain('no data folder');
    } finally {
      await api.close();
    }
  });
});

describe('uploads cut short by a stopped server', () => {
  it('leave parts that a starting server removes once nothing wrote to them for an hour', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tracelot-serve-parts-'));
    const tmp = path.join(dataDir, 'files', 'tmp');
    await mkdir(tmp, { recursive: true });
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);
    const write = async (name: string, bytes: number, modified: Date) => {
      await writeFile(path.join(tmp, name), Buffer.alloc(bytes, 7));
      await utimes(path.join(tmp, name), modified, modified);
    };
    await write('dead.part', 3000, hoursAgo(2));
    await write('also-dead.part', 1000, hoursAgo(1.1));
    // Another server on the same folder may be receiving these right now.
    await write('in-progress.part', 500, hoursAgo(0.5));
    await write('fresh.part', 500, new Date());
    await write('notes.txt', 10, hoursAgo(5));
    expect(await staleParts({ dir: path.join(dataDir, 'files') })).toHaveLength(2);
    const server = await startTestServer({ dataDir });
    try {
      expect((await readdir(tmp)).sort()).toEqual(['fresh.part', 'in-progress.part', 'notes.txt']);
      expect(server.lines).toContain(
        `Removed 2 upload part(s) (3.9 KB) that interrupted uploads left in ${tmp}`,
      );
    } finally {
      await server.close();
    }
  });
});

describe('sqlite: a full disk', () => {
  // SQLite's max_page_count makes the database full for real (SQLITE_FULL, as a full disk
  // does). PostgreSQL's disk_full (53100) and a full files folder (ENOSPC) are answered alike,
  // end to end in storage-full.test.ts.
  it('answers 507 naming the cause in the log, and changes nothing', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tracelot-full-'));
    const store = new FolderFileStore(path.join(root, 'files'), LIMIT);
    const log: string[] = [];
    const api = await createTestApi('sqlite', {
      files: store,
      logger: lineLogger('error', (l) => log.push(l)),
    });
    try {
      const { lot, part, location } = await makeLot(api.ctx);
      const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(
        api.database.db,
      );
      await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(api.database.db);
      const attach = (i: number) =>
        api.app.inject({
          method: 'POST',
          url: `/api/v1/attachments?subject=${lot.code}&name=r${i}.txt&note=${'n'.repeat(2000)}`,
          headers: {
            authorization: `Bearer ${api.keys.editor}`,
            'content-type': 'application/octet-stream',
          },
          payload: Buffer.from(`report ${i}`),
        });
      // Each attachment takes a few kB: the pages left fill within a few uploads.
      let stored = 0;
      let full = await attach(stored);
      while (full.statusCode === 201 && stored < 100) full = await attach(++stored);
      expect(full.statusCode).toBe(507);
      expect(full.json().error).toEqual({
        code: 'insufficient_storage',
        message:
          "the server's storage is full, so nothing was saved: free space on the server's disk (or database) and try again",
      });
      expect(log.join('')).toContain('database or disk is full');
      expect(log.join('')).not.toContain('cannot rollback');
      const listed = await api.call('GET', `/api/v1/attachments?subject=${lot.code}`);
      expect(listed.body.items).toHaveLength(stored);
      expect(await readdir(path.join(store.dir, 'tmp'))).toEqual([]);

      // A write of many rows fails part-way through: none of them stays.
      const before = await checkLedger(api.ctx);
      const many = {
        items: Array.from({ length: 300 }, (_, i) => ({
          part: part.code,
          location: location.code,
          quantity: 1,
          lot: { name: `reel ${i}`, description: 'd'.repeat(500) },
        })),
      };
      const receive = await api.call('POST', '/api/v1/stock/receive', many);
      expect(receive.status).toBe(507);
      expect(await checkLedger(api.ctx)).toEqual(before);

      await sql.raw('pragma max_page_count = 1073741823').execute(api.database.db);
      expect((await attach(stored + 1)).statusCode).toBe(201);
      expect((await api.call('POST', '/api/v1/stock/receive', many)).status).toBe(201);
    } finally {
      await api.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('answers a full files folder (ENOSPC) the same way', async () => {
    // /dev/full refuses every write with ENOSPC: the error a full disk gives the file store.
    const error = await writeFile('/dev/full', 'x').catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('ENOSPC');
    const log: string[] = [];
    const request = { log: lineLogger('error', (l) => log.push(l)) } as unknown as FastifyRequest;
    expect(errorResponse(error, request)).toMatchObject({
      status: 507,
      body: { code: 'insufficient_storage' },
    });
    expect(log.join('')).toContain('ENOSPC: no space left on device');
    expect(errorResponse({ code: '53100', message: 'could not extend file' }, request).status).toBe(
      507,
    );
  });
});
