import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliEnv, json } from './support/cli.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';

const PROCESSES = 6;

for (const dialect of DIALECTS) {
  describe(`${dialect}: CLI processes started at once on a new database`, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracelot-migrate-'));
    let database: TestDatabase | undefined;
    afterAll(async () => {
      await database?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    // Six Node processes at once take a while on a busy machine.
    it('all migrate it once and succeed', { timeout: 120_000 }, async () => {
      // Invariant: however many processes meet a database that has never been migrated, each
      // runs against the latest schema; none finds a table or column another one just made.
      const env =
        dialect === 'sqlite'
          ? { TRACELOT_DATA: dir, TRACELOT_DATABASE_URL: '' }
          : cliEnv((database = await createTestDatabase(dialect, ':memory:', false)), dir);
      const results = await Promise.all(
        Array.from({ length: PROCESSES }, (_, i) =>
          cli(env, 'location', 'add', `Shelf ${i}`, '--json'),
        ),
      );
      expect(results.map((r) => [r.code, r.stderr])).toEqual(
        Array.from({ length: PROCESSES }, () => [0, '']),
      );
      const listed = json(await cli(env, 'location', 'list', '--json'));
      expect(listed.items.map((l: { name: string }) => l.name).sort()).toEqual(
        Array.from({ length: PROCESSES }, (_, i) => `Shelf ${i}`),
      );
    });
  });
}
