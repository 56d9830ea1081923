import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../src/context.js';
import { inTransaction, type Database } from '../src/db/database.js';
import { ConflictError, InsufficientStockError } from '../src/domain/errors.js';
import type { StockEntryType, StockStatus } from '../src/domain/stock-status.js';
import {
  recordCount,
  recordMovements,
  recordNewStock,
  takeOutBalances,
  type LedgerOperation,
} from '../src/stock/ledger.js';
import { balancesOfLots, listLotEntries } from '../src/stock/stock.repository.js';
import { checkLedger } from '../src/stock/stock.service.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { admin, makeLocation, makeLot, testContext } from './support/factories.js';

const M = 1_000_000; // millionths in one unit

for (const dialect of DIALECTS) {
  describe(`${dialect}: the ledger module`, () => {
    let database: TestDatabase;
    let ctx: Context;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      ctx = testContext(database.db);
    });
    afterAll(() => database.close());

    const op = (type: StockEntryType, ref: string | null = null): LedgerOperation => ({
      operation: ctx.newCode(),
      type,
      actor: admin,
      at: '2026-12-05T12:00:00.000Z',
      note: `${type} by the ledger test`,
      ref,
    });

    /** Balances of the lots by "location status", and the ledger summed the same way. */
    async function balancesAndLedger(lots: string[]) {
      const balances: Record<string, number> = {};
      for (const b of await balancesOfLots(database.db, lots)) {
        balances[`${b.lot_code} ${b.location_code} ${b.status}`] = b.quantity;
      }
      const ledger: Record<string, number> = {};
      for (const lot of lots) {
        for (const e of await listLotEntries(database.db, lot)) {
          const key = `${e.lot_code} ${e.location_code} ${e.status}`;
          ledger[key] = (ledger[key] ?? 0) + Number(e.quantity);
        }
      }
      for (const [key, sum] of Object.entries(ledger)) if (sum === 0) delete ledger[key];
      return { balances, ledger };
    }

    const countEntries = async (lots: string[]) =>
      (await Promise.all(lots.map((l) => listLotEntries(database.db, l)))).flat().length;

    /** A movement of `units` (signed) of a received lot's part. */
    const movement = (
      made: { lot: { code: string }; part: { code: string } },
      location: { code: string },
      status: StockStatus,
      units: number,
    ) => ({
      lot_code: made.lot.code,
      location_code: location.code,
      status,
      part_code: made.part.code,
      quantity: units * M,
    });

    it('keeps every balance equal to the sum of its entries through mixed movements', async () => {
      const made = await makeLot(ctx, { quantity: 10 });
      const { lot, location } = made;
      const other = await makeLocation(ctx);
      await inTransaction(database.db, async (db: Database) => {
        // A transfer (single-row forms), then several balances at once (multi-row forms).
        await recordMovements(db, op('moved'), [
          movement(made, location, 'on_hand', -4),
          movement(made, other, 'on_hand', 4),
        ]);
        await recordMovements(db, op('status_changed'), [
          movement(made, location, 'on_hand', -1),
          movement(made, other, 'on_hand', -1),
          movement(made, location, 'held', 1),
          movement(made, other, 'held', 1),
        ]);
        const counted = movement(made, location, 'on_hand', 0);
        await recordCount(db, op('adjusted'), counted, 5 * M, 2 * M, () => new Error('changed'));
        await takeOutBalances(db, op('scrapped'), [movement(made, other, 'held', 1)]);
        // A balance that does not exist yet: what a receipt or a build's start writes.
        await recordNewStock(db, op('received'), [
          { ...movement(made, other, 'in_transit', 7), note: 'its own note' },
        ]);
      });
      const { balances, ledger } = await balancesAndLedger([lot.code]);
      expect(balances).toEqual({
        [`${lot.code} ${location.code} on_hand`]: 2 * M,
        [`${lot.code} ${location.code} held`]: 1 * M,
        [`${lot.code} ${other.code} on_hand`]: 3 * M,
        [`${lot.code} ${other.code} in_transit`]: 7 * M,
      });
      expect(ledger).toEqual(balances);
      const entries = await listLotEntries(database.db, lot.code);
      expect(entries.map((e) => [e.type, Number(e.quantity) / M])).toEqual([
        ['received', 10],
        ['moved', -4],
        ['moved', 4],
        ['status_changed', -1],
        ['status_changed', -1],
        ['status_changed', 1],
        ['status_changed', 1],
        ['adjusted', -3],
        ['scrapped', -1],
        ['received', 7],
      ]);
      expect(entries.at(-2)!.note).toBe('scrapped by the ledger test');
      expect(entries.at(-1)!.note).toBe('its own note');
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it('refuses a movement that would go negative and writes nothing', async () => {
      const made = await makeLot(ctx, { quantity: 3 });
      const second = await makeLot(ctx, { quantity: 2 });
      const { lot, location } = made;
      const other = await makeLocation(ctx);
      const lots = [lot.code, second.lot.code];
      const before = await balancesAndLedger(lots);
      const entriesBefore = await countEntries(lots);

      // One balance (single-row form): the default refusal names the lot.
      const one = inTransaction(database.db, (db) =>
        recordMovements(db, op('removed'), [movement(made, location, 'on_hand', -4)]),
      );
      await expect(one).rejects.toThrow(InsufficientStockError);
      await expect(one).rejects.toThrow(lot.shortCode);

      // Several balances (multi-row form): the first is decreased before the second fails, and
      // the caller's transaction undoes it; the caller's refusal names the short balance.
      const several = inTransaction(database.db, (db) =>
        recordMovements(
          db,
          op('moved'),
          [
            movement(made, location, 'on_hand', -3),
            movement(second, second.location, 'on_hand', -5),
            movement(made, other, 'on_hand', 3),
          ],
          (short) => new ConflictError(`short: ${short.map((s) => s.lot_code).join(', ')}`, 'lots'),
        ),
      );
      await expect(several).rejects.toThrow(`short: ${second.lot.code}`);

      // A count over a balance that changed since it was read.
      const counted = movement(made, location, 'on_hand', 0);
      const count = inTransaction(database.db, (db) =>
        recordCount(db, op('adjusted'), counted, 2 * M, 1 * M, () => new Error('count again')),
      );
      await expect(count).rejects.toThrow('count again');

      expect(await balancesAndLedger(lots)).toEqual(before);
      expect(before.balances[`${lot.code} ${location.code} on_hand`]).toBe(3 * M);
      expect(await countEntries(lots)).toBe(entriesBefore);
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it('refuses new stock that is not positive', async () => {
      const made = await makeLot(ctx, { quantity: 1 });
      const attempt = inTransaction(database.db, (db) =>
        recordNewStock(db, op('received'), [movement(made, made.location, 'held', -1)]),
      );
      await expect(attempt).rejects.toThrow('every quantity must be positive');
      expect(await countEntries([made.lot.code])).toBe(1);
    });
  });
}
