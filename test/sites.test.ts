import { describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { registerCodes } from '../src/db/object-code.repository.js';
import { GENESIS_PREVIOUS } from '../src/domain/change-record.js';
import { newCode } from '../src/domain/code.js';
import { verifyLog } from '../src/audit/audit.service.js';
import {
  adjustStock,
  changeStockStatus,
  moveStock,
  receiveStock,
} from '../src/stock/stock.service.js';
import { listLotBalances } from '../src/stock/stock.repository.js';
import { holdRecall } from '../src/trace/trace.service.js';
import { useTestApi } from './support/api.js';
import { behindTheApp } from './support/behind-the-app.js';
import { DIALECTS } from './support/databases.js';
import { admin, makeLocation, makeLot, makePart } from './support/factories.js';
import { historyRows } from './support/history.js';
import { rowCounts } from './support/row-counts.js';

const CODE_RE = /^[0-9a-f][0-9a-hjkmnp-tv-z]{25}$/;

/**
 * Another site and one of its locations, as sync will bring them (a site whose records came from
 * elsewhere, local = 0): written behind the application's back, which is what this test stands
 * in for.
 */
async function otherSite(db: Database, name: string) {
  const site = newCode();
  const location = newCode();
  await behindTheApp(() =>
    db.transaction().execute(async (trx) => {
      await trx
        .insertInto('site')
        .values({
          id: site,
          name,
          local: 0,
          head_seq: 0,
          head_hash: GENESIS_PREVIOUS,
          head_hlc: '',
        })
        .execute();
      await registerCodes(trx, 'location', [location]);
      await trx
        .insertInto('location')
        .values({
          code: location,
          name: `${name} stores`,
          description: '',
          archived: 0,
          created_at: '2026-12-01T00:00:00.000Z',
          updated_at: '2026-12-01T00:00:00.000Z',
          site_id: site,
        })
        .execute();
    }),
  );
  return { site, location };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: sites`, () => {
    const suite = useTestApi(dialect);

    it('knows this site: a random id, a name, and its chain head', async () => {
      const { db } = suite.api.database;
      const res = await suite.api.call('GET', '/api/v1/site', undefined, 'viewer');
      expect(res.status).toBe(200);
      const records = await db
        .selectFrom('change_record')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('site_id', '=', res.body.id)
        .executeTakeFirstOrThrow();
      const last = await db
        .selectFrom('change_record')
        .select(['hash', 'hlc'])
        .where('site_id', '=', res.body.id)
        .orderBy('seq', 'desc')
        .executeTakeFirstOrThrow();
      expect(res.body).toEqual({
        id: expect.stringMatching(CODE_RE),
        shortCode: res.body.id.slice(0, 8),
        name: 'local',
        local: true,
        records: Number(records.n),
        head: { seq: Number(records.n), hash: last.hash, hlc: last.hlc },
      });
      const location = await makeLocation(suite.api.ctx);
      expect(location.site).toEqual({ id: res.body.id, name: 'local', local: true });
    });

    it('is renamed by admins only, with the change logged; a bad name changes nothing', async () => {
      const { db } = suite.api.database;
      const before = (await suite.api.call('GET', '/api/v1/site')).body;
      const counts = await rowCounts(db);
      const editor = await suite.api.call('PATCH', '/api/v1/site', { name: 'Plant' }, 'editor');
      expect(editor.status).toBe(403);
      const empty = await suite.api.call('PATCH', '/api/v1/site', { name: '  ' });
      expect(empty.status).toBe(400);
      expect(empty.body.error).toMatchObject({ field: 'name' });
      const nul = await suite.api.call('PATCH', '/api/v1/site', { name: 'Plant\u0000' });
      expect(nul.status).toBe(400);
      expect(nul.body.error).toMatchObject({ field: 'name' });
      expect(await rowCounts(db)).toEqual(counts);

      const renamed = await suite.api.call('PATCH', '/api/v1/site', { name: ' Plant Berlin ' });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ id: before.id, name: 'Plant Berlin', local: true });
      expect(renamed.body.records).toBe(before.records + 1);
      expect(await historyRows(db, before.id)).toEqual([
        expect.objectContaining({
          type: 'updated',
          data: { name: { from: 'local', to: 'Plant Berlin' } },
          actorName: 'key:test-admin',
        }),
      ]);
      // The same name again: nothing to record.
      const same = await suite.api.call('PATCH', '/api/v1/site', { name: 'Plant Berlin' });
      expect(same.body.records).toBe(renamed.body.records);
    });

    it('refuses a name another site has, ignoring case', async () => {
      const { db } = suite.api.database;
      const other = await otherSite(db, 'Laptop 1');
      const counts = await rowCounts(db);
      const res = await suite.api.call('PATCH', '/api/v1/site', { name: 'laptop 1' });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ field: 'name' });
      expect(res.body.error.message).toMatch(/another site is named 'laptop 1'/);
      expect(await rowCounts(db)).toEqual(counts);
      const sites = await suite.api.call('GET', '/api/v1/sites', undefined, 'viewer');
      expect(sites.body.items.map((s: { id: string; local: boolean }) => [s.id, s.local])).toEqual(
        expect.arrayContaining([[other.site, false]]),
      );
      expect(sites.body.items[0].local).toBe(true);
    });

    it("moves stock only at this site's locations; stock sent to another site arrives in transit", async () => {
      const { db } = suite.api.database;
      const ctx = suite.api.ctx;
      const { site, location: away } = await otherSite(db, `Contract ${newCode().slice(0, 6)}`);
      const shown = await suite.api.call('GET', `/api/v1/locations/${away}`);
      expect(shown.body.site).toEqual({ id: site, name: expect.any(String), local: false });
      const { lot, location } = await makeLot(ctx, { quantity: 10 });

      const counts = await rowCounts(db);
      const part = await makePart(ctx);
      const countsWithPart = await rowCounts(db);
      const receive = receiveStock(ctx, admin, [{ part: part.code, location: away, quantity: 5 }]);
      await expect(receive).rejects.toMatchObject({ code: 'conflict', field: 'location' });
      await expect(receive).rejects.toThrow(/only that site moves its stock/);
      expect(await rowCounts(db)).toEqual(countsWithPart);
      expect(countsWithPart).not.toEqual(counts);

      await moveStock(ctx, admin, { lot: lot.code, to: away, quantity: 4, note: 'to the CM' });
      const balances = async () =>
        (await listLotBalances(db, [lot.code]))
          .map((b) => [b.location_code, b.status, Number(b.quantity)])
          .sort();
      expect(await balances()).toEqual(
        [
          [location.code, 'on_hand', 6_000_000],
          [away, 'in_transit', 4_000_000],
        ].sort(),
      );

      const before = await rowCounts(db);
      // One after the other: each is refused before the next starts.
      const refusals = [
        () =>
          moveStock(ctx, admin, {
            lot: lot.code,
            location: away,
            status: 'in_transit',
            to: location.code,
          }),
        () =>
          adjustStock(ctx, admin, {
            lot: lot.code,
            location: away,
            status: 'in_transit',
            count: 0,
          }),
        () =>
          changeStockStatus(ctx, admin, {
            lot: lot.code,
            location: away,
            status: 'in_transit',
            to: 'on_hand',
          }),
      ];
      for (const refused of refusals)
        await expect(refused()).rejects.toMatchObject({ code: 'conflict', field: 'location' });
      expect(await rowCounts(db)).toEqual(before);

      // A recall holds what this site holds; the stock on its way to the other site is theirs.
      const hold = await holdRecall(ctx, admin, lot.code, { note: 'recall R-7' });
      expect(hold).toMatchObject({ lots: 1, balances: 1 });
      expect(await balances()).toEqual(
        [
          [location.code, 'held', 6_000_000],
          [away, 'in_transit', 4_000_000],
        ].sort(),
      );
      const verified = await verifyLog(ctx);
      expect(verified.problems, JSON.stringify(verified.problems)).toEqual([]);
      expect(verified.ok).toBe(true);
    });
  });
}
