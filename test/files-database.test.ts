import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadAttachment } from '../src/attachments/attachment.service.js';
import { checkFiles } from '../src/attachments/file-check.js';
import { insertUpload } from '../src/attachments/file-content.repository.js';
import { exportInstance } from '../src/transfer/export.service.js';
import { importInstance } from '../src/transfer/import.service.js';
import { CHUNK_BYTES, DatabaseFileStore } from '../src/attachments/database-file-store.js';
import {
  fileStoreIn,
  FolderFileStore,
  PayloadTooLargeError,
  storedFiles,
  type FileStoreKind,
} from '../src/attachments/file-store.js';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { ConflictError } from '../src/domain/errors.js';
import { startServer, type RunningServer } from '../src/server/serve.js';
import { cli, cliEnv, json } from './support/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/databases.js';
import { makePart, testContext } from './support/factories.js';
import { buildApp } from '../src/http/app.js';
import { createApiKey } from '../src/auth/api-key.service.js';
import { admin } from './support/factories.js';

const MB = 1024 * 1024;
const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** `size` bytes that differ per seed and per 64 KB block, produced a block at a time (never held whole). */
function noise(size: number, seed: string): { stream: () => Readable; sha256: string } {
  const base = createHash('sha512').update(seed).digest();
  const pattern = Buffer.alloc(64 * 1024);
  for (let at = 0; at < pattern.length; at += base.length) base.copy(pattern, at);
  // Each block differs (its number in front), so no two chunks of a file are alike.
  const block = (i: number) => {
    const out = Buffer.from(pattern);
    out.writeUInt32BE(i, 0);
    return out.subarray(0, Math.min(out.length, size - i * out.length));
  };
  const blocks = Math.ceil(size / (64 * 1024));
  const hash = createHash('sha256');
  for (let i = 0; i < blocks; i++) hash.update(block(i));
  return {
    sha256: hash.digest('hex'),
    stream: () =>
      Readable.from(
        (function* () {
          for (let i = 0; i < blocks; i++) yield block(i);
        })(),
      ),
  };
}

async function sha256Of(input: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of input) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** The URL of a test database's PostgreSQL schema, as a server or the CLI is given it. */
function pgUrl(database: TestDatabase): string {
  return `${database.url}?options=${encodeURIComponent(`-c search_path=${database.schema}`)}`;
}

/** A server as `tracelot serve --files <files>` starts it, on PostgreSQL when a database is given. */
function serve(
  dataDir: string,
  files: FileStoreKind,
  database?: TestDatabase,
  print: (line: string) => void = () => undefined,
): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    ...(database ? { databaseUrl: pgUrl(database) } : {}),
    files,
    logLevel: 'error',
    print,
  });
}

async function counts(database: TestDatabase) {
  const { rows } = await sql<{ contents: number; uploads: number; chunks: number }>`
    select (select count(*) from file_content where sha256 is not null)::int as contents,
           (select count(*) from file_content where sha256 is null)::int as uploads,
           (select count(*) from file_chunk)::int as chunks`.execute(database.db);
  return rows[0]!;
}

for (const dialect of DIALECTS.filter((d) => d === 'postgres')) {
  describe(`${dialect}: attachment contents in the database`, () => {
    let database: TestDatabase;
    let queries = 0;
    let counted: DatabaseHandle;
    let store: DatabaseFileStore;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      counted = openDatabase({
        url: database.url,
        schema: database.schema,
        onQuery: () => queries++,
      });
      store = new DatabaseFileStore(counted.db, 64 * MB);
    });
    afterAll(async () => {
      await counted.close();
      await database.close();
    });

    it('stores 20 MB in 256 KB chunks and streams it back a chunk at a time, byte-identical', async () => {
      const file = noise(20 * MB, 'big');
      const stored = await store.put(file.stream());
      expect(stored).toMatchObject({ sha256: file.sha256, size: 20 * MB });
      expect(await counts(database)).toEqual({
        contents: 1,
        uploads: 0,
        chunks: (20 * MB) / CHUNK_BYTES,
      });
      const before = queries;
      const content = (await store.open(file.sha256))!;
      expect(content).toBeInstanceOf(Readable);
      // The first bytes come after the content's row and one chunk: never the whole file.
      const first = await new Promise<Buffer>((resolve) => content.once('data', resolve));
      content.pause();
      expect(first.length).toBeLessThanOrEqual(CHUNK_BYTES);
      // Paused, it fetches no further than the chunk after (the content's row, 2 chunks).
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(queries - before).toBeLessThanOrEqual(3);
      const rest = await sha256Of(content);
      expect(first.length + rest.size).toBe(20 * MB);
      const whole = await sha256Of((await store.open(file.sha256))!);
      expect(whole).toEqual({ sha256: file.sha256, size: 20 * MB });
      expect(queries - before).toBeGreaterThanOrEqual((2 * (20 * MB)) / CHUNK_BYTES);
    });

    it('a second upload of the same content stores nothing new', async () => {
      const file = noise(1 * MB + 7, 'dedup');
      await store.put(file.stream());
      const once = await counts(database);
      const again = await store.put(file.stream());
      expect(again.sha256).toBe(file.sha256);
      expect(await counts(database)).toEqual(once);
    });

    it('uploads of one content racing through two connections all succeed and keep one copy', async () => {
      // Invariant: every upload answers with the content's hash; one content row and its chunks remain.
      const other = openDatabase({ url: database.url, schema: database.schema });
      try {
        const second = new DatabaseFileStore(other.db, 64 * MB);
        const file = noise(2 * MB + 3, 'race');
        const before = await counts(database);
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) => (i % 2 ? store : second).put(file.stream())),
        );
        expect(results.map((r) => r.sha256)).toEqual(Array(6).fill(file.sha256));
        expect(await counts(database)).toEqual({
          contents: before.contents + 1,
          uploads: 0,
          chunks: before.chunks + Math.ceil((2 * MB + 3) / CHUNK_BYTES),
        });
      } finally {
        await other.close();
      }
    });

    it('keeps nothing of an upload over the limit, of another hash than expected, or cut off', async () => {
      const before = await counts(database);
      const small = new DatabaseFileStore(counted.db, MB);
      await expect(small.put(noise(2 * MB, 'big').stream())).rejects.toBeInstanceOf(
        PayloadTooLargeError,
      );
      await expect(
        store.put(noise(MB, 'x').stream(), { expect: 'a'.repeat(64) }),
      ).rejects.toBeInstanceOf(ConflictError);
      // The client goes away after 512 KB, with two chunks written.
      let reads = 0;
      const cut = new Readable({
        read() {
          if (reads++ < 2) this.push(randomBytes(CHUNK_BYTES));
          else this.destroy(new Error('socket hang up'));
        },
      });
      await expect(store.put(cut)).rejects.toThrow('socket hang up');
      expect(await counts(database)).toEqual(before);
    });

    it('export and import carry the contents between database stores, hash-checked', async () => {
      const ctx = testContext(database.db);
      const part = await makePart(ctx);
      const bytes = randomBytes(CHUNK_BYTES + 99);
      const attached = await uploadAttachment(
        ctx,
        store,
        admin,
        { subject: part.code, name: 'cert.bin' },
        Readable.from([bytes]),
      );
      const dir = await mkdtemp(path.join(tmpdir(), 'tracelot-export-'));
      const target = await createTestDatabase(dialect);
      try {
        await exportInstance(database.db, { dir: path.join(dir, 'out'), store });
        const exported = await readFile(path.join(dir, 'out', 'files', attached.sha256));
        expect(exported.equals(bytes)).toBe(true);
        const into = new DatabaseFileStore(target.db);
        await importInstance(testContext(target.db), { dir: path.join(dir, 'out'), store: into });
        const back = await sha256Of((await into.open(attached.sha256))!);
        expect(back).toEqual({ sha256: sha(bytes), size: bytes.length });
        expect(await checkFiles(target.db, into, true)).toMatchObject({ ok: true, damaged: [] });
      } finally {
        await target.close();
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('removes an upload that a dead server left unpublished, once it is a day old', async () => {
      await insertUpload(database.db, 'deadupload0000000000000000', '2026-01-01T00:00:00.000Z');
      expect(await store.staleUploads(new Date('2026-01-01T12:00:00Z'))).toEqual({
        count: 0,
        bytes: 0,
      });
      expect(await store.removeStaleUploads()).toEqual({ count: 1, bytes: 0 });
      expect((await counts(database)).uploads).toBe(0);
    });
  });

  describe(`${dialect}: two servers with --files database and no shared folder`, () => {
    let database: TestDatabase;
    let dirs: string[];
    let servers: RunningServer[];
    let cookie: string;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      dirs = [
        await mkdtemp(path.join(tmpdir(), 'tracelot-a-')),
        await mkdtemp(path.join(tmpdir(), 'tracelot-b-')),
      ];
      const lines: string[] = [];
      servers = [];
      for (const dataDir of dirs)
        servers.push(await serve(dataDir, 'database', database, (line) => lines.push(line)));
      expect(lines.filter((l) => l === 'Files: in the database')).toHaveLength(2);
      const at = lines.findIndex((l) => l.startsWith('First start: created the user'));
      const login = await fetch(`${servers[0]!.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: /'([^']+)'/.exec(lines[at]!)![1],
          password: lines[at + 1]!.trim(),
        }),
      });
      expect(login.status).toBe(200);
      cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    });
    afterAll(async () => {
      for (const server of servers) await server.close();
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
      await database.close();
    });

    const request = (server: number, url: string, init: RequestInit = {}) =>
      fetch(servers[server]!.url + url, {
        ...init,
        headers: { cookie, origin: servers[server]!.url, ...init.headers },
      });
    const upload = (server: number, subject: string, name: string, body: Buffer) =>
      request(server, `/api/v1/attachments?subject=${subject}&name=${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body,
      });

    it('a file uploaded through A downloads byte-identical from B; neither data folder holds it', async () => {
      const part = await request(0, '/api/v1/parts', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Board' }),
      }).then((r) => r.json() as Promise<{ code: string }>);
      const bytes = randomBytes(3 * MB + 11);
      const created = await upload(0, part.code, 'scan.bin', bytes);
      expect(created.status).toBe(201);
      const attachment = (await created.json()) as { code: string; sha256: string };
      expect(attachment.sha256).toBe(sha(bytes));
      const got = await request(1, `/api/v1/attachments/${attachment.code}/content`);
      expect(got.status).toBe(200);
      expect(got.headers.get('etag')).toBe(`"${sha(bytes)}"`);
      expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
      for (const dir of dirs) expect(await storedFiles(fileStoreIn(dir))).toEqual([]);

      // The same content through both servers at once: all recorded, one content kept.
      const again = randomBytes(MB);
      const answers = await Promise.all(
        [0, 1, 0, 1].map((s, i) => upload(s, part.code, `copy-${i}.bin`, again)),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from file_content where sha256 = ${sha(again)}`.execute(
        database.db,
      );
      expect(rows[0]!.n).toBe(1);
    });

    it('a server started with --files folder on this instance is refused, naming the way', async () => {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'tracelot-c-'));
      try {
        await expect(serve(dataDir, 'folder', database)).rejects.toThrow(
          /keeps its files in the database.*--files database.*tracelot files migrate --to folder/,
        );
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
}

describe('sqlite: --files database', () => {
  it('is refused with the reason: it needs PostgreSQL', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tracelot-sqlite-files-'));
    try {
      await expect(serve(dataDir, 'database')).rejects.toThrow(
        "files: 'database' needs PostgreSQL (--database postgres://…)",
      );
      const migrate = await cli(
        { TRACELOT_DATA: dataDir, TRACELOT_DATABASE_URL: '' },
        'files',
        'migrate',
        '--to',
        'database',
      );
      expect(migrate.code).toBe(2);
      expect(migrate.stderr).toContain("to: 'database' needs PostgreSQL");
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

for (const dialect of DIALECTS.filter((d) => d === 'postgres')) {
  describe(`${dialect}: tracelot files migrate`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    const files = [randomBytes(CHUNK_BYTES * 3 + 5), randomBytes(1000)];
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      dir = await mkdtemp(path.join(tmpdir(), 'tracelot-migrate-'));
      env = { ...cliEnv(database, dir), TRACELOT_DATA: dir };
      // Attachments made the way a folder-store server makes them.
      const ctx = testContext(database.db);
      const app = await buildApp({ ctx, files: new FolderFileStore(path.join(dir, 'files')) });
      const { key } = await createApiKey(ctx, admin, { name: 'migrate', role: 'editor' });
      const part = await makePart(ctx);
      for (const [i, bytes] of files.entries()) {
        const res = await app.inject({
          method: 'POST',
          url: `/api/v1/attachments?subject=${part.code}&name=f${i}.bin`,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' },
          payload: bytes,
        });
        expect(res.statusCode).toBe(201);
      }
      await app.close();
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
      await database.close();
    });

    const check = async () => {
      const result = await cli(env, 'check', '--files', '--hash', '--json');
      return { code: result.code, files: json(result).files };
    };

    it('moves the files into the database, resumably, and check --files --hash passes there', async () => {
      const moved = await cli(env, 'files', 'migrate', '--to', 'database');
      expect(moved.code).toBe(0);
      expect(moved.stderr).toContain('Moving the files from the data folder');
      expect(moved.stdout).toMatch(/copied:\s+2 \(/);
      expect(moved.stdout).toContain('this instance keeps its files in the database');
      const checked = await check();
      expect(checked.code).toBe(0);
      expect(checked.files).toMatchObject({ ok: true, store: 'database', contents: 2 });
      // The source is kept without --delete-source.
      expect(await storedFiles(fileStoreIn(dir))).toHaveLength(2);

      // A run cut short: the content it had not copied yet is copied by the next, the other skipped.
      await new DatabaseFileStore(database.db).remove(sha(files[0]!));
      const resumed = json(await cli(env, 'files', 'migrate', '--to', 'database', '--json'));
      expect(resumed).toMatchObject({
        copied: { count: 1, bytes: files[0]!.length },
        present: 1,
        switched: true,
        damaged: [],
      });
      expect((await check()).files.ok).toBe(true);
    });

    it('check --files --hash finds a corrupted chunk, and check --files a missing one', async () => {
      const target = sha(files[0]!);
      const { rows } = await sql<{ id: string }>`
        select id from file_content where sha256 = ${target}`.execute(database.db);
      const id = rows[0]!.id;
      await sql`update file_chunk set data = ${randomBytes(CHUNK_BYTES)}
        where content_id = ${id} and seq = 1`.execute(database.db);
      const damaged = await check();
      expect(damaged.code).toBe(1);
      expect(damaged.files).toMatchObject({ ok: false, missing: [], damaged: [target] });

      const saved = await sql<{ data: Buffer }>`
        select data from file_chunk where content_id = ${id} and seq = 2`.execute(database.db);
      await sql`delete from file_chunk where content_id = ${id} and seq = 2`.execute(database.db);
      const lost = await cli(env, 'check', '--files');
      expect(lost.code).toBe(1);
      expect(lost.stdout).toContain('3 of its 4 chunks in the database');
      await sql`insert into file_chunk (content_id, seq, data)
        values (${id}, 2, ${saved.rows[0]!.data})`.execute(database.db);
    });

    it('moves them back into the folder with --delete-source; check --files --hash passes there', async () => {
      const back = await cli(env, 'files', 'migrate', '--to', 'folder', '--delete-source');
      expect(back.code).toBe(0);
      expect(back.stdout).toContain('this instance keeps its files in the data folder');
      // The folder kept the good copy of the content whose chunk was damaged in the database.
      expect(await counts(database)).toEqual({ contents: 0, uploads: 0, chunks: 0 });
      const checked = await check();
      expect(checked.code).toBe(0);
      expect(checked.files).toMatchObject({ ok: true, store: 'folder', contents: 2 });
      const names = (await storedFiles(fileStoreIn(dir))).map((f) => path.basename(f)).sort();
      expect(names).toEqual(files.map(sha).sort());
      expect(await readdir(path.join(dir, 'files', 'tmp'))).toEqual([]);
    });
  });
}
