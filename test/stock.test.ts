import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../src/context.js';
import { InsufficientStockError, NotFoundError, ValidationError } from '../src/domain/errors.js';
import { getLot, getLotHistory, updateLot } from '../src/stock/lot-view.service.js';
import { getPart } from '../src/parts/part.service.js';
import {
  adjustStock,
  changeStockStatus,
  checkLedger,
  listStock,
  moveStock,
  receiveStock,
  removeStock,
  splitLot,
} from '../src/stock/stock.service.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import { admin, makeLocation, makeLot, makePart, testContext } from './support/factories.js';
import { behindTheApp } from './support/behind-the-app.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: stock ledger`, () => {
    let database: TestDatabase;
    let ctx: Context;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      ctx = testContext(database.db);
    });
    afterAll(() => database.close());

    it('receives stock as a new lot with one ledger entry', async () => {
      const { part, location, lot } = await makeLot(ctx, {
        quantity: 25,
        item: { lot: { vendorLot: 'V-77', dateCode: '2445', expiry: '2027-03-31', tags: ['esd'] } },
      });
      const stored = await getLot(ctx, lot.code);
      expect(stored.part.code).toBe(part.code);
      expect(stored.quantity).toBe(25);
      expect(stored.vendorLot).toBe('V-77');
      expect(stored.expiry).toBe('2027-03-31');
      expect(stored.tags).toEqual(['esd']);
      expect(stored.balances).toEqual([
        { location: { code: location.code, name: location.name }, status: 'on_hand', quantity: 25 },
      ]);
      expect((await getPart(ctx, part.code)).onHand).toBe(25);
      const history = await getLotHistory(ctx, lot.code);
      expect(history.map((h) => [h.source, h.type])).toEqual([['stock', 'received']]);
      expect(history[0]!.actor.name).toBe('test-admin');
    });

    it('adds fractional quantities exactly: 0.1 m + 0.2 m = 0.3 m', async () => {
      const { lot, location } = await makeLot(ctx, { unit: 'm', quantity: '0.1' });
      await adjustStock(ctx, admin, { lot: lot.code, location: location.code, count: 0.1 });
      const other = await makeLocation(ctx);
      await receiveStock(ctx, admin, [{ part: lot.part, location: other.code, quantity: 0.2 }]);
      const stock = await listStock(ctx, { part: lot.part });
      const total = stock.items.reduce((s, r) => s + Math.round(r.quantity * 1e6), 0) / 1e6;
      expect(total).toBe(0.3);
      expect((await getPart(ctx, lot.part)).onHand).toBe(0.3);
    });

    it('moves part of a lot: the lot lies in two places, ledger entries pair up', async () => {
      const { lot, location } = await makeLot(ctx, { quantity: 10 });
      const dest = await makeLocation(ctx);
      const op = await moveStock(ctx, admin, { lot: lot.code, to: dest.code, quantity: 4 });
      const stored = await getLot(ctx, lot.code);
      expect(stored.balances.map((b) => [b.location.code, b.quantity]).sort()).toEqual(
        [
          [location.code, 6],
          [dest.code, 4],
        ].sort(),
      );
      const moves = (await getLotHistory(ctx, lot.code)).filter((h) => h.type === 'moved');
      expect(moves.map((m) => (m.source === 'stock' ? m.quantity : 0)).sort()).toEqual([-4, 4]);
      expect(new Set(moves.map((m) => (m.source === 'stock' ? m.operation : '')))).toEqual(
        new Set([op.operation]),
      );
      // Now the lot lies in two places: a source must be named.
      await expect(removeStock(ctx, admin, { lot: lot.code, quantity: 1 })).rejects.toMatchObject({
        field: 'location',
      });
    });

    it('splits a lot into a child that records its parent and inherits fields', async () => {
      const { lot } = await makeLot(ctx, {
        quantity: 100,
        item: { lot: { vendorLot: 'REEL-9', tags: ['msl3'] } },
      });
      const result = await splitLot(ctx, admin, { lot: lot.code, quantity: 30 });
      const child = await getLot(ctx, result.lots[1]!);
      expect(child.parentCode).toBe(lot.code);
      expect(child.vendorLot).toBe('REEL-9');
      expect(child.tags).toEqual(['msl3']);
      expect(child.quantity).toBe(30);
      expect((await getLot(ctx, lot.code)).quantity).toBe(70);
    });

    it('removes, changes status and counts', async () => {
      const { lot, location } = await makeLot(ctx, { quantity: 10 });
      await removeStock(ctx, admin, { lot: lot.code, quantity: 3 });
      await changeStockStatus(ctx, admin, { lot: lot.code, to: 'held', quantity: 2 });
      await adjustStock(ctx, admin, { lot: lot.code, location: location.code, count: 4 });
      const stored = await getLot(ctx, lot.code);
      expect(stored.balances.map((b) => [b.status, b.quantity]).sort()).toEqual([
        ['held', 2],
        ['on_hand', 4],
      ]);
      expect((await getLotHistory(ctx, lot.code)).map((h) => h.type)).toEqual([
        'received',
        'removed',
        'status_changed',
        'status_changed',
        'adjusted',
      ]);
    });

    it('never goes negative and a failed operation changes nothing', async () => {
      const { lot } = await makeLot(ctx, { quantity: 5 });
      await expect(removeStock(ctx, admin, { lot: lot.code, quantity: 6 })).rejects.toBeInstanceOf(
        InsufficientStockError,
      );
      expect((await getLot(ctx, lot.code)).quantity).toBe(5);
      expect(await getLotHistory(ctx, lot.code)).toHaveLength(1);
    });

    it('rejects bad quantities naming the field', async () => {
      const { lot } = await makeLot(ctx, { quantity: 5 });
      for (const quantity of [0, -1, 'abc', '1.5', 1e-7]) {
        const error = await removeStock(ctx, admin, { lot: lot.code, quantity }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).field).toBe('quantity');
      }
      const { lot: meters } = await makeLot(ctx, { quantity: 5, unit: 'm' });
      await expect(
        removeStock(ctx, admin, { lot: meters.code, quantity: '0.0000001' }),
      ).rejects.toThrow(/decimal places/);
    });

    it('a bulk receive with one bad item stores nothing', async () => {
      const part = await makePart(ctx);
      const location = await makeLocation(ctx);
      const before = await listStock(ctx, { part: part.code });
      const error = await receiveStock(ctx, admin, [
        { part: part.code, location: location.code, quantity: 1 },
        { part: part.code, location: '0000000000000000000000000', quantity: 1 },
      ]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      const missing = await receiveStock(ctx, admin, [
        { part: part.code, location: location.code, quantity: 1 },
        { part: part.code, location: '00000000000000000000000000', quantity: 1 },
      ]).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(NotFoundError);
      expect((missing as NotFoundError).field).toBe('items.1.location');
      expect((await listStock(ctx, { part: part.code })).total).toBe(before.total);
    });

    it('records field changes in the lot history', async () => {
      const { lot } = await makeLot(ctx);
      await updateLot(ctx, admin, lot.code, { name: 'LOT-42', customFields: { supplier: 'Acme' } });
      const events = (await getLotHistory(ctx, lot.code)).filter((h) => h.source === 'event');
      expect(events).toHaveLength(1);
      expect(events[0]!.source === 'event' && events[0]!.data).toEqual({
        name: { from: '', to: 'LOT-42' },
        customFields: { from: {}, to: { supplier: 'Acme' } },
      });
      await expect(
        updateLot(ctx, admin, lot.code, { customFields: { ['k'.repeat(257)]: 'v' } }),
      ).rejects.toThrow(/256/);
      await expect(
        updateLot(ctx, admin, lot.code, { customFields: { k: 'v'.repeat(1025) } }),
      ).rejects.toThrow(/1024/);
    });

    it('balances equal the sum of the ledger', async () => {
      const result = await checkLedger(ctx);
      expect(result.mismatches).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.entries).toBeGreaterThan(10);
      // Break a balance behind the ledger's back: the check must see it.
      const { lot } = await makeLot(ctx, { quantity: 7 });
      const setBalance = (quantity: number) =>
        behindTheApp(() =>
          database.db
            .updateTable('stock_balance')
            .set({ quantity })
            .where('lot_code', '=', lot.code)
            .execute(),
        );
      await setBalance(8_000_000);
      const broken = await checkLedger(ctx);
      expect(broken.ok).toBe(false);
      expect(broken.mismatches).toEqual([
        expect.objectContaining({ lot: lot.code, balance: 8, ledger: 7 }),
      ]);
      await setBalance(7_000_000);
    });
  });
}
