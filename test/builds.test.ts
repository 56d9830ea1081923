import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelBuild, finishBuild, scrapUnit, startBuild } from '../src/builds/build.service.js';
import { completeStage } from '../src/builds/stage-completion.service.js';
import {
  getBuild,
  listBuildUnits,
  listConsumed,
  planBuild,
} from '../src/builds/build-view.service.js';
import { installUnit, uninstallUnit } from '../src/builds/installation.service.js';
import type { Context } from '../src/context.js';
import { isPostgres } from '../src/db/migrations/helpers.js';
import type { StockStatus } from '../src/domain/stock-status.js';
import { getLot, getLotHistory, updateLot } from '../src/stock/lot-view.service.js';
import { getPart } from '../src/parts/part.service.js';
import { changeStockStatus, checkLedger } from '../src/stock/stock.service.js';
import { traceBackward } from '../src/trace/trace.service.js';
import { makeProject, stock } from './support/build-factories.js';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { admin, makeLocation, makePart, type TestContext } from './support/factories.js';
import { rowCounts } from './support/row-counts.js';
import { buildSerialLabel } from '../src/domain/unit-label.js';

const CODE = /^[0-9a-f][0-9a-hjkmnp-tv-z]{12}[0-9a-f][0-9a-hjkmnp-tv-z]{12}$/;

for (const dialect of DIALECTS) {
  describe(`${dialect}: builds`, () => {
    let api: TestApi;
    let ctx: TestContext;
    let line: string;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      ctx = api.ctx;
      line = (await makeLocation(ctx, { name: `Line ${dialect}` })).code;
    });
    afterAll(() => api.close());

    it('lists builds newest first: by status, project, and a search of names, notes and codes', async () => {
      const tag = `${dialect}-${Math.random().toString(36).slice(2, 8)}`;
      const thermostat = await makeProject(
        ctx,
        [{}, { stage: 3, dnp: true }, { stage: 3, dnp: true }],
        `Thermostat ${tag}`,
      );
      const valve = await makeProject(ctx, [], `Valve ${tag}`);
      const start = async (project: string, notes = '') => {
        // Apart in time, so that "newest first" has one answer.
        ctx.clock.advance(5);
        return startBuild(ctx, admin, { project, quantity: 1, location: line, notes });
      };
      const first = await start(thermostat.code, 'rush order 7781');
      const second = await start(valve.code);
      const third = await start(thermostat.code);
      await cancelBuild(ctx, admin, third.code, { reason: 'duplicate' });
      const list = async (query: string) => {
        const res = await api.call('GET', `/api/v1/builds?${query}`, undefined, 'viewer');
        expect(res.status).toBe(200);
        return [res.body.items.map((b: { code: string }) => b.code), res.body.total];
      };
      expect(await list(`q=${tag}`)).toEqual([[third.code, second.code, first.code], 3]);
      expect(await list(`q=${tag}&limit=1&offset=1`)).toEqual([[second.code], 3]);
      const page = await api.call('GET', `/api/v1/builds?q=${tag}`);
      // Stages in order with their entry counts; a stage of DNP entries places nothing.
      expect(page.body.items[2].stages).toEqual([
        {
          stage: 1,
          name: '',
          documentation: false,
          entries: 1,
          placesParts: true,
          completedUnits: 0,
        },
        {
          stage: 3,
          name: '',
          documentation: false,
          entries: 2,
          placesParts: false,
          completedUnits: 0,
        },
      ]);
      expect(page.body.items[1].stages).toEqual([]);
      expect(await list(`q=THERMOSTAT%20${tag}`)).toEqual([[third.code, first.code], 2]);
      expect(await list(`q=${tag}&status=cancelled`)).toEqual([[third.code], 1]);
      expect(await list(`project=${valve.code}`)).toEqual([[second.code], 1]);
      // The product's name, the notes, the short code on a traveller, the full code.
      expect(await list(`q=valve%20${tag}%20assembly`)).toEqual([[second.code], 1]);
      expect(await list('q=order%207781')).toEqual([[first.code], 1]);
      expect(await list(`q=${first.shortCode.toUpperCase()}`)).toEqual([[first.code], 1]);
      expect(await list(`q=${second.code}`)).toEqual([[second.code], 1]);
      // Wildcards are taken literally.
      expect(await list(`q=${tag}%25`)).toEqual([[], 0]);
      const bad = await api.call('GET', `/api/v1/builds?q=${'x'.repeat(201)}`);
      expect([bad.status, bad.body.error.field]).toEqual([400, 'q']);
    });

    it('runs a serialized build in one call: one lot per unit, serials 1..N, exact consumption (FIFO)', async () => {
      const project = await makeProject(ctx, [{ perUnit: 2 }, { perUnit: 1 }]);
      const resistors = await stock(ctx, project.parts[0]!, [15, 100]);
      const caps = await stock(ctx, project.parts[1]!, [4, 50]);
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 10,
        location: line,
        run: true,
      });
      expect(build).toMatchObject({ status: 'finished', serialized: true, quantity: 10 });
      expect(build.units).toMatchObject({ total: 10, available: 10, inProduction: 0 });
      expect(build.stages).toEqual([
        {
          stage: 1,
          name: '',
          documentation: false,
          entries: 2,
          placesParts: true,
          completedUnits: 10,
        },
      ]);

      const units = await listBuildUnits(ctx, build.code, {});
      expect(units.items.map((u) => u.serial)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(new Set(units.items.map((u) => u.code)).size).toBe(10);
      for (const u of units.items) {
        expect(u.code).toMatch(CODE);
        expect(u.label).toBe(buildSerialLabel(build.code, u.serial));
        expect(u.state).toBe('available');
        expect(u.stagesCompleted).toEqual([1]);
      }
      const unit = await getLot(ctx, units.items[0]!.code);
      expect(unit.part.code).toBe(project.part);
      expect(unit.balances).toEqual([
        { location: expect.objectContaining({ code: line }), status: 'on_hand', quantity: 1 },
      ]);

      // FIFO: the older lot first. 20 resistors = 15 from the first lot + 5 from the second.
      const consumed = await listConsumed(ctx, build.code);
      expect(consumed.map((c) => [c.entryNo, c.lot.code, c.quantity, c.units])).toEqual([
        [1, resistors.lots[0], 15, '1–10'],
        [1, resistors.lots[1], 5, '1–10'],
        [2, caps.lots[0], 4, '1–10'],
        [2, caps.lots[1], 6, '1–10'],
      ]);
      expect((await getPart(ctx, project.parts[0]!)).onHand).toBe(95);
      expect((await getPart(ctx, project.part)).onHand).toBe(10);
      const history = await getLotHistory(ctx, resistors.lots[0]!);
      expect(history.map((h) => h.type)).toEqual(['received', 'consumed']);
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it("keeps the BOM it started with: GET /builds/:code/bom, whatever the project's BOM says later", async () => {
      const project = await makeProject(ctx, [{ perUnit: 2 }, { perUnit: 1 }]);
      await stock(ctx, project.parts[0]!, [100]);
      await stock(ctx, project.parts[1]!, [100]);
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 5,
        location: line,
      });
      const removed = await api.call('DELETE', `/api/v1/projects/${project.code}/bom/entries/1`);
      expect(removed.body.entries.map((e: { part: { code: string } }) => e.part.code)).toEqual([
        project.parts[1],
      ]);
      const res = await api.call('GET', `/api/v1/builds/${build.code}/bom`, undefined, 'viewer');
      expect(res.status).toBe(200);
      expect(
        res.body.entries.map(
          (e: { position: number; part: { code: string }; quantity: number }) => [
            e.position,
            e.part.code,
            e.quantity,
          ],
        ),
      ).toEqual([
        [1, project.parts[0], 2],
        [2, project.parts[1], 1],
      ]);
      expect((await api.call('GET', '/api/v1/builds/00000000000000000000000000/bom')).status).toBe(
        404,
      );
    });

    it('plans with attrition and shortages, and changes nothing', async () => {
      const project = await makeProject(ctx, [
        { perUnit: 2, attritionPpm: 25_000 },
        { perUnit: 3 },
      ]);
      await stock(ctx, project.parts[0]!, [300]);
      await stock(ctx, project.parts[1]!, [100]);
      const before = await rowCounts(ctx.db);
      const plan = await planBuild(ctx, { project: project.code, quantity: 100 });
      expect(plan.ok).toBe(false);
      expect(plan.entries.map((e) => [e.entryNo, e.need, e.short])).toEqual([
        [1, 205, 0],
        [2, 300, 200],
      ]);
      expect(plan.entries[0]!.picks.map((p) => p.quantity)).toEqual([205]);
      expect(plan.shortages).toEqual([
        expect.objectContaining({ entryNo: 2, need: 300, available: 100, short: 200 }),
      ]);
      expect(await rowCounts(ctx.db)).toEqual(before);
    });

    it('a short build changes nothing and says which entries are short by how much', async () => {
      const project = await makeProject(ctx, [{ perUnit: 1 }, { perUnit: 4 }]);
      await stock(ctx, project.parts[0]!, [50]);
      await stock(ctx, project.parts[1]!, [10]);
      const before = await rowCounts(ctx.db);
      const res = await api.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 5,
        location: line,
        run: true,
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('insufficient_stock');
      expect(res.body.error.shortages).toEqual([
        expect.objectContaining({ entryNo: 2, need: 20, short: 10 }),
      ]);
      expect(await rowCounts(ctx.db)).toEqual(before);
      expect((await getPart(ctx, project.parts[0]!)).onHand).toBe(50);
    });

    it('never picks expired, held, rejected or excluded-tag lots automatically; uses substitutes', async () => {
      const substitute = await makePart(ctx, { name: 'substitute' });
      const project = await makeProject(ctx, [{ perUnit: 1, substitutes: [substitute.code] }]);
      const part = project.parts[0]!;
      const expired = await stock(ctx, part, [10]);
      await updateLot(ctx, admin, expired.lots[0]!, { expiry: '2020-01-01' });
      const held = await stock(ctx, part, [10]);
      await changeStockStatus(ctx, admin, { lot: held.lots[0]!, to: 'held' });
      const tagged = await stock(ctx, part, [10]);
      await updateLot(ctx, admin, tagged.lots[0]!, { tags: ['quarantine'] });
      const good = await stock(ctx, part, [3]);
      const sub = await stock(ctx, substitute.code, [10]);
      const plan = await planBuild(ctx, {
        project: project.code,
        quantity: 5,
        excludeTags: ['quarantine'],
      });
      expect(plan.ok).toBe(true);
      expect(plan.entries[0]!.picks.map((p) => [p.lot.code, p.part, p.quantity])).toEqual([
        [good.lots[0], part, 3],
        [sub.lots[0], substitute.code, 2],
      ]);
      // Chosen by hand, the tagged lot may be used.
      const chosen = await planBuild(ctx, {
        project: project.code,
        quantity: 5,
        excludeTags: ['quarantine'],
        lots: [{ entry: 1, lot: tagged.lots[0]! }],
      });
      expect(chosen.entries[0]!.picks.map((p) => [p.lot.code, p.quantity])).toEqual([
        [tagged.lots[0], 5],
      ]);
    });

    it('runs a multi-stage build: units exist at start, stages per unit subset with chosen reels, finish', async () => {
      const project = await makeProject(ctx, [
        { perUnit: 2, stage: 1 },
        { perUnit: 1, stage: 2 },
        { perUnit: 1, stage: 3, dnp: true },
      ]);
      const reels = await stock(ctx, project.parts[0]!, [12, 50]);
      await stock(ctx, project.parts[1]!, [10]);
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 10,
        location: line,
      });
      expect(build.status).toBe('in_progress');
      expect(build.units).toMatchObject({ total: 10, inProduction: 10 });
      expect(build.stages.map((s) => [s.stage, s.placesParts, s.completedUnits])).toEqual([
        [1, true, 0],
        [2, true, 0],
        [3, false, 0],
      ]);
      const units = (await listBuildUnits(ctx, build.code, {})).items;
      const unitLot = await getLot(ctx, units[0]!.code);
      expect(unitLot.balances).toEqual([
        expect.objectContaining({ status: 'in_production', quantity: 1 }),
      ]);

      // Units 1–6 get reel A, 7–10 reel B.
      const first = await completeStage(ctx, admin, build.code, 1, {
        units: [{ from: 1, to: 4 }, 5, units[5]!.code],
        lots: [{ entry: 1, lot: reels.lots[0]! }],
      });
      expect(first).toMatchObject({ units: 6, serials: '1–6' });
      expect(first.consumed.map((c) => [c.lot.code, c.quantity, c.units])).toEqual([
        [reels.lots[0], 12, '1–6'],
      ]);
      const again = await api.call('POST', `/api/v1/builds/${build.code}/stages/1/complete`, {
        units: [units[2]!.code],
      });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/stage 1 is complete already for unit 3/);
      const second = await completeStage(ctx, admin, build.code, 1, {
        lots: [{ entry: 1, lot: reels.lots[1]! }],
      });
      expect(second).toMatchObject({ units: 4, serials: '7–10' });

      const early = await api.call('POST', `/api/v1/builds/${build.code}/finish`, {});
      expect(early.status).toBe(409);
      expect(early.body.error.message).toMatch(/stage 2 for units 1–10/);

      await completeStage(ctx, admin, build.code, 2, {});
      await completeStage(ctx, admin, build.code, 3, {}); // documentation only: consumes nothing
      const finished = await finishBuild(ctx, admin, build.code, {});
      expect(finished.status).toBe('finished');
      expect(finished.units).toMatchObject({ available: 10, inProduction: 0 });
      const consumed = await listConsumed(ctx, build.code);
      expect(consumed.map((c) => [c.stage, c.lot.code, c.units])).toEqual([
        [1, reels.lots[0], '1–6'],
        [1, reels.lots[1], '7–10'],
        [2, expect.any(String), '1–10'],
      ]);
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it('scraps a unit (history kept), finishes incomplete only with a recorded note', async () => {
      const project = await makeProject(ctx, [
        { perUnit: 1, stage: 1 },
        { perUnit: 1, stage: 2 },
      ]);
      await stock(ctx, project.parts[0]!, [10]);
      await stock(ctx, project.parts[1]!, [10]);
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 4,
        location: line,
      });
      await completeStage(ctx, admin, build.code, 1, {});
      const units = (await listBuildUnits(ctx, build.code, {})).items;
      const scrapped = await scrapUnit(ctx, admin, build.code, units[3]!.code, {
        reason: 'cracked',
      });
      expect(scrapped.state).toBe('scrapped');
      expect((await getLot(ctx, units[3]!.code)).quantity).toBe(0);
      expect((await getLotHistory(ctx, units[3]!.code)).map((h) => h.type)).toEqual([
        'produced',
        'scrapped',
        'unit_scrapped',
      ]);
      const scrappedInRange = await api.call(
        'POST',
        `/api/v1/builds/${build.code}/stages/2/complete`,
        { units: [1, { from: 2, to: 4 }] },
      );
      expect(scrappedInRange.status).toBe(409);
      expect(scrappedInRange.body.error).toMatchObject({
        field: 'units.1',
        message: 'units.1: unit 4 is scrapped',
      });
      await completeStage(ctx, admin, build.code, 2, { units: [{ from: 1, to: 2 }] });
      const refused = await api.call('POST', `/api/v1/builds/${build.code}/finish`, {
        allowIncomplete: true,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.error.field).toBe('note');
      const done = await finishBuild(ctx, admin, build.code, {
        allowIncomplete: true,
        note: 'unit 3 reworked later',
      });
      expect(done).toMatchObject({ status: 'finished', finishNote: 'unit 3 reworked later' });
      expect(done.units).toMatchObject({ available: 3, scrapped: 1 });
      // The scrapped unit's consumption stays recorded.
      expect((await listConsumed(ctx, build.code))[0]!.units).toBe('1–4');
      const scrapAfter = await api.call(
        'POST',
        `/api/v1/builds/${build.code}/units/${units[3]!.code}/scrap`,
        { reason: 'x' },
      );
      expect(scrapAfter.status).toBe(409);
    });

    it('keeps the note of every completion with who and when; the timeline tells what happened', async () => {
      const project = await makeProject(ctx, [
        { perUnit: 2, stage: 1 },
        { perUnit: 1, stage: 2, dnp: true },
      ]);
      const reel = await stock(ctx, project.parts[0]!, [20]);
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 3,
        location: line,
        notes: 'pilot run',
      });
      const units = (await listBuildUnits(ctx, build.code, {})).items;
      await completeStage(ctx, admin, build.code, 1, { units: [1, 2], note: 'reflow profile B' });
      await scrapUnit(ctx, admin, build.code, units[2]!.code, { reason: 'dropped' });
      // A documentation-only stage consumes nothing: its note has no ledger entry to ride on.
      const docs = await api.call('POST', `/api/v1/builds/${build.code}/stages/2/complete`, {
        note: 'visual inspection passed, photos attached',
      });
      expect(docs.body).toMatchObject({ units: 2, consumed: [] });
      const finished = await finishBuild(ctx, admin, build.code, { note: 'released to QA' });
      // An optional finish note is kept too.
      expect(finished.finishNote).toBe('released to QA');

      const res = await api.call(
        'GET',
        `/api/v1/builds/${build.code}/timeline`,
        undefined,
        'viewer',
      );
      expect(res.status).toBe(200);
      const items = res.body.items;
      expect(
        items.map((e: { type: string; note: string; actor: string }) => [e.type, e.note, e.actor]),
      ).toEqual([
        ['started', 'pilot run', 'test-admin'],
        ['stage_completed', 'reflow profile B', 'test-admin'],
        ['unit_scrapped', 'dropped', 'test-admin'],
        // Through the API, with the test's key.
        ['stage_completed', 'visual inspection passed, photos attached', 'key:test-admin'],
        ['finished', 'released to QA', 'test-admin'],
      ]);
      expect(items[0]).toMatchObject({ quantity: 3, at: build.createdAt });
      expect(items[1]).toMatchObject({
        stage: 1,
        units: 2,
        serials: '1–2',
        consumed: [
          expect.objectContaining({
            entryNo: 1,
            quantity: 4,
            lot: expect.objectContaining({ code: reel.lots[0] }),
          }),
        ],
      });
      expect(items[2].unit).toEqual({ code: units[2]!.code, label: units[2]!.label });
      expect(items[3]).toMatchObject({ stage: 2, units: 2, serials: '1–2', consumed: [] });
      expect(items[4]).toMatchObject({ incomplete: [], at: finished.finishedAt });

      const other = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 1,
        location: line,
      });
      await cancelBuild(ctx, admin, other.code, { reason: 'wrong revision' });
      const cancelled = await api.call('GET', `/api/v1/builds/${other.code}/timeline`);
      expect(
        cancelled.body.items.map((e: { type: string; note: string }) => [e.type, e.note]),
      ).toEqual([
        ['started', ''],
        ['cancelled', 'wrong revision'],
      ]);
      const unknown = await api.call('GET', `/api/v1/builds/${'0'.repeat(26)}/timeline`);
      expect([unknown.status, unknown.body.error.field]).toEqual([404, 'build']);
    });

    it('counts units whose stock is held or rejected as held or rejected, as unit pages show them', async () => {
      const project = await makeProject(ctx, [{ perUnit: 1 }]);
      await stock(ctx, project.parts[0]!, [7], line);
      const start = (quantity: number, run: boolean) =>
        startBuild(ctx, admin, { project: project.code, quantity, location: line, run });
      const setAside = async (
        build: string,
        serial: number,
        status: StockStatus,
        to: StockStatus,
      ) => {
        const { items } = await listBuildUnits(ctx, build, { limit: 10, offset: 0 });
        await changeStockStatus(ctx, admin, { lot: items[serial - 1]!.code, status, to });
      };
      const finished = await start(4, true);
      await setAside(finished.code, 1, 'on_hand', 'held');
      await setAside(finished.code, 2, 'on_hand', 'rejected');
      const running = await start(3, false);
      await setAside(running.code, 3, 'in_production', 'held');
      const summary = async (code: string) =>
        (await api.call('GET', `/api/v1/builds/${code}`)).body.units;
      expect(await summary(finished.code)).toEqual({
        total: 4,
        inProduction: 0,
        available: 2,
        held: 1,
        rejected: 1,
        installed: 0,
        scrapped: 0,
      });
      expect(await summary(running.code)).toEqual({
        total: 3,
        inProduction: 2,
        available: 0,
        held: 1,
        rejected: 0,
        installed: 0,
        scrapped: 0,
      });
      const listed = await api.call('GET', `/api/v1/builds?project=${project.code}`);
      expect(listed.body.items.map((b: { units: { held: number } }) => b.units.held)).toEqual([
        1, 1,
      ]);
      // Back on hand, the unit is available again.
      await setAside(finished.code, 1, 'held', 'on_hand');
      expect(await summary(finished.code)).toMatchObject({ available: 3, held: 0, rejected: 1 });
    });

    it('cancels a build only while nothing is consumed', async () => {
      const project = await makeProject(ctx, [{ perUnit: 1 }]);
      await stock(ctx, project.parts[0]!, [10]);
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 3,
        location: line,
      });
      const cancelled = await cancelBuild(ctx, admin, build.code, { reason: 'wrong revision' });
      expect(cancelled.status).toBe('cancelled');
      expect((await getPart(ctx, project.part)).onHand).toBe(0);
      const other = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 3,
        location: line,
      });
      await completeStage(ctx, admin, other.code, 1, {});
      const refused = await api.call('POST', `/api/v1/builds/${other.code}/cancel`, {
        reason: 'x',
      });
      expect(refused.status).toBe(409);
      const gone = await api.call('POST', `/api/v1/builds/${cancelled.code}/stages/1/complete`, {});
      expect(gone.status).toBe(409);
    });

    it('builds without serials: one output lot of N, build-scoped consumption', async () => {
      const project = await makeProject(ctx, [{ perUnit: 3 }]);
      await stock(ctx, project.parts[0]!, [100]);
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 7,
        location: line,
        serialized: false,
        run: true,
      });
      expect(build.units.total).toBe(7);
      const outputs = await ctx.db
        .selectFrom('lot')
        .selectAll()
        .where('build_code', '=', build.code)
        .execute();
      expect(outputs).toHaveLength(1);
      expect((await getLot(ctx, outputs[0]!.code)).balances).toEqual([
        expect.objectContaining({ status: 'on_hand', quantity: 7 }),
      ]);
      expect((await listConsumed(ctx, build.code)).map((c) => [c.quantity, c.units])).toEqual([
        [21, 'all'],
      ]);
    });

    it('installs a sub-assembly unit into a unit, once, as the BOM allows; removes it with a reason', async () => {
      const sub = await makeProject(ctx, [{ perUnit: 1 }], 'Power module');
      await stock(ctx, sub.parts[0]!, [10]);
      const subBuild = await startBuild(ctx, admin, {
        project: sub.code,
        quantity: 3,
        location: line,
        run: true,
      });
      const modules = (await listBuildUnits(ctx, subBuild.code, {})).items;
      const top = await makeProject(
        ctx,
        [
          { part: sub.part, perUnit: 1, stage: 2 },
          { perUnit: 1, stage: 1 },
        ],
        'Controller',
      );
      await stock(ctx, top.parts[1]!, [10]);
      const topBuild = await startBuild(ctx, admin, {
        project: top.code,
        quantity: 2,
        location: line,
      });
      const tops = (await listBuildUnits(ctx, topBuild.code, {})).items;

      const installed = await installUnit(ctx, admin, {
        child: modules[0]!.code,
        parent: tops[0]!.code,
      });
      expect(installed).toMatchObject({
        child: modules[0]!.code,
        parent: tops[0]!.code,
        entryNo: 1,
        removedAt: null,
      });
      expect((await getLot(ctx, modules[0]!.code)).quantity).toBe(0);
      const twice = await api.call('POST', '/api/v1/installations', {
        child: modules[0]!.code,
        parent: tops[1]!.code,
      });
      expect(twice.status).toBe(409);
      expect(twice.body.error.message).toMatch(/installed in/);
      const full = await api.call('POST', '/api/v1/installations', {
        child: modules[1]!.code,
        parent: tops[0]!.code,
      });
      expect(full.status).toBe(409);
      expect(full.body.error.field).toBe('parent');
      // A unit whose stock is held (a recall) is held: it goes into nothing until released.
      const hold = (status: string, to: string) =>
        api.call('POST', '/api/v1/stock/status', {
          lot: modules[2]!.code,
          status,
          to,
          note: 'RMA',
        });
      expect((await hold('on_hand', 'held')).status).toBe(200);
      const held = await api.call('POST', '/api/v1/installations', {
        child: modules[2]!.code,
        parent: tops[1]!.code,
      });
      expect([held.status, held.body.error.field]).toEqual([409, 'child']);
      expect(held.body.error.message).toBe(
        `child: unit ${modules[2]!.code.slice(0, 8)} is held: only available units can be installed`,
      );
      expect((await hold('held', 'on_hand')).status).toBe(200);
      const stray = await makeProject(ctx, [{ perUnit: 1 }], 'Stray');
      await stock(ctx, stray.parts[0]!, [1]);
      const strayUnit = (
        await listBuildUnits(
          ctx,
          (
            await startBuild(ctx, admin, {
              project: stray.code,
              quantity: 1,
              location: line,
              run: true,
            })
          ).code,
          {},
        )
      ).items[0]!;
      const offBom = await api.call('POST', '/api/v1/installations', {
        child: strayUnit.code,
        parent: tops[1]!.code,
      });
      expect(offBom.status).toBe(400);
      expect(offBom.body.error.message).toMatch(/not on the BOM/);

      const removed = await uninstallUnit(ctx, admin, {
        child: modules[0]!.code,
        reason: 'rework: cold joint',
      });
      expect(removed).toMatchObject({
        removedReason: 'rework: cold joint',
        removedBy: 'test-admin',
      });
      const back = await getLot(ctx, modules[0]!.code);
      expect(back.balances).toEqual([expect.objectContaining({ status: 'on_hand', quantity: 1 })]);
      expect((await getLotHistory(ctx, modules[0]!.code)).map((h) => h.type)).toContain(
        'uninstalled',
      );
      // Free again: it may go into the other unit.
      expect(
        (await installUnit(ctx, admin, { child: modules[0]!.code, parent: tops[1]!.code })).parent,
      ).toBe(tops[1]!.code);
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it('counts installed units toward their BOM entry: a completion consumes only what is still missing', async () => {
      const probe = await makeProject(ctx, [{ perUnit: 1 }], 'Probe');
      await stock(ctx, probe.parts[0]!, [10]);
      const probeBuild = await startBuild(ctx, admin, {
        project: probe.code,
        quantity: 4,
        location: line,
        run: true,
      });
      const probes = (await listBuildUnits(ctx, probeBuild.code, {})).items;
      const kit = await makeProject(
        ctx,
        [
          { part: probe.part, perUnit: 1, stage: 1 },
          { perUnit: 1, stage: 1 },
        ],
        'Kit',
      );
      const cables = await stock(ctx, kit.parts[1]!, [10]);
      const kitBuild = await startBuild(ctx, admin, {
        project: kit.code,
        quantity: 3,
        location: line,
      });
      const kits = (await listBuildUnits(ctx, kitBuild.code, {})).items;
      await installUnit(ctx, admin, { child: probes[0]!.code, parent: kits[0]!.code });
      await installUnit(ctx, admin, { child: probes[1]!.code, parent: kits[1]!.code });

      // Kits 1 and 2 hold their probe, kit 3 none: one completion cannot record both.
      const before = await rowCounts(ctx.db);
      const mixed = await api.call('POST', `/api/v1/builds/${kitBuild.code}/stages/1/complete`, {});
      expect(mixed.status).toBe(409);
      expect(mixed.body.error).toMatchObject({
        field: 'units',
        message: expect.stringContaining(
          'entry 1 (Probe assembly) is filled in part by installed units (units 1–2 1, unit 3 none)',
        ),
      });
      expect(await rowCounts(ctx.db)).toEqual(before);

      const done = await completeStage(ctx, admin, kitBuild.code, 1, { units: [1, 2] });
      expect(done.consumed.map((c) => [c.entryNo, c.lot.code, c.quantity])).toEqual([
        [2, cables.lots[0], 2],
      ]);
      // The other probes stay on hand and available: nothing took them as loose stock.
      for (const p of probes.slice(2)) expect((await getLot(ctx, p.code)).quantity).toBe(1);
      // Kit 3 holds no probe: a completion would take one as loose stock, so it is refused.
      const before3 = await rowCounts(ctx.db);
      const loose = await api.call('POST', `/api/v1/builds/${kitBuild.code}/stages/1/complete`, {});
      expect(loose.status).toBe(409);
      expect(loose.body.error).toMatchObject({
        field: 'stage',
        message: expect.stringMatching(
          /^stage: entry 1 takes units of a serialized build .*install them/,
        ),
      });
      expect(await rowCounts(ctx.db)).toEqual(before3);
      await installUnit(ctx, admin, { child: probes[2]!.code, parent: kits[2]!.code });
      const third = await completeStage(ctx, admin, kitBuild.code, 1, {});
      expect(third.consumed.map((c) => [c.entryNo, c.quantity])).toEqual([[2, 1]]);
      const kit1 = await traceBackward(ctx, kits[0]!.code);
      expect(kit1.root.children.map((c) => c.code)).toEqual([probes[0]!.code, cables.lots[0]]);
      const states = (await listBuildUnits(ctx, probeBuild.code, {})).items.map((u) => u.state);
      expect(states).toEqual(['installed', 'installed', 'installed', 'available']);
      expect((await getLot(ctx, probes[3]!.code)).quantity).toBe(1);
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it('two builds racing for the last stock: exactly one succeeds, the loser leaves no trace', async () => {
      const project = await makeProject(ctx, [{ perUnit: 1 }]);
      await stock(ctx, project.parts[0]!, [5]);
      const before = await rowCounts(ctx.db);
      const results = await Promise.all(
        [0, 1].map(() =>
          api.call('POST', '/api/v1/builds', {
            project: project.code,
            quantity: 5,
            location: line,
            run: true,
          }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      const after = await rowCounts(ctx.db);
      // The winner: one build, 5 units made finished (5 produced entries), 1 consumed entry.
      expect(after.build - before.build).toBe(1);
      expect(after.lot - before.lot).toBe(5);
      expect(after.consumption - before.consumption).toBe(1);
      expect(after.stock_entry - before.stock_entry).toBe(5 + 1);
      expect((await getPart(ctx, project.parts[0]!)).onHand).toBe(0);
      expect((await checkLedger(ctx)).ok).toBe(true);
    });

    it('a build that fails half way (a lot emptied meanwhile) leaves no trace', async () => {
      const project = await makeProject(ctx, [{ perUnit: 1 }, { perUnit: 1 }]);
      const first = (await stock(ctx, project.parts[0]!, [10])).lots[0]!;
      const second = (await stock(ctx, project.parts[1]!, [10])).lots[0]!;
      // Another writer empties the second lot after the build picked it: a trigger does it
      // inside the build's own transaction, after the picking and before the guarded update.
      await emptyLotMidBuild(ctx, second);
      const before = await rowCounts(ctx.db);
      const failed = await api.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 5,
        location: line,
        run: true,
      });
      await dropEmptyLotTrigger(ctx);
      expect(failed.status).toBe(409);
      expect(failed.body.error.code).toBe('insufficient_stock');
      expect(failed.body.error.message).toContain(second.slice(0, 8));
      expect(await rowCounts(ctx.db)).toEqual(before);
      expect((await getLot(ctx, first)).balances.map((b) => b.quantity)).toEqual([10]);
      expect((await getLot(ctx, second)).balances.map((b) => b.quantity)).toEqual([10]);
      expect((await checkLedger(ctx)).ok).toBe(true);

      // Without the other writer the same build goes through.
      const built = await api.call('POST', '/api/v1/builds', {
        project: project.code,
        quantity: 5,
        location: line,
        run: true,
      });
      expect(built.status).toBe(201);
      expect((await getLot(ctx, second)).balances.map((b) => b.quantity)).toEqual([5]);
    });

    it('10,000 units: distinct codes, serials 1..N without gaps', async () => {
      const project = await makeProject(ctx, [{ perUnit: 1 }]);
      await stock(ctx, project.parts[0]!, [6000, 6000]);
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 10_000,
        location: line,
        run: true,
      });
      const units = await ctx.db
        .selectFrom('lot')
        .select(['code', 'build_serial'])
        .where('build_code', '=', build.code)
        .orderBy('build_serial')
        .execute();
      expect(units).toHaveLength(10_000);
      expect(new Set(units.map((u) => u.code)).size).toBe(10_000);
      expect(units.every((u, i) => u.build_serial === i + 1)).toBe(true);
      expect(units.every((u) => CODE.test(u.code))).toBe(true);
      expect((await listConsumed(ctx, build.code)).map((c) => [c.quantity, c.units])).toEqual([
        [6000, '1–10000'],
        [4000, '1–10000'],
      ]);
    });

    it('rejects bad input naming the field', async () => {
      const project = await makeProject(ctx, [{ perUnit: 1 }]);
      const cases: [string, string, unknown, number, string][] = [
        [
          'POST',
          '/api/v1/builds',
          { project: project.code, quantity: 0, location: line },
          400,
          'quantity',
        ],
        [
          'POST',
          '/api/v1/builds',
          { project: project.code, quantity: 1.5, location: line },
          400,
          'quantity',
        ],
        [
          'POST',
          '/api/v1/builds',
          { project: '00000000000000000000000000', quantity: 1, location: line },
          404,
          'project',
        ],
        [
          'POST',
          '/api/v1/builds',
          { project: project.code, quantity: 1, location: 'nope' },
          400,
          'location',
        ],
        [
          'POST',
          '/api/v1/builds/plan',
          { project: project.code, quantity: 1, lots: [{ entry: 9, lot: line }] },
          400,
          'lots.0.entry',
        ],
      ];
      for (const [method, url, body, status, field] of cases) {
        const res = await api.call(method, url, body);
        expect({ url, status: res.status, field: res.body.error?.field }).toEqual({
          url,
          status,
          field,
        });
      }
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 2,
        location: line,
      });
      const noStage = await api.call('POST', `/api/v1/builds/${build.code}/stages/7/complete`, {});
      expect(noStage.status).toBe(400);
      expect(noStage.body.error.message).toMatch(/no stage 7/);
      const notUnit = await api.call('POST', `/api/v1/builds/${build.code}/stages/1/complete`, {
        units: [3],
      });
      expect(notUnit.status).toBe(400);
      expect(notUnit.body.error).toMatchObject({
        field: 'units.0',
        message: 'units.0: the build has units 1–2',
      });

      const bad = async (units: unknown[]) =>
        (await api.call('POST', `/api/v1/builds/${build.code}/stages/1/complete`, { units })).body
          .error;
      expect(await bad([{ from: 1, to: 3 }])).toMatchObject({ field: 'units.0' });
      expect(await bad([1, '0abcdefghjkmn1abcdefghjkmn'])).toMatchObject({
        field: 'units.1',
        message: "units.1: '0abcdefghjkmn1abcdefghjkmn' is not a unit of the build",
      });
      expect(await bad([{ from: 2, to: 1 }])).toMatchObject({
        field: 'units.0.to',
        message: 'units.0.to: from must not be above to',
      });
      expect(await bad([1, { from: 1, to: 2 }])).toMatchObject({
        field: 'units',
        message: 'units: names a unit twice',
      });
      expect((await getBuild(ctx, build.code)).stages[0]!.completedUnits).toBe(0);
    });
  });
}

/**
 * A trigger that empties `lot` as soon as a build records a completion, after it picked its lots
 * and before it takes their stock: a concurrent removal landing in the middle of a build, on
 * either database.
 */
async function emptyLotMidBuild(ctx: Context, lot: string) {
  const empty = `update stock_balance set quantity = 0 where lot_code = '${lot}'`;
  if (isPostgres(ctx.db)) {
    await sql
      .raw(
        `create function empty_lot() returns trigger language plpgsql as $$ begin ${empty}; return new; end $$`,
      )
      .execute(ctx.db);
    await sql
      .raw(
        'create trigger empty_lot after insert on completion for each row execute function empty_lot()',
      )
      .execute(ctx.db);
  } else {
    await sql
      .raw(`create trigger empty_lot after insert on completion begin ${empty}; end`)
      .execute(ctx.db);
  }
}

async function dropEmptyLotTrigger(ctx: Context) {
  if (isPostgres(ctx.db)) {
    await sql`drop trigger empty_lot on completion`.execute(ctx.db);
    await sql`drop function empty_lot()`.execute(ctx.db);
  } else {
    await sql`drop trigger empty_lot`.execute(ctx.db);
  }
}
