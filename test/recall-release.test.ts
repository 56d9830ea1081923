import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.js';
import { createContext } from '../src/context.js';
import { openDatabase } from '../src/db/database.js';
import { listHistory } from '../src/history/history.repository.js';
import { buildApp } from '../src/http/app.js';
import { createTestApi, type TestApi } from './support/api.js';
import { makeProject, stock } from './support/build-factories.js';
import { DIALECTS } from './support/databases.js';
import { admin, makeLocation } from './support/factories.js';
import { rowCounts } from './support/row-counts.js';
import { SIGNER_PASSWORD, useSignerApi } from './support/signer.js';

for (const dialect of DIALECTS) {
  describe(`${dialect}: releasing a recall hold`, () => {
    const t = useSignerApi(dialect);
    const db = () => t.api.database.db;
    const release = (reel: string, body: object, role?: 'viewer') =>
      t.api.call('POST', `/api/v1/lots/${reel}/recall/release`, body, role);
    const balances = async (lot: string) =>
      (await t.api.call('GET', `/api/v1/lots/${lot}`)).body.balances.map(
        (b: { status: string; quantity: number; location: { code: string } }) => [
          b.status,
          b.quantity,
        ],
      );

    /** A reel of 10 at the store; 3 of it in 3 units of a build still in production. */
    async function heldReel() {
      const project = await makeProject(t.api.ctx, [{ perUnit: 1 }]);
      const line = await makeLocation(t.api.ctx);
      const { lots } = await stock(t.api.ctx, project.parts[0]!, [10], line.code);
      const reel = lots[0]!;
      const started = await t.api.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 3,
        location: line.code,
        serialized: true,
      });
      expect(started.status).toBe(201);
      const done = await t.api.call(
        'POST',
        `/api/v1/builds/${started.body.code}/stages/1/complete`,
        {
          lots: [{ entry: 1, lot: reel }],
        },
      );
      expect(done.status).toBe(200);
      const units = (
        await t.api.call('GET', `/api/v1/builds/${started.body.code}/units`)
      ).body.items.map((u: { code: string }) => u.code) as string[];
      const hold = await t.api.call('POST', `/api/v1/recall/${reel}/hold`, { note: 'RMA 1' });
      expect(hold.status).toBe(200);
      expect(hold.body.balances).toBe(4);
      return { reel, units, line: line.code, hold: hold.body.operation as string };
    }

    it('gives each held balance back the status it had, once; the holds and the history say so', async () => {
      const { reel, units, hold } = await heldReel();
      expect(await balances(reel)).toEqual([['held', 7]]);
      const res = await release(reel, { note: 'supplier cleared the reel' });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        hold,
        operation: expect.any(String),
        lots: 4,
        balances: 4,
        byStatus: [
          { status: 'on_hand', balances: 1, quantity: 7 },
          { status: 'in_production', balances: 3, quantity: 3 },
        ],
        skipped: 0,
      });
      expect(await balances(reel)).toEqual([['on_hand', 7]]);
      for (const unit of units) expect(await balances(unit)).toEqual([['in_production', 1]]);
      expect((await t.api.call('GET', '/api/v1/stock/check')).body.ok).toBe(true);
      // status_changed pairs through the ledger, naming the recalled lot.
      const entries = await db()
        .selectFrom('stock_entry')
        .select(['type', 'status', 'quantity', 'ref_code'])
        .where('operation', '=', res.body.operation)
        .orderBy('id')
        .execute();
      expect(entries).toHaveLength(8);
      expect(new Set(entries.map((e) => `${e.type} ${e.ref_code}`))).toEqual(
        new Set([`status_changed ${reel}`]),
      );
      expect((await listHistory(db(), reel)).at(-1)).toMatchObject({
        type: 'recall_released',
        data: {
          hold,
          operation: res.body.operation,
          note: 'supplier cleared the reel',
          balances: 4,
          skipped: 0,
        },
      });
      const holds = await t.api.call('GET', `/api/v1/lots/${reel}/recall/holds`);
      expect(holds.body.items).toEqual([
        {
          operation: hold,
          by: 'key:test-admin',
          at: expect.any(String),
          note: 'RMA 1',
          signature: null,
          lots: 4,
          balances: 4,
          release: {
            operation: res.body.operation,
            by: 'key:test-admin',
            at: expect.any(String),
            note: 'supplier cleared the reel',
            signature: null,
            balances: 4,
            skipped: 0,
          },
        },
      ]);

      // Released once: again (by name or by default) is a 409 that changes nothing.
      const counts = await rowCounts(db());
      const again = await release(reel, { operation: hold, note: 'again' });
      expect(again.status).toBe(409);
      expect(again.body.error.field).toBe('operation');
      expect(again.body.error.message).toMatch(/released already/);
      const none = await release(reel, { note: 'again' });
      expect(none.status).toBe(409);
      expect(none.body.error.message).toMatch(/no recall hold to release/);
      expect(await rowCounts(db())).toEqual(counts);
    });

    it('skips and counts balances moved since the hold; releases the latest open hold by default', async () => {
      const { reel, units, hold } = await heldReel();
      const elsewhere = await makeLocation(t.api.ctx);
      const moved = await t.api.call('POST', '/api/v1/stock/move', {
        lot: reel,
        status: 'held',
        to: elsewhere.code,
        quantity: 2,
      });
      expect(moved.status).toBe(200);
      const res = await release(reel, { note: 'cleared' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ hold, balances: 3, skipped: 1, lots: 3 });
      // The reel's held stock stays held, where it was and where it went.
      expect((await balances(reel)).sort()).toEqual([
        ['held', 2],
        ['held', 5],
      ]);
      for (const unit of units) expect(await balances(unit)).toEqual([['in_production', 1]]);
      expect((await t.api.call('GET', '/api/v1/stock/check')).body.ok).toBe(true);

      // A second hold holds what is left; with two holds the default is the open one.
      const second = await t.api.call('POST', `/api/v1/recall/${reel}/hold`, { note: 'RMA 2' });
      expect(second.body.balances).toBe(3);
      const released = await release(reel, { note: 'cleared again' });
      expect(released.body).toMatchObject({ hold: second.body.operation, balances: 3, skipped: 0 });
      expect((await t.api.call('GET', '/api/v1/stock/check')).body.ok).toBe(true);
    });

    it('refuses bad input, viewers, unknown holds and lots, changing nothing', async () => {
      const { reel } = await heldReel();
      const counts = await rowCounts(db());
      for (const [body, field] of [
        [{}, 'note'],
        [{ note: ' ' }, 'note'],
        [{ note: 'x', operation: '' }, 'operation'],
        [{ note: 'x', extra: 1 }, 'body'],
        [{ note: 'x', signature: { password: 'x' } }, 'signature.meaning'],
      ] as const) {
        const res = await release(reel, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.field).toBe(field);
      }
      expect((await release(reel, { note: 'x' }, 'viewer')).status).toBe(403);
      const unknownHold = await release(reel, { note: 'x', operation: t.api.ctx.newCode() });
      expect(unknownHold.status).toBe(404);
      expect(unknownHold.body.error.field).toBe('operation');
      const unknownLot = await release(t.api.ctx.newCode(), { note: 'x' });
      expect(unknownLot.status).toBe(404);
      expect(unknownLot.body.error.field).toBe('code');
      expect(await rowCounts(db())).toEqual(counts);
    });

    it('a required signature: missing is a 409, a wrong password is refused and logged, the right one signs', async () => {
      const { reel, hold } = await heldReel();
      await t.api.call('PUT', '/api/v1/settings/signatures', { require: ['recall_released'] });
      try {
        const url = `/api/v1/lots/${reel}/recall/release`;
        const counts = await rowCounts(db());
        const missing = await t.signer.as('POST', url, { note: 'cleared' });
        expect(missing.status).toBe(409);
        expect(missing.body.error.field).toBe('signature');
        expect(missing.body.error.message).toMatch(
          /release the stock a recall hold put on held requires an electronic signature/,
        );
        expect(await rowCounts(db())).toEqual(counts);
        const wrong = await t.signer.as('POST', url, {
          note: 'cleared',
          signature: { password: 'wrong', meaning: 'approved' },
        });
        expect(wrong.status).toBe(403);
        expect(wrong.body.error.field).toBe('signature.password');
        expect((await listHistory(db(), t.signer.user.code)).at(-1)).toMatchObject({
          type: 'signature_refused',
          data: { operations: ['recall_released'] },
        });
        expect(await balances(reel)).toEqual([['held', 7]]);

        const signed = await t.signer.as('POST', url, {
          note: 'cleared',
          signature: { password: SIGNER_PASSWORD, meaning: 'approved' },
        });
        expect(signed.status).toBe(200);
        const history = await listHistory(db(), reel);
        expect(history.slice(-2)).toMatchObject([
          { type: 'recall_released', data: { hold } },
          { type: 'signed', data: { meaning: 'approved', operation: 'recall_released' } },
        ]);
        const holds = await t.api.call('GET', `/api/v1/lots/${reel}/recall/holds`);
        expect(holds.body.items[0].release.signature).toEqual({
          signer: t.signer.user.username,
          meaning: 'approved',
          at: expect.any(String),
          record: history.at(-2)!.change,
        });
      } finally {
        await t.api.call('PUT', '/api/v1/settings/signatures', { require: [] });
      }
    });

    it('parallel releases of one hold: exactly one succeeds; balances equal the ledger', async () => {
      // Invariant: a hold is released once; what it held goes back once.
      const { reel } = await heldReel();
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => release(reel, { note: 'race' })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
      expect(await balances(reel)).toEqual([['on_hand', 7]]);
      expect((await t.api.call('GET', '/api/v1/stock/check')).body).toMatchObject({ ok: true });
    });
  });
}

// Two servers on one PostgreSQL database: the guard is the database's, not a process's.
for (const dialect of DIALECTS.filter((d) => d === 'postgres')) {
  describe(`${dialect}: releases of one hold through two servers`, () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await createTestApi(dialect);
    });
    afterAll(() => api.close());

    it('exactly one release succeeds; balances equal the ledger', async () => {
      const second = openDatabase({ url: api.database.url, schema: api.database.schema });
      const other = await buildApp({ ctx: createContext(second.db) });
      try {
        const { key } = await createApiKey(api.ctx, admin, {
          name: 'release-race',
          role: 'editor',
        });
        const project = await makeProject(api.ctx, [{ perUnit: 1 }]);
        const { lots } = await stock(api.ctx, project.parts[0]!, [10, 10]);
        const reel = lots[0]!;
        const hold = await api.call('POST', `/api/v1/recall/${reel}/hold`, { note: 'RMA' });
        expect(hold.status).toBe(200);
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 ? other : api.app).inject({
              method: 'POST',
              url: `/api/v1/lots/${reel}/recall/release`,
              headers: { authorization: `Bearer ${key}` },
              payload: { operation: hold.body.operation, note: 'race' },
            }),
          ),
        );
        expect(answers.map((a) => a.statusCode).sort()).toEqual([
          200, 409, 409, 409, 409, 409, 409, 409,
        ]);
        const lot = (await api.call('GET', `/api/v1/lots/${reel}`)).body;
        expect(
          lot.balances.map((b: { status: string; quantity: number }) => [b.status, b.quantity]),
        ).toEqual([['on_hand', 10]]);
        expect((await api.call('GET', '/api/v1/stock/check')).body).toMatchObject({
          ok: true,
          mismatches: [],
        });
      } finally {
        await other.close();
        await second.close();
      }
    });
  });
}
