import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { lineLogger } from '../src/http/logger.js';
import { checkLedger } from '../src/stock/stock.service.js';
import { createTestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { makeLocation, makePart } from './support/factories.js';

const FULL = {
  code: 'insufficient_storage',
  message:
    "the server's storage is full, so nothing was saved: free space on the server's disk (or database) and try again",
};

// PostgreSQL's disk cannot be filled from a test, but the statement can fail as a full disk
// makes it fail: a trigger raising disk_full (SQLSTATE 53100) on a table the request writes,
// after the request has written other rows in the same transaction.
describe.runIf(DIALECTS.includes('postgres'))('postgres: a full disk (53100)', () => {
  it('answers 507, keeps nothing of the request, and the server keeps serving', async () => {
    const log: string[] = [];
    const api = await createTestApi('postgres', {
      logger: lineLogger('error', (l) => log.push(l)),
    });
    const schema = api.database.schema!;
    try {
      const part = await makePart(api.ctx);
      const location = await makeLocation(api.ctx);
      const receive = {
        items: Array.from({ length: 50 }, (_, i) => ({
          part: part.code,
          location: location.code,
          quantity: 1,
          lot: { name: `reel ${i}` },
        })),
      };
      await sql
        .raw(
          `create function ${schema}.disk_full() returns trigger language plpgsql as $$ begin
             raise exception 'could not extend file "base/16384/2619": No space left on device'
               using errcode = 'disk_full';
           end $$;
           create trigger disk_full before insert on ${schema}.stock_entry
             for each row execute function ${schema}.disk_full()`,
        )
        .execute(api.database.db);
      const lots = async () =>
        Number(
          (
            await api.ctx.db
              .selectFrom('lot')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const [lotsBefore, ledgerBefore] = [await lots(), await checkLedger(api.ctx)];

      const full = await api.call('POST', '/api/v1/stock/receive', receive);
      expect(full.status).toBe(507);
      expect(full.body.error).toEqual(FULL);
      expect(log.join('')).toContain('No space left on device');
      // The lots were inserted before the ledger failed: the transaction took them back.
      expect(await lots()).toBe(lotsBefore);
      expect(await checkLedger(api.ctx)).toEqual(ledgerBefore);

      const read = await api.call('GET', `/api/v1/parts/${part.code}`);
      expect([read.status, read.body.code]).toEqual([200, part.code]);
      await sql.raw(`drop trigger disk_full on ${schema}.stock_entry`).execute(api.database.db);
      const again = await api.call('POST', '/api/v1/stock/receive', receive);
      expect(again.status).toBe(201);
      expect(await lots()).toBe(lotsBefore + 50);
    } finally {
      await api.close();
    }
  });
});

// A full files folder for real: `tracelot serve` runs in a mount namespace of its own (unshare)
// whose files folder is a 64 kB tmpfs, so an upload's write fails with ENOSPC as on a full disk.
// A developer's machine that allows no namespaces skips it; CI always runs it (and fails there
// without namespaces), as it requires PostgreSQL.
const NAMESPACES = process.env.CI || spawnSync('unshare', ['-rm', 'true']).status === 0;

describe.runIf(NAMESPACES)('a full files folder (ENOSPC)', () => {
  it('answers 507, keeps no row and no partial file, and the server keeps serving', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'tracelot-files-full-'));
    await mkdir(path.join(dataDir, 'files'));
    const script = 'mount -t tmpfs -o size=64k tracelot-full "$0/files" && exec "$@"';
    const server = spawn(
      'unshare',
      [
        '-rm',
        'sh',
        '-c',
        script,
        dataDir,
        process.execPath,
        path.resolve('bin/tracelot.js'),
        'serve',
        '--port',
        '0',
        '--data',
        dataDir,
      ],
      { env: { ...process.env, TRACELOT_DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const started = new Promise<string>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (/First start[\s\S]*\n {4}\S+\n/.test(output))
          resolve(/Tracelot is serving (\S+)/.exec(output)![1]!);
      };
      server.stdout.on('data', read);
      server.stderr.on('data', read);
      server.once('exit', (code) => reject(new Error(`serve exited (${code}): ${output}`)));
    });
    try {
      const url = await started;
      const username = /created the user '([^']+)'/.exec(output)![1]!;
      const password = /the password\n {4}(\S+)/.exec(output)![1]!;
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
      const location = (await (
        await fetch(`${url}/api/v1/locations`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Shelf' }),
        })
      ).json()) as { code: string };
      const send = (bytes: number) =>
        fetch(`${url}/api/v1/attachments?subject=${location.code}&name=scan.bin`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/octet-stream' },
          body: new Uint8Array(Buffer.alloc(bytes, 7)),
        });
      const listed = async () =>
        (
          (await (
            await fetch(`${url}/api/v1/attachments?subject=${location.code}`, {
              headers: { cookie },
            })
          ).json()) as { items: { size: number }[] }
        ).items.map((a) => a.size);

      const full = await send(200_000);
      expect(full.status).toBe(507);
      expect(((await full.json()) as { error: unknown }).error).toEqual(FULL);
      // The log line comes through the server's pipe, after (or before) the answer.
      await expect.poll(() => output, { timeout: 5000 }).toContain('ENOSPC');
      expect(await listed()).toEqual([]);
      // The 64 kB are free again: the partial file the failed write left was removed.
      const fits = await send(40_000);
      expect(fits.status).toBe(201);
      expect(await listed()).toEqual([40_000]);
    } finally {
      server.kill();
      await new Promise((resolve) => server.once('close', resolve));
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
