import { describe, expect, it } from 'vitest';
import { finishBuild, scrapUnit, startBuild } from '../src/builds/build.service.js';
import { listBuildUnits } from '../src/builds/build-view.service.js';
import { completeStage } from '../src/builds/stage-completion.service.js';
import { getLot, getLotHistory } from '../src/stock/lot-view.service.js';
import { checkLedger } from '../src/stock/stock.service.js';
import { traceBackward, traceForward } from '../src/trace/trace.service.js';
import type { TraceNode } from '../src/trace/trace.schemas.js';
import { makeProject, stock } from './support/build-factories.js';
import { buildSuite } from './support/api.js';
import { DIALECTS } from './support/databases.js';
import { admin, type TestContext } from './support/factories.js';
import { historyRows } from './support/history.js';
import { rowCounts } from './support/row-counts.js';

/** Every lot code in a backward trace below its root. */
function contents(tree: { root: TraceNode }): string[] {
  const below = (node: TraceNode): string[] => node.children.flatMap((c) => [c.code, ...below(c)]);
  return below(tree.root);
}

/** What a lot holds on hand, wherever it lies. */
async function onHand(context: TestContext, lot: string): Promise<number> {
  return (await getLot(context, lot)).balances
    .filter((b) => b.status === 'on_hand')
    .reduce((n, b) => n + b.quantity, 0);
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: reversing a stage completion`, () => {
    const suite = buildSuite(dialect);

    /**
     * A serialized build of 4 units, two stages (2 × part A in stage 1, 1 × part B in stage 2),
     * with a wrong reel and a right reel of A on different shelves, and a reel of B.
     */
    async function wrongReelBuild() {
      const project = await makeProject(suite.ctx, [{ perUnit: 2 }, { perUnit: 1, stage: 2 }]);
      const wrong = await stock(suite.ctx, project.parts[0]!, [100]);
      const right = await stock(suite.ctx, project.parts[0]!, [100]);
      const b = await stock(suite.ctx, project.parts[1]!, [50]);
      const build = await startBuild(suite.ctx, admin, {
        project: project.code,
        quantity: 4,
        location: suite.line,
      });
      const units = (await listBuildUnits(suite.ctx, build.code, {})).items.map((u) => u.code);
      return {
        project,
        build,
        units,
        wrong: { lot: wrong.lots[0]!, location: wrong.location },
        right: { lot: right.lots[0]!, location: right.location },
        b: b.lots[0]!,
      };
    }

    const complete = (build: string, stage: number, body: object) =>
      suite.api.call('POST', `/api/v1/builds/${build}/stages/${stage}/complete`, body);
    const reverse = (build: string, completion: number, body: object) =>
      suite.api.call('POST', `/api/v1/builds/${build}/completions/${completion}/reverse`, body);

    it('a wrong-reel completion reversed and redone: stock back where it came from, trace and recall corrected, both in the timeline', async () => {
      const g = await wrongReelBuild();
      const first = await complete(g.build.code, 1, {
        units: [{ from: 1, to: 2 }],
        lots: [{ entry: 1, lot: g.wrong.lot }],
        note: 'reel from the left feeder',
      });
      expect(first.status).toBe(200);
      const others = await complete(g.build.code, 1, {
        units: [{ from: 3, to: 4 }],
        lots: [{ entry: 1, lot: g.right.lot }],
      });
      expect(others.status).toBe(200);
      expect(await onHand(suite.ctx, g.wrong.lot)).toBe(96);
      expect((await traceForward(suite.ctx, g.wrong.lot)).items.map((i) => i.code)).toEqual(
        g.units.slice(0, 2),
      );

      suite.ctx.clock.advance(10);
      const reversed = await reverse(g.build.code, first.body.completion, {
        reason: '  wrong reel: 10k instead of 1k  ',
      });
      expect(reversed.status).toBe(200);
      expect(reversed.body).toMatchObject({
        completion: first.body.completion,
        stage: 1,
        units: 2,
        serials: '1–2',
        reason: 'wrong reel: 10k instead of 1k',
        reversedBy: 'key:test-admin',
      });
      expect(reversed.body.returned.map((c: { lot: { code: string } }) => c.lot.code)).toEqual([
        g.wrong.lot,
      ]);
      expect(reversed.body.returned[0].quantity).toBe(4);

      // The stock is back on its own shelf, on hand; the ledger shows the consumption and its
      // reversal, and balances still equal the sum of the ledger.
      const wrong = await getLot(suite.ctx, g.wrong.lot);
      expect(wrong.balances).toEqual([
        {
          location: expect.objectContaining({ code: g.wrong.location }),
          status: 'on_hand',
          quantity: 100,
        },
      ]);
      const history = await getLotHistory(suite.ctx, g.wrong.lot);
      expect(history.map((h) => [h.type, h.source === 'stock' && h.quantity])).toEqual([
        ['received', 100],
        ['consumed', -4],
        ['reversed', 4],
      ]);
      expect(history[2]).toMatchObject({ note: 'wrong reel: 10k instead of 1k' });
      expect(await onHand(suite.ctx, g.right.lot)).toBe(96);
      expect(await checkLedger(suite.ctx)).toMatchObject({ ok: true, mismatches: [] });

      // Units 1–2 miss stage 1 again; 3–4 keep it. The consumption lists what counts.
      const units = await listBuildUnits(suite.ctx, g.build.code, {});
      expect(units.items.map((u) => u.stagesCompleted)).toEqual([[], [], [1], [1]]);
      const build = await suite.api.call('GET', `/api/v1/builds/${g.build.code}`);
      expect(build.body.stages[0]).toMatchObject({ stage: 1, completedUnits: 2 });
      const consumption = await suite.api.call('GET', `/api/v1/builds/${g.build.code}/consumption`);
      expect(consumption.body.items.map((c: { lot: { code: string } }) => c.lot.code)).toEqual([
        g.right.lot,
      ]);
      // Nothing contains the wrong reel any more.
      expect((await traceForward(suite.ctx, g.wrong.lot)).items).toEqual([]);
      expect(contents(await traceBackward(suite.ctx, g.units[0]!))).toEqual([]);

      // Redone with the right reel, as any completion.
      suite.ctx.clock.advance(10);
      const redo = await complete(g.build.code, 1, {
        units: [1, 2],
        lots: [{ entry: 1, lot: g.right.lot }],
        note: 'redone with the right reel',
      });
      expect(redo.status).toBe(200);
      expect(await onHand(suite.ctx, g.right.lot)).toBe(92);
      expect(await onHand(suite.ctx, g.wrong.lot)).toBe(100);
      expect(contents(await traceBackward(suite.ctx, g.units[0]!))).toEqual([g.right.lot]);
      expect(
        (await traceForward(suite.ctx, g.right.lot)).items.map((i) => [i.code, i.scope]).sort(),
      ).toEqual(g.units.map((u) => [u, 'unit']).sort());
      expect((await traceForward(suite.ctx, g.wrong.lot)).items).toEqual([]);
      expect(await checkLedger(suite.ctx)).toMatchObject({ ok: true, mismatches: [] });

      // The timeline shows the original (marked reversed, with why, who and when), the
      // reversal, and the redo.
      const timeline = (await suite.api.call('GET', `/api/v1/builds/${g.build.code}/timeline`)).body
        .items;
      expect(timeline.map((e: { type: string }) => e.type)).toEqual([
        'started',
        'stage_completed',
        'stage_completed',
        'completion_reversed',
        'stage_completed',
      ]);
      expect(timeline[1]).toMatchObject({
        completion: first.body.completion,
        serials: '1–2',
        note: 'reel from the left feeder',
        reversed: {
          at: reversed.body.reversedAt,
          actor: 'key:test-admin',
          reason: 'wrong reel: 10k instead of 1k',
        },
      });
      expect(timeline[1].consumed.map((c: { lot: { code: string } }) => c.lot.code)).toEqual([
        g.wrong.lot,
      ]);
      expect(timeline[2].reversed).toBeNull();
      expect(timeline[3]).toMatchObject({
        completion: first.body.completion,
        stage: 1,
        serials: '1–2',
        units: 2,
        note: 'wrong reel: 10k instead of 1k',
        at: reversed.body.reversedAt,
      });
      expect(timeline[4]).toMatchObject({
        completion: redo.body.completion,
        reversed: null,
        note: 'redone with the right reel',
      });
      const events = await historyRows(suite.ctx.db, g.build.code);
      expect(events.map((e) => e.type)).toEqual([
        'build_started',
        'stage_completed',
        'stage_completed',
        'completion_reversed',
        'stage_completed',
      ]);
      expect(events[3]).toMatchObject({
        actorName: 'key:test-admin',
        data: {
          completion: first.body.completion,
          stage: 1,
          units: 2,
          serials: '1–2',
          reason: 'wrong reel: 10k instead of 1k',
        },
      });
      // The completion row stays, marked.
      const row = await suite.ctx.db
        .selectFrom('completion')
        .selectAll()
        .where('id', '=', first.body.completion)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        reversed_at: reversed.body.reversedAt,
        reversed_by: 'key:test-admin',
        reversal_reason: 'wrong reel: 10k instead of 1k',
      });
    });

    it('refuses a second reversal (409) and a reversal without a reason (400), changing nothing', async () => {
      const g = await wrongReelBuild();
      const done = await complete(g.build.code, 1, { lots: [{ entry: 1, lot: g.wrong.lot }] });
      const before = await rowCounts(suite.ctx.db);
      for (const body of [{}, { reason: '   ' }, { reason: 7 }]) {
        const res = await reverse(g.build.code, done.body.completion, body);
        expect([res.status, res.body.error.field]).toEqual([400, 'reason']);
      }
      const unknown = await reverse(g.build.code, done.body.completion + 1000, { reason: 'x' });
      expect([unknown.status, unknown.body.error.field]).toEqual([404, 'completion']);
      const bad = await reverse(g.build.code, 0, { reason: 'x' });
      expect([bad.status, bad.body.error.field]).toEqual([400, 'id']);
      expect(await rowCounts(suite.ctx.db)).toEqual(before);
      expect(await onHand(suite.ctx, g.wrong.lot)).toBe(92);

      expect(
        (await reverse(g.build.code, done.body.completion, { reason: 'wrong reel' })).status,
      ).toBe(200);
      const after = await rowCounts(suite.ctx.db);
      const again = await reverse(g.build.code, done.body.completion, { reason: 'again' });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ field: 'completion' });
      expect(again.body.error.message).toMatch(/reversed already/);
      expect(await rowCounts(suite.ctx.db)).toEqual(after);
      expect(await onHand(suite.ctx, g.wrong.lot)).toBe(100);
      // A completion of another build is not this build's.
      const other = await wrongReelBuild();
      const res = await reverse(other.build.code, done.body.completion, { reason: 'x' });
      expect(res.status).toBe(404);
    });

    it('a later stage completed for the units is reversed first; a scrapped unit or a finished build refuses it', async () => {
      const g = await wrongReelBuild();
      const stage1 = await complete(g.build.code, 1, { lots: [{ entry: 1, lot: g.wrong.lot }] });
      const stage2 = await complete(g.build.code, 2, { units: [{ from: 3, to: 4 }] });
      const before = await rowCounts(suite.ctx.db);
      const refused = await reverse(g.build.code, stage1.body.completion, { reason: 'wrong' });
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe(
        `completion: stage 2 is completed for units 3–4 (completion ${stage2.body.completion}): reverse that completion first`,
      );
      expect(await rowCounts(suite.ctx.db)).toEqual(before);
      expect(
        (await reverse(g.build.code, stage2.body.completion, { reason: 'order' })).status,
      ).toBe(200);
      expect(await onHand(suite.ctx, g.b)).toBe(50);

      await scrapUnit(suite.ctx, admin, g.build.code, g.units[1]!, { reason: 'dropped' });
      const scrapped = await reverse(g.build.code, stage1.body.completion, { reason: 'wrong' });
      expect(scrapped.status).toBe(409);
      expect(scrapped.body.error.message).toMatch(/unit 2 was scrapped since/);

      const other = await wrongReelBuild();
      const c = await completeStage(suite.ctx, admin, other.build.code, 1, {});
      await completeStage(suite.ctx, admin, other.build.code, 2, {});
      await finishBuild(suite.ctx, admin, other.build.code, {});
      const finished = await reverse(other.build.code, c.completion, { reason: 'too late' });
      expect(finished.status).toBe(409);
      expect(finished.body.error).toMatchObject({ field: 'build' });
      expect(finished.body.error.message).toMatch(/the build is finished/);
    });

    it('reverses a whole-build completion of a build without serials, and redoes it', async () => {
      const project = await makeProject(suite.ctx, [{ perUnit: 3 }]);
      const reels = await stock(suite.ctx, project.parts[0]!, [30, 30]);
      const build = await startBuild(suite.ctx, admin, {
        project: project.code,
        quantity: 5,
        serialized: false,
        location: suite.line,
      });
      const c = await completeStage(suite.ctx, admin, build.code, 1, {
        lots: [{ entry: 1, lot: reels.lots[1]! }],
      });
      const res = await reverse(build.code, c.completion, { reason: 'wrong date code' });
      expect(res.body).toMatchObject({ serials: 'all', units: 5 });
      expect(await onHand(suite.ctx, reels.lots[1]!)).toBe(30);
      const redo = await completeStage(suite.ctx, admin, build.code, 1, {
        lots: [{ entry: 1, lot: reels.lots[0]! }],
      });
      expect(redo.consumed.map((x) => [x.lot.code, x.quantity])).toEqual([[reels.lots[0], 15]]);
      const output = (await traceForward(suite.ctx, reels.lots[0]!)).items.map((i) => i.code);
      expect(output).toHaveLength(1);
      expect((await traceForward(suite.ctx, reels.lots[1]!)).items).toEqual([]);
      expect(contents(await traceBackward(suite.ctx, output[0]!))).toEqual([reels.lots[0]]);
      expect(await checkLedger(suite.ctx)).toMatchObject({ ok: true });
    });
  });
}
