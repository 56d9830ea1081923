import type { FastifyInstance, FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/api-key.service.js';
import { listBuildUnits } from '../src/builds/build-view.service.js';
import { startBuild } from '../src/builds/build.service.js';
import { completeStage } from '../src/builds/stage-completion.service.js';
import { createContext } from '../src/context.js';
import {
  TRANSACTION_ATTEMPTS,
  inTransaction,
  openDatabase,
  type Database,
  type DatabaseHandle,
} from '../src/db/database.js';
import { BusyError } from '../src/domain/errors.js';
import { errorResponse } from '../src/http/error-handler.js';
import { buildApp } from '../src/http/app.js';
import { appendHistory } from '../src/history/history.repository.js';
import type { Bom } from '../src/projects/project.schemas.js';
import { moveStock } from '../src/stock/stock.service.js';
import { makeProject, stock } from './support/build-factories.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import {
  admin,
  makeLocation,
  makeLot,
  makePart,
  testContext,
  type TestContext,
} from './support/factories.js';
import { historyRows } from './support/history.js';
import { makeUnits } from './support/unit-factories.js';

// Requests that collide on the same rows, through two servers on one PostgreSQL database (one
// server on SQLite, which one process serves). Whatever the interleaving, no request answers
// 500, the ledger holds, and of requests that exclude each other exactly one wins.
for (const dialect of DIALECTS) {
  describe(`${dialect}: colliding requests`, () => {
    let database: TestDatabase;
    let second: DatabaseHandle | undefined;
    let ctx: TestContext;
    let apps: FastifyInstance[];
    let key: string;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      if (dialect === 'postgres')
        second = openDatabase({ url: database.url, schema: database.schema });
      ctx = testContext(database.db);
      apps = await Promise.all(
        [database, second ?? database].map((d) => buildApp({ ctx: createContext(d.db) })),
      );
      key = (await createApiKey(ctx, admin, { name: 'race', role: 'editor' })).key;
    });
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.close()));
      await second?.close();
      await database.close();
    });

    /** Sends the requests at once (POST unless told), alternating between the servers; the answers in order. */
    const race = (
      requests: { method?: 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object }[],
    ) =>
      Promise.all(
        requests.map(({ method = 'POST', url, payload }, i) =>
          apps[i % apps.length]!.inject({
            method,
            url: `/api/v1${url}`,
            headers: { authorization: `Bearer ${key}` },
            payload,
          }),
        ),
      );
    const get = async (url: string) =>
      (
        await apps[0]!.inject({
          method: 'GET',
          url: `/api/v1${url}`,
          headers: { authorization: `Bearer ${key}` },
        })
      ).json();

    it('moves of one lot in opposite directions between two locations all succeed', async () => {
      const { lot, location: a } = await makeLot(ctx, { quantity: 1000 });
      const b = await makeLocation(ctx);
      await moveStock(ctx, admin, { lot: lot.code, to: b.code, quantity: 500 });
      const moves = Array.from({ length: 160 }, (_, i) => ({
        url: '/stock/move',
        payload:
          i % 4 < 2
            ? { lot: lot.code, location: a.code, to: b.code, quantity: 1 }
            : { lot: lot.code, location: b.code, to: a.code, quantity: 1 },
      }));
      const answers = await race(moves);
      expect(answers.map((a) => a.statusCode)).toEqual(moves.map(() => 200));
      const balances = (await get(`/lots/${lot.code}`)).balances.map(
        (x: { location: { code: string }; quantity: number }) => [x.location.code, x.quantity],
      );
      expect(new Map(balances)).toEqual(
        new Map([
          [a.code, 500],
          [b.code, 500],
        ]),
      );
      expect(await get('/stock/check')).toMatchObject({ ok: true, mismatches: [] });
    });

    it('shipping, scrapping and installing the same unit at once: exactly one wins', async () => {
      const { units, part } = await makeUnits(ctx, 24);
      const top = await makeProject(ctx, [{ part, perUnit: 1 }], `Top ${dialect} race`);
      const parents = await unitsOf(
        await startBuild(ctx, admin, {
          project: top.code,
          quantity: units.length,
          location: (await makeLocation(ctx)).code,
        }),
      );
      const requests = units.flatMap((u, i) => [
        {
          url: '/shipments',
          payload: { customer: 'Acme', reference: `PO-${i}`, units: [u.code] },
        },
        { url: `/units/${u.code}/scrap`, payload: { reason: 'dropped' } },
        { url: '/installations', payload: { child: u.code, parent: parents[i] } },
      ]);
      const answers = await race(requests);
      for (const [i] of units.entries()) {
        const statuses = answers.slice(3 * i, 3 * i + 3).map((a) => a.statusCode);
        expect(statuses.filter((s) => s >= 200 && s < 300)).toHaveLength(1);
        expect(statuses.filter((s) => s === 409)).toHaveLength(2);
      }
      expect(await get('/stock/check')).toMatchObject({ ok: true, mismatches: [] });
    });

    // A completion is reversed once: of parallel reversals exactly one succeeds, the others
    // answer 409, and the stock comes back once.
    it('reversing one stage completion six times at once: exactly one succeeds', async () => {
      const line = (await makeLocation(ctx)).code;
      for (let round = 0; round < 3; round++) {
        const project = await makeProject(ctx, [{ perUnit: 1 }]);
        const reel = await stock(ctx, project.parts[0]!, [100]);
        const build = await startBuild(ctx, admin, {
          project: project.code,
          quantity: 10,
          location: line,
        });
        const c = await completeStage(ctx, admin, build.code, 1, {});
        const answers = await race(
          Array.from({ length: 6 }, (_, i) => ({
            url: `/builds/${build.code}/completions/${c.completion}/reverse`,
            payload: { reason: `race ${i}` },
          })),
        );
        expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
        const lot = await get(`/lots/${reel.lots[0]}`);
        expect(lot.balances.map((b: { quantity: number }) => b.quantity)).toEqual([100]);
        // Sorted: the servers' clocks are real time, the test context's may run ahead of it.
        const entries = (await get(`/lots/${reel.lots[0]}/history`)).items;
        expect(entries.map((e: { type: string }) => e.type).sort()).toEqual([
          'consumed',
          'received',
          'reversed',
        ]);
        const events = await historyRows(database.db, build.code);
        expect(events.filter((e) => e.type === 'completion_reversed')).toHaveLength(1);
      }
      expect(await get('/stock/check')).toMatchObject({ ok: true, mismatches: [] });
    });

    it('two reversals of one shipment at once: exactly one wins, the stock comes back once', async () => {
      const { units, location } = await makeUnits(ctx, 4);
      const shipped = await apps[0]!.inject({
        method: 'POST',
        url: '/api/v1/shipments',
        headers: { authorization: `Bearer ${key}` },
        payload: { customer: 'Acme', reference: 'PO-race', units: units.map((u) => u.code) },
      });
      const code = shipped.json().code as string;
      const answers = await race(
        [1, 2].map((n) => ({
          url: `/shipments/${code}/reverse`,
          payload: { reason: `twice ${n}` },
        })),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
      const balances = (await get(`/lots/${units[0]!.code}`)).balances.map(
        (b: { location: { code: string }; quantity: number }) => [b.location.code, b.quantity],
      );
      expect(balances).toEqual([[location, 1]]);
      expect(await get('/stock/check')).toMatchObject({ ok: true, mismatches: [] });
    });

    it('two voids of one test result at once: exactly one wins', async () => {
      const { units, part } = await makeUnits(ctx, 1);
      const post = (url: string, payload: object) =>
        apps[0]!.inject({
          method: 'POST',
          url: `/api/v1${url}`,
          headers: { authorization: `Bearer ${key}` },
          payload,
        });
      await post(`/parts/${part}/test-templates`, { key: 'ict', name: 'ICT' });
      const id = (
        await post(`/units/${units[0]!.code}/tests`, { key: 'ict', result: 'pass' })
      ).json().id as number;
      const answers = await race(
        [1, 2].map((n) => ({ url: `/test-results/${id}/void`, payload: { reason: `wrong ${n}` } })),
      );
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409]);
      const winner = answers.find((a) => a.statusCode === 200)!.json();
      const tests = await get(`/units/${units[0]!.code}/tests`);
      expect(tests.results.items[0].voided.reason).toBe(winner.voided.reason);
      expect(tests.passed).toBe(false);
    });

    it('two different units installed at once into a one-unit BOM slot: exactly one fits', async () => {
      const { units, part } = await makeUnits(ctx, 12);
      const top = await makeProject(ctx, [{ part, perUnit: 1 }], `Slot ${dialect} race`);
      const parents = await unitsOf(
        await startBuild(ctx, admin, {
          project: top.code,
          quantity: units.length / 2,
          location: (await makeLocation(ctx)).code,
        }),
      );
      const answers = await race(
        units.map((u, i) => ({
          url: '/installations',
          payload: { child: u.code, parent: parents[Math.floor(i / 2)] },
        })),
      );
      for (const [p] of parents.entries()) {
        const pair = answers.slice(2 * p, 2 * p + 2);
        expect(pair.map((a) => a.statusCode).sort()).toEqual([201, 409]);
        expect(pair.find((a) => a.statusCode === 409)!.json().error.message).toMatch(
          /holds as many .* as its BOM asks for already/,
        );
      }
      const open = await database.db
        .selectFrom('installation')
        .select(['parent_code', (eb) => eb.fn.countAll<number>().as('n')])
        .where('parent_code', 'in', parents)
        .where('removed_at', 'is', null)
        .groupBy('parent_code')
        .execute();
      expect(open.map((r) => Number(r.n))).toEqual(parents.map(() => 1));
    });

    if (dialect === 'postgres')
      it('a transaction that deadlocks is run again, whole, and both succeed', async () => {
        const [x, y] = [(await makeLocation(ctx)).code, (await makeLocation(ctx)).code];
        let attempts = 0;
        let holding = 0;
        let bothHold: () => void;
        const met = new Promise<void>((resolve) => (bothHold = resolve));
        // Each first attempt locks one row and waits until the other holds the other row, then
        // asks for it: a real deadlock, which PostgreSQL breaks by aborting one of them.
        const describeBoth = (db: Database, first: string, then: string) =>
          inTransaction(db, async (trx) => {
            attempts++;
            await trx
              .updateTable('location')
              .set({ description: 'a' })
              .where('code', '=', first)
              .execute();
            if (attempts <= 2 && ++holding === 2) bothHold();
            if (attempts <= 2) await met;
            await trx
              .updateTable('location')
              .set({ description: 'b' })
              .where('code', '=', then)
              .execute();
            // As every service does: the change log records the writes of the transaction.
            await appendHistory(trx, admin, new Date().toISOString(), [
              { subjectCode: first, type: 'updated', data: { description: { to: 'a' } } },
            ]);
            return first;
          });
        expect(
          await Promise.all([describeBoth(database.db, x, y), describeBoth(second!.db, y, x)]),
        ).toEqual([x, y]);
        expect(attempts).toBe(3);
      });

    it('a transaction that keeps colliding ends, after a few attempts, as 503 busy', async () => {
      let attempts = 0;
      const failure = await inTransaction(database.db, async (trx) => {
        attempts++;
        await trx.updateTable('location').set({ description: 'c' }).execute();
        // What PostgreSQL throws for a deadlock (node-postgres puts the SQLSTATE in `code`).
        throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      }).catch((error: unknown) => error);
      expect(attempts).toBe(TRANSACTION_ATTEMPTS);
      expect(failure).toBeInstanceOf(BusyError);
      const { status, body } = errorResponse(failure, {} as FastifyRequest);
      expect(status).toBe(503);
      expect(body).toEqual({
        code: 'busy',
        message:
          'the database is busy with changes to the same records; nothing changed: try again',
      });
    });

    // BOM edits, stages and build starts (issue 11): each takes the project's lock
    // (projects/bom.service.ts lockProject; startBuild too), so on one project they run one after
    // another whichever server they reach: no edit is lost, a revision is raised once, and a
    // build records the revision of exactly the lines it copied.
    describe('a BOM changed from two servers at once', () => {
      const bom = async (project: string): Promise<Bom> => get(`/projects/${project}/bom`);
      /** The BOM changes recorded on the project, oldest first. */
      const bomChanges = async (project: string) =>
        (await historyRows(database.db, project))
          .filter((e) => e.type === 'updated')
          .map((e) => e.data as { bom?: BomChange; stages?: { revision?: unknown } });
      type BomChange = {
        changed: { items: { changes: { quantity?: { from: number; to: number } } }[] };
        revision?: { from: number; to: number };
      };

      it('two edits of one line both apply, the second on top of the first', async () => {
        const project = await makeProject(ctx, [{}, {}], `Edit race ${dialect}`);
        const answers = await race(
          [3, 4].map((quantity) => ({
            method: 'PATCH',
            url: `/projects/${project.code}/bom/entries/1`,
            payload: { quantity },
          })),
        );
        expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
        const after = await bom(project.code);
        expect(after.entries.map((e) => e.part.code)).toEqual(project.parts);
        // The second change starts from the first one's result: nothing was lost.
        const quantities = (await bomChanges(project.code))
          .slice(-2)
          .map((c) => c.bom!.changed.items[0]!.changes.quantity!);
        expect(quantities[0]!.from).toBe(1);
        expect(quantities[1]!.from).toBe(quantities[0]!.to);
        expect(after.entries[0]!.quantity).toBe(quantities[1]!.to);
        expect(new Set(quantities.map((q) => q.to))).toEqual(new Set([3, 4]));
      });

      it('adding a line and deleting another at once: both apply, in either order', async () => {
        const project = await makeProject(ctx, [{}, {}], `Add-delete race ${dialect}`);
        const added = (await makePart(ctx, { name: `Added ${dialect}` })).code;
        const answers = await race([
          {
            url: `/projects/${project.code}/bom/entries`,
            payload: { part: added, quantity: 1, designators: 'R9' },
          },
          { method: 'DELETE', url: `/projects/${project.code}/bom/entries/1` },
        ]);
        expect(answers.map((a) => a.statusCode)).toEqual([201, 200]);
        expect((await bom(project.code)).entries.map((e) => e.part.code)).toEqual([
          project.parts[1],
          added,
        ]);
      });

      it('the first edits after a build used the BOM raise its revision once', async () => {
        const line = (await makeLocation(ctx)).code;
        const project = await makeProject(ctx, [{}, {}], `Revision race ${dialect}`);
        const build = await startBuild(ctx, admin, {
          project: project.code,
          quantity: 2,
          location: line,
        });
        expect(build.bomRevision).toBe(1);
        const answers = await race(
          [1, 2].map((position) => ({
            method: 'PATCH',
            url: `/projects/${project.code}/bom/entries/${position}`,
            payload: { quantity: 5 },
          })),
        );
        expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
        expect((await bom(project.code)).revision).toBe(2);
        const raised = (await bomChanges(project.code)).filter((c) => c.bom?.revision);
        expect(raised.map((c) => c.bom!.revision)).toEqual([{ from: 1, to: 2 }]);
        // The build keeps the revision and the lines it started with.
        const kept = await get(`/builds/${build.code}`);
        expect(kept).toMatchObject({ bomRevision: 1, projectBomRevision: 2 });
        const copied = await database.db
          .selectFrom('build_entry')
          .select('quantity')
          .where('build_code', '=', build.code)
          .orderBy('entry_no')
          .execute();
        expect(copied.map((e) => Number(e.quantity))).toEqual([1_000_000, 1_000_000]);
      });

      it('builds started during edits record the revision of the lines they copied', async () => {
        const line = (await makeLocation(ctx)).code;
        const project = await makeProject(ctx, [{}], `Start race ${dialect}`);
        // Each edit gives line 1 a quantity of its own: a build's copy says which edit it saw.
        const answers = await race(
          Array.from({ length: 12 }, (_, i) =>
            i % 2 === 0
              ? {
                  method: 'PATCH',
                  url: `/projects/${project.code}/bom/entries/1`,
                  payload: { quantity: i + 2 },
                }
              : { url: '/builds', payload: { project: project.code, quantity: 1, location: line } },
          ),
        );
        expect(answers.map((a) => a.statusCode)).toEqual(
          answers.map((_, i) => (i % 2 === 0 ? 200 : 201)),
        );
        const builds = await database.db
          .selectFrom('build')
          .innerJoin('build_entry', 'build_entry.build_code', 'build.code')
          .select(['build.bom_revision as revision', 'build_entry.quantity'])
          .where('build.project_code', '=', project.code)
          .execute();
        expect(builds).toHaveLength(6);
        // One revision, one set of lines; and an edit after a build raised it, so another
        // revision never holds the same lines.
        const linesOf = new Map<number, Set<number>>();
        for (const b of builds) {
          linesOf.set(b.revision, (linesOf.get(b.revision) ?? new Set()).add(Number(b.quantity)));
        }
        for (const lines of linesOf.values()) expect(lines.size).toBe(1);
        const copied = [...linesOf.values()].map((s) => [...s][0]);
        expect(new Set(copied).size).toBe(copied.length);
        const final = await bom(project.code);
        expect(final.revision).toBeGreaterThanOrEqual(Math.max(...linesOf.keys()));
      });

      it('two stages renamed to one name at once: exactly one gets it', async () => {
        const project = await makeProject(
          ctx,
          [{ stage: 1 }, { stage: 2 }],
          `Rename race ${dialect}`,
        );
        const answers = await race(
          [1, 2].map((stage) => ({
            method: 'PATCH',
            url: `/projects/${project.code}/stages/${stage}`,
            payload: { name: stage === 1 ? 'Test' : 'TEST' },
          })),
        );
        expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 400]);
        expect(answers.find((a) => a.statusCode === 400)!.json().error).toMatchObject({
          field: 'name',
          message: expect.stringMatching(/is named 'test' already/i),
        });
        const named = (await bom(project.code)).stages.filter((s) => s.name !== '');
        expect(named).toHaveLength(1);
      });

      it('two stages added at once: one name once, and distinct numbers', async () => {
        const project = await makeProject(ctx, [{}], `Add race ${dialect}`);
        const same = await race(
          [1, 2].map(() => ({ url: `/projects/${project.code}/stages`, payload: { name: 'SMT' } })),
        );
        expect(same.map((a) => a.statusCode).sort()).toEqual([201, 400]);
        const two = await race(
          ['Hand solder', 'Test'].map((name) => ({
            url: `/projects/${project.code}/stages`,
            payload: { name },
          })),
        );
        expect(two.map((a) => a.statusCode)).toEqual([201, 201]);
        const named = (await bom(project.code)).stages.filter((s) => s.name !== '');
        expect(named.map((s) => s.name).sort()).toEqual(['Hand solder', 'SMT', 'Test']);
        expect(new Set(named.map((s) => s.stage)).size).toBe(3);
      });
    });

    async function unitsOf(build: { code: string }): Promise<string[]> {
      return (await listBuildUnits(ctx, build.code, { limit: 500 })).items.map((u) => u.code);
    }
  });
}
