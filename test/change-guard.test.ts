import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLog } from '../src/audit/audit.service.js';
import { insertMany } from '../src/db/bulk.js';
import { unloggedWrites } from '../src/db/change-log.js';
import { inTransaction, migrateToLatest } from '../src/db/database.js';
import { migrations } from '../src/db/migrations/index.js';
import { preparedQuery } from '../src/db/prepared.js';
import { appendHistory } from '../src/history/history.repository.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { admin, makeLocation, testContext, type TestContext } from './support/factories.js';

// Every write of the record goes through inTransaction, which logs it (src/db/change-log.ts):
// a write outside any transaction is refused before it runs, whichever way it is made.
for (const dialect of DIALECTS) {
  describe(`${dialect}: writes outside a transaction`, () => {
    let database: TestDatabase;
    let ctx: TestContext;
    let shelf: { code: string; description: string };
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      ctx = testContext(database.db);
      shelf = await makeLocation(ctx, { description: 'as made' });
    });
    afterAll(() => database.close());

    const refused = (table: string) =>
      new RegExp(`a write to ${table} outside a transaction: writes go through inTransaction`);
    const description = async () =>
      (
        await database.db
          .selectFrom('location')
          .select('description')
          .where('code', '=', shelf.code)
          .executeTakeFirstOrThrow()
      ).description;
    const counts = async () => {
      const { rows } = await sql<{ parts: number; records: number }>`select
        (select count(*) from part) as parts,
        (select count(*) from change_record) as records`.execute(database.db);
      return { parts: Number(rows[0]!.parts), records: Number(rows[0]!.records) };
    };
    const aPart = () => ({
      code: ctx.newCode(),
      name: 'Smuggled',
      kind: 'component' as const,
      unit: 'pcs' as const,
      description: '',
      manufacturer: '',
      mpn: '',
      archived: 0,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });

    it('are refused before they run and change nothing, built, raw or bulk', async () => {
      const before = await counts();
      const update = () =>
        database.db
          .updateTable('location')
          .set({ description: 'changed' })
          .where('code', '=', shelf.code)
          .execute();
      await expect(update()).rejects.toThrow(refused('location'));
      await expect(database.db.insertInto('part').values(aPart()).execute()).rejects.toThrow(
        refused('part'),
      );
      await expect(
        sql`update location set description = 'raw' where code = ${shelf.code}`.execute(
          database.db,
        ),
      ).rejects.toThrow(refused('location'));
      await expect(insertMany(database.db, 'part', [aPart(), aPart()])).rejects.toThrow(
        refused('part'),
      );
      await expect(
        database.db.deleteFrom('location').where('code', '=', shelf.code).execute(),
      ).rejects.toThrow(refused('location'));
      // A transaction of Kysely's own is not inTransaction: nothing would log it either.
      await expect(
        database.db
          .transaction()
          .execute((trx) =>
            trx
              .updateTable('location')
              .set({ description: 'in trx' })
              .where('code', '=', shelf.code)
              .execute(),
          ),
      ).rejects.toThrow(refused('location'));
      expect(await description()).toBe('as made');
      expect(await counts()).toEqual(before);
      expect((await verifyLog(ctx)).ok).toBe(true);
    });

    it('a statement compiled once is guarded each time it runs', async () => {
      const setDescription = preparedQuery((db) =>
        db
          .updateTable('location')
          .set({ description: '' })
          .where('code', '=', '')
          .returning('code'),
      );
      // Compiled inside a logged transaction, where it may run.
      const ran = await inTransaction(database.db, async (trx) => {
        await appendHistory(trx, admin, '2026-01-01T00:00:00.000Z', [
          { subjectCode: shelf.code, type: 'updated', data: { description: 'prepared' } },
        ]);
        return setDescription(trx, ['prepared', shelf.code]);
      });
      expect(ran).toEqual([{ code: shelf.code }]);
      // Run again outside: the plugin does not see a compiled statement, the guard still does.
      await expect(setDescription(database.db, ['escaped', shelf.code])).rejects.toThrow(
        refused('location'),
      );
      expect(await description()).toBe('prepared');
    });

    it('a logged transaction that gathers no change record is refused too', async () => {
      await expect(
        inTransaction(database.db, (trx) =>
          trx
            .updateTable('location')
            .set({ description: 'silent' })
            .where('code', '=', shelf.code)
            .execute(),
        ),
      ).rejects.toThrow(/a write to location gathered no change record/);
      expect(await description()).toBe('prepared');
    });

    it('tables that hold no record and unloggedWrites are let through', async () => {
      const key = `guard-test-${dialect}`;
      await database.db
        .insertInto('login_throttle')
        .values({ key, failures: 1, last_failure_at: '2026-01-01T00:00:00.000Z', locked: 0 })
        .execute();
      await database.db.deleteFrom('login_throttle').where('key', '=', key).execute();
      await unloggedWrites('a test of the exemption', () =>
        database.db
          .updateTable('location')
          .set({ description: 'exempt' })
          .where('code', '=', shelf.code)
          .execute(),
      );
      expect(await description()).toBe('exempt');
      // The exemption ends with its function.
      await expect(
        database.db.updateTable('location').set({ description: 'after' }).execute(),
      ).rejects.toThrow(refused('location'));
    });

    it('a new database migrates, its migrations writing what they must', async () => {
      const fresh = await createTestDatabase(dialect, ':memory:', false);
      try {
        expect(await migrateToLatest(fresh.db)).toEqual(Object.keys(migrations));
        // 0012 made the site and its genesis record; the log verifies.
        const genesis = await fresh.db
          .selectFrom('change_record')
          .select(['seq', 'operation'])
          .executeTakeFirstOrThrow();
        expect(genesis).toEqual({ seq: 1, operation: 'genesis' });
        expect((await verifyLog(testContext(fresh.db))).ok).toBe(true);
      } finally {
        await fresh.close();
      }
    });
  });
}
