import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { violatedUnique } from '../src/db/errors.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/databases.js';
import { makeLocation, makePart, testContext } from './support/factories.js';
import { behindTheApp } from './support/behind-the-app.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: unique violations`, () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
    });
    afterAll(() => database.close());

    it('names the violated index, for an index on a column and on an expression', async () => {
      const ctx = testContext(database.db);
      const first = await makePart(ctx, { gtin: '09506000134352' });
      const second = await makePart(ctx);
      // Straight to the database: the constraint itself is under test, not a service.
      const error = await behindTheApp(() =>
        database.db
          .updateTable('part')
          .set({ gtin: first.gtin })
          .where('code', '=', second.code)
          .execute(),
      ).catch((e: unknown) => e);
      expect(violatedUnique(error)).toBe('part_gtin');

      await makeLocation(ctx, { name: 'Shelf A' });
      const other = await makeLocation(ctx, { name: 'Shelf B' });
      const twice = await behindTheApp(() =>
        database.db
          .updateTable('location')
          .set({ name: 'SHELF A' })
          .where('code', '=', other.code)
          .execute(),
      ).catch((e: unknown) => e);
      expect(violatedUnique(twice)).toBe('location_name_unique');
      expect(violatedUnique(new Error('something else'))).toBeUndefined();
    });
  });
}

describe('sqlite: unique indexes on columns', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database.close());

  it('every one is known by the columns SQLite names when it is violated', async () => {
    const { rows: indexes } = await sql<{ name: string; tbl_name: string }>`
      select name, tbl_name from sqlite_master
      where type = 'index' and sql like 'create unique index%' collate nocase`.execute(database.db);
    const onColumns: [string, string][] = [];
    for (const index of indexes) {
      const { rows: columns } = await sql<{ cid: number; name: string | null }>`
        select cid, name from pragma_index_info(${index.name})`.execute(database.db);
      // An expression (cid -2) makes SQLite name the index itself.
      if (columns.some((c) => c.cid < 0)) continue;
      onColumns.push([index.name, columns.map((c) => `${index.tbl_name}.${c.name}`).join(', ')]);
    }
    expect(onColumns.length).toBeGreaterThan(3);
    for (const [name, columns] of onColumns) {
      const error = Object.assign(new Error(`UNIQUE constraint failed: ${columns}`), {
        code: 'SQLITE_CONSTRAINT_UNIQUE',
      });
      expect([columns, violatedUnique(error)]).toEqual([columns, name]);
    }
  });
});
