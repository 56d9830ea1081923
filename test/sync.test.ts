import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStoreIn, type FileStore } from '../src/attachments/file-store.js';
import { verifyLog } from '../src/audit/audit.service.js';
import { getLocalSite, markRestored } from '../src/sites/site.service.js';
import { BundleDigest } from '../src/sync/bundle.js';
import { exportInstance } from '../src/transfer/export.service.js';
import { importInstance } from '../src/transfer/import.service.js';
import { apiOn, createTestApi, type TestApi } from './support/api.js';
import { makeUnits } from './support/unit-factories.js';
import { checkLedger } from '../src/stock/stock.service.js';
import { makeProject, stock } from './support/build-factories.js';
import { createTestDatabase, DIALECTS } from './support/databases.js';
import { admin, makeLocation, makePart, testContext } from './support/factories.js';
import {
  apply as applyTo,
  bundle as bundleOf,
  dump as dumpOf,
  type SyncSite,
} from './support/sync-sites.js';

/**
 * Sync between sites (docs/sites.md "How sites sync"): two instances on one database kind, each
 * its own site, exchanging bundles as `tracelot sync` does.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: sync between sites`, () => {
    let a: TestApi;
    let b: TestApi;
    let dir: string;
    const stores = new Map<TestApi, FileStore>();
    beforeAll(async () => {
      a = await createTestApi(dialect);
      b = await createTestApi(dialect);
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-sync-'));
      stores.set(a, fileStoreIn(path.join(dir, 'a')));
      stores.set(b, fileStoreIn(path.join(dir, 'b')));
      expect((await a.call('PATCH', '/api/v1/site', { name: 'Plant A' })).status).toBe(200);
      expect((await b.call('PATCH', '/api/v1/site', { name: 'Plant B' })).status).toBe(200);
    });
    afterAll(async () => {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const site = (api: TestApi): SyncSite => ({ db: api.ctx.db, store: stores.get(api)! });
    const bundle = (from: TestApi, to: TestApi) => bundleOf(site(from), site(to));
    const apply = (to: TestApi, lines: string[]) => applyTo(site(to), lines);
    const dump = (api: TestApi) => dumpOf(site(api));
    async function syncBothWays() {
      await apply(b, await bundle(a, b));
      await apply(a, await bundle(b, a));
    }

    it("brings a site's records, rows and balances to another, and a second apply changes nothing", async () => {
      const line = (await makeLocation(a.ctx, { name: 'Line A' })).code;
      const project = await makeProject(a.ctx, [{ perUnit: 2 }], 'Sensor board');
      await stock(a.ctx, project.parts[0]!, [100], line);
      const build = await a.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 3,
        location: line,
      });
      expect(build.status, JSON.stringify(build.body)).toBe(201);
      const done = await a.call('POST', `/api/v1/builds/${build.body.code}/stages/1/complete`, {
        units: [1, 2],
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);

      const lines = await bundle(a, b);
      const first = await apply(b, lines);
      expect(first.from).toEqual({ id: expect.any(String), name: 'Plant A' });
      expect(first.records.applied).toBe(first.records.received);
      expect(first.records.applied).toBeGreaterThan(5);
      expect(first.conflicts).toBe(0);
      const [atA, atB] = [await dump(a), await dump(b)];
      // B holds A's chain; A does not hold B's yet.
      expect(atB.lot).toEqual(atA.lot);
      expect(atB.stock_entry).toEqual(atA.stock_entry);
      expect(atB.stock_balance).toEqual(atA.stock_balance);
      expect(atB.completion_range).toEqual(atA.completion_range);
      expect(atB.consumption).toEqual(atA.consumption);
      const units = (await b.call('GET', `/api/v1/builds/${build.body.code}/units`)).body;
      expect(units.items ?? units).toHaveLength(3);
      const verified = await verifyLog(b.ctx);
      expect(verified.problems).toEqual([]);
      expect(verified.sites).toBe(2);

      const again = await apply(b, lines);
      expect(again.records.applied).toBe(0);
      expect(again.rows).toEqual({ inserted: 0, updated: 0, kept: again.rows.kept });
      expect(await dump(b)).toEqual(atB);

      await apply(a, await bundle(b, a));
      expect(await dump(a)).toEqual(await dump(b));
    });

    it("users are each site's own: two sites with the same user names sync, each keeps its own", async () => {
      const made = [];
      for (const api of [a, b])
        made.push(
          await api.call('POST', '/api/v1/users', {
            username: 'alice',
            role: 'editor',
            password: `secret ${api === a ? 'a' : 'b'} 12345`,
          }),
        );
      expect(made.map((m) => m.status)).toEqual([201, 201]);
      await syncBothWays();
      for (const [api, own] of [
        [a, made[0]!],
        [b, made[1]!],
      ] as const) {
        const users = (await api.call('GET', '/api/v1/users')).body.items as { code: string }[];
        expect(users.map((u) => u.code)).toContain(own.body.user.code);
        expect(users.map((u) => u.code)).not.toContain(
          (own === made[0] ? made[1] : made[0])!.body.user.code,
        );
      }
      // The record of each user's creation travels, as every record does.
      expect((await verifyLog(a.ctx)).problems).toEqual([]);
    });

    it('one bundle applied twice at the same moment (two servers on one database) is applied once', async () => {
      const line = (await makeLocation(b.ctx, { name: 'Race line' })).code;
      const part = await makePart(b.ctx, { name: 'Raced part' });
      await stock(b.ctx, part.code, [5, 7], line);
      const lines = await bundle(b, a);
      const before = await a.ctx.db
        .selectFrom('change_record')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      const results = await Promise.all([apply(a, lines), apply(a, lines)]);
      const applied = results.map((r) => r.records.applied).sort((x, y) => x - y);
      expect(applied[0]).toBe(0);
      expect(applied[1]).toBe(results[0]!.records.received);
      const after = await a.ctx.db
        .selectFrom('change_record')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n) - Number(before.n)).toBe(applied[1]);
      const balances = await a.ctx.db
        .selectFrom('stock_balance')
        .select('quantity')
        .where('part_code', '=', part.code)
        .orderBy('quantity')
        .execute();
      expect(balances.map((r) => Number(r.quantity))).toEqual([5_000_000, 7_000_000]);
      expect((await verifyLog(a.ctx)).problems).toEqual([]);
    });

    it('work done apart at both sites merges: both ends hold the same, edits take the later value', async () => {
      const part = await a.call('POST', '/api/v1/parts', { name: 'Regulator' });
      await syncBothWays();
      // Apart: A renames the part, then B changes its description later by the clock.
      expect(
        (await a.call('PATCH', `/api/v1/parts/${part.body.code}`, { name: 'LDO' })).status,
      ).toBe(200);
      await new Promise((r) => setTimeout(r, 5));
      expect(
        (await b.call('PATCH', `/api/v1/parts/${part.body.code}`, { description: '3V3 500 mA' }))
          .status,
      ).toBe(200);
      const bPart = await b.call('POST', '/api/v1/parts', { name: 'Made at B' });
      await syncBothWays();
      const [atA, atB] = [await dump(a), await dump(b)];
      expect(atA).toEqual(atB);
      const read = (await a.call('GET', `/api/v1/parts/${part.body.code}`)).body;
      // The row is B's (later) version; A's rename stays in the history.
      expect(read.description).toBe('3V3 500 mA');
      expect((await a.call('GET', `/api/v1/parts/${bPart.body.code}`)).body.name).toBe('Made at B');
      for (const api of [a, b]) expect((await verifyLog(api.ctx)).problems).toEqual([]);
    });

    it('one customer serial given at both sites apart: the earlier stands everywhere, the other is a conflict listed once', async () => {
      const line = (await makeLocation(a.ctx, { name: 'Line S' })).code;
      const project = await makeProject(a.ctx, [], 'Serial board');
      const build = await a.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 2,
        location: line,
      });
      expect(build.status, JSON.stringify(build.body)).toBe(201);
      const format = await a.call('POST', '/api/v1/serial-formats', {
        name: 'Customer SN',
        pattern: 'SN-{SEQ:4}',
      });
      expect(format.status, JSON.stringify(format.body)).toBe(201);
      await syncBothWays();
      const assign = (api: TestApi, unit: number) =>
        api.call('POST', `/api/v1/serial-formats/${format.body.code}/assign`, {
          build: build.body.code,
          units: [unit],
        });
      const atA = await assign(a, 1);
      await new Promise((r) => setTimeout(r, 5));
      const atB = await assign(b, 2);
      expect(atA.body.items?.[0]?.serial ?? atA.body).toBe('SN-0001');
      expect(atB.body.items?.[0]?.serial ?? atB.body).toBe('SN-0001');
      await syncBothWays();
      expect(await dump(a)).toEqual(await dump(b));
      for (const api of [a, b]) {
        const open = await api.call('GET', '/api/v1/sync/conflicts');
        expect(open.status).toBe(200);
        expect(open.body.total).toBe(1);
        const [conflict] = open.body.items;
        expect(conflict).toMatchObject({
          kind: 'customer_serial',
          kept: { site: 'Plant A', row: { value: 'SN-0001' } },
          other: { site: 'Plant B', row: { value: 'SN-0001' } },
          resolution: null,
        });
        expect(conflict.kept.row.lot_code).not.toBe(conflict.other.row.lot_code);
      }
      // The next serial at either site skips the number used anywhere.
      const next = await assign(b, 2);
      expect(next.body.items?.[0]?.serial ?? next.body).toBe('SN-0002');
      const code = (await a.call('GET', '/api/v1/sync/conflicts')).body.items[0].code;
      const resolved = await a.call('POST', `/api/v1/sync/conflicts/${code}/resolve`, {
        keep: 'kept',
        note: 'unit 2 got SN-0002 instead',
      });
      expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
      expect(resolved.body.resolution).toMatchObject({ keep: 'kept', by: 'key:test-admin' });
      expect(
        (
          await a.call('POST', `/api/v1/sync/conflicts/${code}/resolve`, {
            keep: 'other',
            note: 'x',
          })
        ).status,
      ).toBe(409);
      await syncBothWays();
      expect((await b.call('GET', '/api/v1/sync/conflicts')).body.total).toBe(0);
      expect((await b.call('GET', '/api/v1/sync/conflicts?all=true')).body.total).toBe(1);
      for (const api of [a, b]) expect((await verifyLog(api.ctx)).problems).toEqual([]);
    });

    it('a restored backup takes a new epoch, gets back what the backup lacked, and duplicates nothing', async () => {
      await syncBothWays();
      const backup = path.join(dir, 'backup-a');
      await exportInstance(a.ctx.db, { dir: backup, store: stores.get(a)! });
      const lost = await a.call('POST', '/api/v1/parts', { name: 'Made after the backup' });
      await apply(b, await bundle(a, b));

      // The backup, restored into a new database.
      const database = await createTestDatabase(dialect);
      const restored = { ctx: testContext(database.db) } as unknown as TestApi;
      stores.set(restored, fileStoreIn(path.join(dir, 'restored')));
      try {
        await importInstance(restored.ctx, { dir: backup, store: stores.get(restored)! });
        const oldId = (await getLocalSite(restored.ctx)).id;
        // Before it is marked restored, its own lost records coming back are refused.
        await expect(apply(restored, await bundle(b, restored))).rejects.toThrow(
          /restored from a backup; run `tracelot site restored`/,
        );
        const epoch = await markRestored(restored.ctx, admin);
        expect(epoch.id).not.toBe(oldId);
        const made = await makePart(restored.ctx, { name: 'Made after the restore' });

        await apply(b, await bundle(restored, b));
        await apply(restored, await bundle(b, restored));
        const [atRestored, atB] = [await dump(restored), await dump(b)];
        expect(atRestored).toEqual(atB);
        const names = (atB.part as { code: string; name: string }[]).map((p) => p.name);
        expect(names).toContain('Made after the backup');
        expect(names).toContain('Made after the restore');
        expect(names.filter((n) => n === 'Made after the backup')).toHaveLength(1);
        expect(
          (atB.part as { code: string }[]).find((p) => p.code === lost.body.code),
        ).toBeDefined();
        expect((atB.part as { code: string }[]).find((p) => p.code === made.code)).toBeDefined();
        // The old id's chain is whole again, as A wrote it: A's head, at both.
        const headOf = async (db: typeof a.ctx.db) =>
          db
            .selectFrom('site')
            .select(['head_seq', 'head_hash'])
            .where('id', '=', oldId)
            .executeTakeFirst();
        expect(await headOf(restored.ctx.db)).toEqual(await headOf(a.ctx.db));
        for (const api of [restored, b]) expect((await verifyLog(api.ctx)).problems).toEqual([]);
      } finally {
        await database.close();
      }
    });

    it('a unit scrapped, lost to a restore and shipped: taken out twice, a conflict; keeping the scrap takes the shipment back', async () => {
      const unit = (await makeUnits(a.ctx, 1)).units[0]!.code;
      await syncBothWays();
      const backup = path.join(dir, 'backup-before-scrap');
      await exportInstance(a.ctx.db, { dir: backup, store: stores.get(a)! });
      const scrap = await a.call('POST', `/api/v1/units/${unit}/scrap`, { reason: 'cracked' });
      expect(scrap.status, JSON.stringify(scrap.body)).toBe(200);
      await apply(b, await bundle(a, b));

      const database = await createTestDatabase(dialect);
      const ctx = testContext(database.db);
      await importInstance(ctx, { dir: backup, store: fileStoreIn(path.join(dir, 'scrap')) });
      await markRestored(ctx, admin);
      const restored = await apiOn(database);
      stores.set(restored, fileStoreIn(path.join(dir, 'scrap')));
      try {
        const ship = await restored.call('POST', '/api/v1/shipments', {
          customer: 'Acme',
          reference: 'PO-9',
          units: [unit],
        });
        expect(ship.status, JSON.stringify(ship.body)).toBe(201);
        await apply(b, await bundle(restored, b));
        await apply(restored, await bundle(b, restored));
        expect(await dump(restored)).toEqual(await dump(b));
        let code = '';
        for (const api of [restored, b]) {
          const open = (await api.call('GET', '/api/v1/sync/conflicts')).body;
          expect(open.items).toEqual([
            expect.objectContaining({
              kind: 'unit_state',
              subject: unit,
              kept: expect.objectContaining({
                row: expect.objectContaining({ unit_state: 'shipped' }),
              }),
              other: expect.objectContaining({
                row: expect.objectContaining({ unit_state: 'scrapped' }),
              }),
            }),
          ]);
          code = open.items[0].code;
          // Taken out at both: the ledger says so, and the check names it until it is resolved.
          const check = await checkLedger(api.ctx);
          expect(check.ok).toBe(false);
          expect(check.mismatches).toEqual([
            expect.objectContaining({
              lot: unit,
              balance: -1,
              problem: expect.stringMatching(/below zero/),
            }),
          ]);
          expect((await verifyLog(api.ctx)).problems).toEqual([]);
        }
        // Stock is moved only where it is: B cannot settle it.
        const atB = await b.call('POST', `/api/v1/sync/conflicts/${code}/resolve`, {
          keep: 'other',
          note: 'x',
        });
        expect(atB.status).toBe(409);
        expect(atB.body.error.message).toMatch(/resolve this conflict at Plant A/);

        const resolved = await restored.call('POST', `/api/v1/sync/conflicts/${code}/resolve`, {
          keep: 'other',
          note: 'the unit is in the scrap bin; PO-9 gets another',
        });
        expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
        await apply(b, await bundle(restored, b));
        expect(await dump(restored)).toEqual(await dump(b));
        for (const api of [restored, b]) {
          expect((await api.call('GET', `/api/v1/units/${unit}`)).body.state).toBe('scrapped');
          expect((await api.call('GET', `/api/v1/lots/${unit}`)).body.balances).toEqual([]);
          expect((await checkLedger(api.ctx)).ok).toBe(true);
          expect((await verifyLog(api.ctx)).problems).toEqual([]);
        }
      } finally {
        await restored.close();
      }
    });

    it("a site's webhooks tell of what happened at another site as sync brings it, once", async () => {
      const hook = await b.call('POST', '/api/v1/webhooks', {
        url: 'http://127.0.0.1:9/erp',
        events: ['unit.shipped'],
      });
      expect(hook.status, JSON.stringify(hook.body)).toBe(201);
      const unit = (await makeUnits(a.ctx, 1)).units[0]!.code;
      const ship = await a.call('POST', '/api/v1/shipments', {
        customer: 'Acme',
        reference: 'PO-W',
        units: [unit],
      });
      expect(ship.status, JSON.stringify(ship.body)).toBe(201);
      await apply(b, await bundle(a, b));
      await apply(b, await bundle(a, b));
      const listed = await b.call('GET', `/api/v1/webhooks/${hook.body.webhook.code}/deliveries`);
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      const deliveries = listed.body.items;
      expect(deliveries).toHaveLength(1);
      const siteA = (await a.call('GET', '/api/v1/site')).body.id;
      expect(deliveries[0]).toMatchObject({
        eventType: 'unit.shipped',
        payload: {
          type: 'unit.shipped',
          site: siteA,
          subjects: [unit],
          actor: { name: 'key:test-admin' },
        },
      });
      const record = await a.call('GET', `/api/v1/audit/changes/${deliveries[0].payload.record}`);
      expect(record.status).toBe(200);
      const removed = await b.call('DELETE', `/api/v1/webhooks/${hook.body.webhook.code}`);
      expect(removed.status).toBe(200);
    });

    it('refuses a changed, cut or forged bundle whole, naming why', async () => {
      await b.call('POST', '/api/v1/parts', { name: `Tamper ${Math.random()}` });
      const lines = await bundle(b, a);
      const before = await dump(a);
      // A row changed on the way (its record still verifies: rows are checked by the end line).
      const changed = lines.map((l) =>
        l.startsWith('{"rows"') ? l.replace('Tamper', 'Tampered') : l,
      );
      expect(changed).not.toEqual(lines);
      await expect(apply(a, changed)).rejects.toThrow(/changed on the way/);
      await expect(apply(a, lines.slice(0, -1))).rejects.toThrow(/cut short/);
      expect(await dump(a)).toEqual(before);
      // A record changed, and the end line made to match: the record's hash gives it away.
      const forged = lines.map((l) =>
        l.startsWith('{"record"') ? l.replace('Tamper', 'Tampered') : l,
      );
      const digest = new BundleDigest();
      for (const l of forged.slice(0, -1)) digest.add(l);
      const end = JSON.parse(forged.at(-1)!) as { end: { sha256: string } };
      end.end.sha256 = digest.hex();
      forged[forged.length - 1] = JSON.stringify(end);
      await expect(apply(a, forged)).rejects.toThrow(/its hash is not the hash of its content/);
      expect(await dump(a)).toEqual(before);
      // Rows are input from a peer: checked column by column, even in a bundle sealed right.
      const reseal = (changed: string[]) => {
        const seal = new BundleDigest();
        for (const l of changed.slice(0, -1)) seal.add(l);
        const last = JSON.parse(changed.at(-1)!) as { end: { sha256: string } };
        last.end.sha256 = seal.hex();
        return [...changed.slice(0, -1), JSON.stringify(last)];
      };
      const editRow = (edit: (row: Record<string, unknown>) => void) =>
        reseal(
          lines.map((l) => {
            const line = JSON.parse(l) as { rows?: string; data?: Record<string, unknown>[] };
            if (line.rows !== 'part') return l;
            edit(line.data![0]!);
            return JSON.stringify(line);
          }),
        );
      for (const [edit, why] of [
        [(r: Record<string, unknown>) => (r.name = 'a\u0000b'), /NUL character in name/],
        [(r: Record<string, unknown>) => (r.extra = 1), /has \d+ columns, not the table's/],
        [(r: Record<string, unknown>) => (r.name = 7), /name that is not text/],
        [(r: Record<string, unknown>) => (r.name = null), /no value in name/],
      ] as const) {
        await expect(apply(a, editRow(edit))).rejects.toThrow(why);
        expect(await dump(a)).toEqual(before);
      }
      expect((await apply(a, lines)).records.applied).toBeGreaterThan(0);
    });
  });
}
