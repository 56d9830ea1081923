import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../src/db/database.js';
import { migrations } from '../src/db/migrations/index.js';
import { behindTheApp } from './support/behind-the-app.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: migrations`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect, ':memory:', false);
    });
    afterAll(() => database.close());

    it('a database made by the first release gets the codes of its parts, locations and lots registered', async () => {
      const first = new Migrator({
        db: database.db,
        provider: {
          getMigrations: async () => ({ '0001_foundation': migrations['0001_foundation']! }),
        },
        ...(database.schema ? { migrationTableSchema: database.schema } : {}),
      });
      expect((await first.migrateToLatest()).error).toBeUndefined();
      const at = '2026-01-01T00:00:00.000Z';
      // Rows as that release wrote them, before the change log existed.
      await behindTheApp(async () => {
        await sql`insert into part (code, name, kind, unit, created_at, updated_at)
          values ('0part00000000000000000000a', 'Resistor', 'component', 'pcs', ${at}, ${at})`.execute(
          database.db,
        );
        await sql`insert into location (code, name, created_at, updated_at)
          values ('0loc000000000000000000000a', 'Shelf', ${at}, ${at})`.execute(database.db);
        await sql`insert into lot (code, part_code, created_at, updated_at)
          values ('0lot000000000000000000000a', '0part00000000000000000000a', ${at}, ${at})`.execute(
          database.db,
        );
      });

      const ran = await migrateToLatest(database.db);
      expect(ran).toEqual(Object.keys(migrations).slice(1));
      const { rows } = await sql<{ code: string; kind: string }>`
        select code, kind from object_code order by code`.execute(database.db);
      expect(rows).toEqual([
        { code: '0loc000000000000000000000a', kind: 'location' },
        { code: '0lot000000000000000000000a', kind: 'lot' },
        { code: '0part00000000000000000000a', kind: 'part' },
      ]);
    });
  });
}
