import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/context.js';
import { PNG } from './support/attachment-files.js';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { makeLot } from './support/factories.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: tracelot backup`, () => {
    let database: TestDatabase;
    let dir: string;
    let data: string;
    let env: Record<string, string>;
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-backup-'));
      data = path.join(dir, 'data');
      database = await createTestDatabase(dialect, path.join(data, 'tracelot.db'));
      env = { ...cliEnv(database, data), TRACELOT_DATA: data };
    });
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('copies the database and the files into a folder that serves as a data folder', async () => {
      const { lot } = await makeLot(createContext(database.db));
      const file = path.join(dir, 'inspection.png');
      writeFileSync(file, PNG);
      const attached = await cli(env, 'attach', lot.code, file);
      const attachment = /as (\w{26})/.exec(attached.stdout)![1]!;
      const copy = path.join(dir, 'copy');

      const first = await cli(env, 'backup', copy, '--json');
      expect([first.code, first.stderr]).toEqual([0, '']);
      const result = json(first);
      expect(result.files).toEqual({ copied: 1, present: 0, bytes: PNG.length });
      if (dialect === 'postgres') {
        // The database is pg_dump's: only the files are copied, and the text says so.
        expect(result.database).toBeNull();
        const text = await cli(env, 'backup', copy);
        expect(text.stdout).toMatch(/database:\s+PostgreSQL: not copied — back it up with pg_dump/);
        expect(text.stdout).toMatch(/files:\s+0 copied \(0\.0 MB\), 1 there already/);
        return;
      }
      expect(result.database).toMatchObject({ file: path.join(copy, 'tracelot.db') });
      expect(result.database.bytes).toBeGreaterThan(0);

      // The copy is a data folder: the lot, the ledger and the file are there.
      const inCopy = { TRACELOT_DATA: copy, TRACELOT_DATABASE_URL: '' };
      expect(json(await cli(inCopy, 'lot', 'show', lot.code, '--json'))).toMatchObject({
        code: lot.code,
        quantity: 10,
      });
      expect(json(await cli(inCopy, 'check', '--json'))).toMatchObject({ ok: true });
      const out = path.join(dir, 'out.png');
      expect((await cli(inCopy, 'attachment', 'get', attachment, '-o', out)).code).toBe(0);
      expect(readFileSync(out).equals(PNG)).toBe(true);

      // A transaction left open by a running server: the backup neither waits for it nor
      // copies what it has not committed; run again later, it brings the copy up to date.
      const server = new BetterSqlite3(path.join(data, 'tracelot.db'));
      try {
        server.pragma('busy_timeout = 5000');
        server.exec('begin immediate');
        server.prepare('update lot set name = ? where code = ?').run('mid-write', lot.code);
        const during = await cli(env, 'backup', copy);
        expect(during.code).toBe(0);
        expect(during.stdout).toMatch(/files:\s+0 copied \(0\.0 MB\), 1 there already/);
        expect(json(await cli(inCopy, 'lot', 'show', lot.code, '--json')).name).toBe('');
        server.exec('commit');
      } finally {
        server.close();
      }
      expect((await cli(env, 'backup', copy)).code).toBe(0);
      expect(json(await cli(inCopy, 'lot', 'show', lot.code, '--json')).name).toBe('mid-write');
    });

    it('refuses a folder inside the data folder, and a data folder without a database', async () => {
      const inside = await cli(env, 'backup', path.join(data, 'backup'));
      expect(inside.code).toBe(2);
      expect(inside.stderr).toContain('is the data folder or inside it');
      expect(inside.stderr).not.toContain('Copying');
      const same = await cli(env, 'backup', data);
      expect(same.code).toBe(2);
      if (dialect === 'postgres') return;
      const empty = await cli(
        { TRACELOT_DATA: path.join(dir, 'nothing'), TRACELOT_DATABASE_URL: '' },
        'backup',
        path.join(dir, 'copy-of-nothing'),
      );
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(/data: no Tracelot database at .*nothing\/tracelot\.db/);
    });
  });
}
