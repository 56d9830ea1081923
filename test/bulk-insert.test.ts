import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Insertable } from 'kysely';
import { insertMany, MAX_ARRAY_ROWS } from '../src/db/bulk.js';
import { inTransaction } from '../src/db/database.js';
import type { LotTable } from '../src/db/schema.js';
import { newCode } from '../src/domain/code.js';
import { appendHistory } from '../src/history/history.repository.js';
import { insertLots } from '../src/lots/lot.repository.js';
import { receiveStock } from '../src/stock/stock.service.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from './support/databases.js';
import { admin, makeLocation, makePart, testContext } from './support/factories.js';
import { rowCounts } from './support/row-counts.js';

// The bulk insert (src/db/bulk.ts): on PostgreSQL one array per column (`insert … select from
// unnest(…)`), on SQLite multi-row VALUES. Whatever the path, a row reads back exactly as it was
// given, every row names its change, and a failure anywhere leaves nothing.

const AT = '2026-12-06T08:00:00.000Z';

/** Text that an array literal or a COPY line would mangle if it were not escaped. */
const AWKWARD = [
  'tab\there, newline\nthere, return\r, bell \u0007, escape \u001b, unit sep \u001f',
  'quotes " and \' and backslash \\ and \\\\ and {braces}, commas, (parens)',
  'NULL',
  '',
  ' surrounding spaces ',
  'Ünïcödé — 中文 — 日本語 — 한국어 — emoji 🔧🔩 — combining é — RTL עברית',
  '\\N',
  '{"a":[1,2]}',
];

for (const dialect of DIALECTS) {
  describe(`${dialect}: bulk insert`, () => {
    let database: TestDatabase;
    let ctx: ReturnType<typeof testContext>;
    let part: string;

    beforeEach(async () => {
      database = await createTestDatabase(dialect);
      ctx = testContext(database.db);
      part = (await makePart(ctx)).code;
    });
    afterEach(async () => {
      await database.close();
    });

    // A lot as the services write one: empty texts, no expiry, parent, build or state.
    const lotRow = (name: string, over: Partial<Insertable<LotTable>> = {}) =>
      ({
        code: newCode(),
        part_code: part,
        name,
        description: name,
        ...Object.fromEntries(
          ['comments', 'vendor_lot', 'date_code', 'order_ref'].map((c) => [c, '']),
        ),
        ...Object.fromEntries(
          ['expiry', 'parent_code', 'build_code', 'build_serial', 'unit_state'].map((c) => [
            c,
            null,
          ]),
        ),
        created_at: AT,
        updated_at: AT,
        ...over,
      }) as Insertable<LotTable> & { code: string };

    /** Writes lots as a change of their own (one history event on the part). */
    const writeLots = (rows: Insertable<LotTable>[]) =>
      inTransaction(database.db, async (trx) => {
        await appendHistory(trx, admin, AT, [
          { subjectCode: part, type: 'updated', data: { lots: rows.length } },
        ]);
        await insertLots(trx, rows);
      });

    it('reads back control characters, quotes, braces, backslashes and unicode as given; NULL stays NULL', async () => {
      const rows = AWKWARD.map((text, i) =>
        lotRow(text, {
          expiry: i % 2 === 0 ? null : '2027-01-31',
          build_serial: i % 3 === 0 ? null : i,
          vendor_lot: i % 2 === 0 ? 'NULL' : '',
        }),
      );
      await writeLots(rows);
      const back = await database.db
        .selectFrom('lot')
        .select(['code', 'name', 'description', 'expiry', 'build_serial', 'vendor_lot'])
        .where('part_code', '=', part)
        .execute();
      const byCode = new Map(back.map((r) => [r.code, r]));
      expect(back).toHaveLength(AWKWARD.length);
      for (const row of rows) {
        expect(byCode.get(row.code)).toEqual({
          code: row.code,
          name: row.name,
          description: row.description,
          expiry: row.expiry,
          build_serial: row.build_serial,
          vendor_lot: row.vendor_lot,
        });
      }
    });

    it('crosses a statement boundary: every row names the change, each ledger entry has its own uid', async () => {
      // More rows than one statement takes on PostgreSQL, so the receipt takes two.
      const lots = MAX_ARRAY_ROWS + 3;
      const location = (await makeLocation(ctx)).code;
      const result = await receiveStock(
        ctx,
        admin,
        Array.from({ length: lots }, () => ({ part, location, quantity: 1 })),
      );
      expect(result.lots).toHaveLength(lots);
      const entries = await database.db
        .selectFrom('stock_entry')
        .select(['uid', 'change_id'])
        .where('operation', '=', result.operation)
        .execute();
      expect(entries).toHaveLength(lots);
      const changes = new Set(entries.map((e) => e.change_id));
      expect(changes.size).toBe(1);
      const [change] = [...changes];
      const record = await database.db
        .selectFrom('change_record')
        .select('id')
        .where('id', '=', change!)
        .executeTakeFirst();
      expect(record).toEqual({ id: change });
      const uids = new Set(entries.map((e) => e.uid));
      expect(uids.size).toBe(lots);
      expect([...uids].every((u) => /^[0-9a-z]{26,32}$/.test(u))).toBe(true);
      const lotChanges = await database.db
        .selectFrom('lot')
        .select('change_id')
        .distinct()
        .where(
          'code',
          'in',
          result.lots.slice(-5).map((l) => l.code),
        )
        .execute();
      expect(lotChanges).toEqual([{ change_id: change }]);
    });

    it('all or nothing: a duplicate in the last statement leaves nothing of the first', async () => {
      const before = await rowCounts(database.db);
      const rows = Array.from({ length: MAX_ARRAY_ROWS + 1 }, (_, i) => lotRow(`unit ${i}`));
      // The last row repeats the first one's code: a unique violation in the last statement.
      rows[rows.length - 1] = { ...rows[rows.length - 1]!, code: rows[0]!.code };
      await expect(
        inTransaction(database.db, async (trx) => {
          await appendHistory(trx, admin, AT, [
            { subjectCode: part, type: 'updated', data: { lots: rows.length } },
          ]);
          await insertMany(trx, 'lot', rows);
        }),
      ).rejects.toThrow(/unique|duplicate/i);
      expect(await rowCounts(database.db)).toEqual(before);
    });

    it('rows whose columns differ still insert (an undefined value takes the default)', async () => {
      const rows = [
        lotRow('first'),
        { ...lotRow('second', { expiry: '2027-01-31' }), expiry: undefined },
      ];
      await writeLots(rows);
      const back = await database.db
        .selectFrom('lot')
        .select(['name', 'expiry'])
        .where('part_code', '=', part)
        .orderBy('name')
        .execute();
      expect(back).toEqual([
        { name: 'first', expiry: null },
        { name: 'second', expiry: null },
      ]);
    });

    if (dialect === 'postgres') {
      it('a NUL character, which PostgreSQL text cannot hold, fails the whole insert', async () => {
        const before = await rowCounts(database.db);
        const rows = [lotRow('fine'), lotRow('nul \u0000 inside'), lotRow('fine too')];
        await expect(writeLots(rows)).rejects.toThrow(/0x00/);
        expect(await rowCounts(database.db)).toEqual(before);
      });
    }
  });
}
