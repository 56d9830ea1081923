import { Command } from 'commander';
import { CompiledQuery, sql, type QueryId, type RootOperationNode } from 'kysely';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { completeStage } from '../src/builds/stage-completion.service.js';
import { finishBuild, startBuild } from '../src/builds/build.service.js';
import { listBuildUnits } from '../src/builds/build-view.service.js';
import { installUnit, uninstallUnit } from '../src/builds/installation.service.js';
import type { BuildUnit } from '../src/builds/build.schemas.js';
import { traceCommands } from '../src/cli/commands/trace.command.js';
import { parseCsv } from '../src/domain/csv.js';
import { createShipment } from '../src/units/shipping.service.js';
import { getLot, getLotHistory } from '../src/stock/lot-view.service.js';
import { checkLedger, receiveStock } from '../src/stock/stock.service.js';
import {
  holdRecall,
  recallBatch,
  recallCsv,
  traceBackward,
  traceForward,
  RECALL_CSV_COLUMNS,
} from '../src/trace/trace.service.js';
import { traceUpward, withTraversalPlan } from '../src/trace/trace.repository.js';
import type { Recall, TraceNode } from '../src/trace/trace.schemas.js';
import { makeProject } from './support/build-factories.js';
import { createTestApi, type TestApi } from './support/api.js';
import { DIALECTS, createTestDatabase, type TestDatabase } from './support/databases.js';
import {
  admin,
  makeLocation,
  makePart,
  testContext,
  type TestContext,
} from './support/factories.js';

/** Receives one lot with supplier fields. */
async function receive(
  ctx: TestContext,
  part: string,
  location: string,
  quantity: number,
  lot: { vendorLot?: string; dateCode?: string; orderRef?: string; expiry?: string } = {},
): Promise<string> {
  const received = await receiveStock(ctx, admin, [{ part, location, quantity, lot }]);
  // Distinct receipt times keep FIFO order deterministic.
  ctx.clock.advance(2);
  return received.lots[0]!.code;
}

/**
 * Supplier lots → 100 module units → 20 board units → 5 product units, made through the
 * services:
 * - modules: stage 1 for units 1–60 from reel A and 61–100 from reel B (resistor, 2 per unit),
 *   caps from one lot for each completion; stage 2 (coating from two lots, FIFO) for all 100
 *   units at once;
 * - harnesses: a non-serialized build of 25 from a wire lot (one output lot);
 * - boards: stage 1 for all 20 units (a resistor lot, the harness lot); modules 55–74 installed
 *   in boards 1–20 (stage 2 is the installation: finished with a note);
 * - products: stage 1 (an enclosure lot) for all 5, boards 1–5 installed; still in production.
 */
async function makeGenealogy(ctx: TestContext, tag: string) {
  const line = (await makeLocation(ctx, { name: `Line ${tag}` })).code;
  const store = (await makeLocation(ctx, { name: `Store ${tag}` })).code;
  const resistor = await makePart(ctx, {
    name: `R 10k ${tag}`,
    mpn: 'RC0603-10K',
    manufacturer: 'Yageo',
  });
  const module = await makeProject(
    ctx,
    [
      { part: resistor.code, perUnit: 2, stage: 1 },
      { perUnit: 1, stage: 1 },
      { perUnit: 1, stage: 2 },
    ],
    `Module ${tag}`,
  );
  const reelA = await receive(ctx, resistor.code, store, 120, {
    vendorLot: 'VA-1',
    dateCode: '2519',
    orderRef: 'PO-7',
    expiry: '2030-01-31',
  });
  const reelB = await receive(ctx, resistor.code, store, 80, {
    vendorLot: 'VB-2',
    dateCode: '2520',
  });
  const caps = await receive(ctx, module.parts[1]!, store, 100, { vendorLot: 'C-9' });
  // FIFO takes the older coating lot's 30 and 70 of this one: each module may hold either.
  const coatingOld = await receive(ctx, module.parts[2]!, store, 30, { vendorLot: 'CT-0' });
  const coating = await receive(ctx, module.parts[2]!, store, 100, { vendorLot: 'CT-1' });
  const moduleBuild = await startBuild(ctx, admin, {
    project: module.code,
    quantity: 100,
    location: line,
  });
  const serials = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => from + i);
  await completeStage(ctx, admin, moduleBuild.code, 1, {
    units: serials(1, 60),
    lots: [{ entry: 1, lot: reelA }],
  });
  await completeStage(ctx, admin, moduleBuild.code, 1, {
    units: serials(61, 100),
    lots: [{ entry: 1, lot: reelB }],
  });
  await completeStage(ctx, admin, moduleBuild.code, 2, {});
  await finishBuild(ctx, admin, moduleBuild.code, {});
  const modules = (await listBuildUnits(ctx, moduleBuild.code, { limit: 1000 })).items;

  const harness = await makeProject(ctx, [{ perUnit: 1 }], `Harness ${tag}`);
  const wire = await receive(ctx, harness.parts[0]!, store, 50, { vendorLot: 'W-3' });
  const harnessBuild = await startBuild(ctx, admin, {
    project: harness.code,
    quantity: 25,
    serialized: false,
    location: store,
    run: true,
  });
  const harnessLot = (
    await ctx.db
      .selectFrom('lot')
      .select('code')
      .where('build_code', '=', harnessBuild.code)
      .executeTakeFirstOrThrow()
  ).code;

  const board = await makeProject(
    ctx,
    [
      { part: module.part, perUnit: 1, stage: 2 },
      { perUnit: 1, stage: 1 },
      { part: harness.part, perUnit: 1, stage: 1 },
    ],
    `Board ${tag}`,
  );
  const boardResistors = await receive(ctx, board.parts[1]!, store, 40, { vendorLot: 'BR-1' });
  const boardBuild = await startBuild(ctx, admin, {
    project: board.code,
    quantity: 20,
    location: line,
  });
  await completeStage(ctx, admin, boardBuild.code, 1, { lots: [{ entry: 3, lot: harnessLot }] });
  const boards = (await listBuildUnits(ctx, boardBuild.code, {})).items;
  for (let i = 0; i < 20; i++) {
    await installUnit(ctx, admin, { child: modules[54 + i]!.code, parent: boards[i]!.code });
  }
  await finishBuild(ctx, admin, boardBuild.code, {
    allowIncomplete: true,
    note: 'stage 2 is the module installation',
  });

  const product = await makeProject(
    ctx,
    [
      { part: board.part, perUnit: 1, stage: 2 },
      { perUnit: 1, stage: 1 },
    ],
    `Product ${tag}`,
  );
  const enclosures = await receive(ctx, product.parts[1]!, store, 10, { vendorLot: 'E-5' });
  const productBuild = await startBuild(ctx, admin, {
    project: product.code,
    quantity: 5,
    location: line,
  });
  await completeStage(ctx, admin, productBuild.code, 1, {});
  const products = (await listBuildUnits(ctx, productBuild.code, {})).items;
  for (let i = 0; i < 5; i++) {
    await installUnit(ctx, admin, { child: boards[i]!.code, parent: products[i]!.code });
  }
  return {
    line,
    store,
    resistor,
    lots: { reelA, reelB, caps, coatingOld, coating, wire, harnessLot, boardResistors, enclosures },
    builds: {
      module: moduleBuild,
      harness: harnessBuild,
      board: boardBuild,
      product: productBuild,
    },
    modules,
    boards,
    products,
  };
}

type Genealogy = Awaited<ReturnType<typeof makeGenealogy>>;

const codes = (units: BuildUnit[]) => units.map((u) => u.code);
const itemCodes = (recall: Recall, level?: number) =>
  recall.items.filter((i) => level === undefined || i.level === level).map((i) => i.code);

for (const dialect of DIALECTS) {
  describe(`${dialect}: trace and recall`, () => {
    let api: TestApi;
    let ctx: TestContext;
    let g: Genealogy;
    beforeAll(async () => {
      api = await createTestApi(dialect);
      ctx = api.ctx;
      g = await makeGenealogy(ctx, dialect);
    }, 120_000);
    afterAll(() => api.close());

    it('recalls reel A: exactly module units 1–60, the boards holding 55–60, the products holding those boards', async () => {
      const recall = await traceForward(ctx, g.lots.reelA);
      expect(recall.sources).toEqual([
        expect.objectContaining({
          code: g.lots.reelA,
          vendorLot: 'VA-1',
          dateCode: '2519',
          stock: [],
        }),
      ]);
      expect(itemCodes(recall, 1)).toEqual(codes(g.modules.slice(0, 60)));
      expect(itemCodes(recall, 2)).toEqual(codes(g.boards.slice(0, 6)));
      expect(itemCodes(recall, 3)).toEqual(codes(g.products.slice(0, 5)));
      expect(recall.items).toHaveLength(71);
      expect(recall.items.every((i) => i.scope === 'unit' && i.kind === 'unit')).toBe(true);
      expect(recall.buildScoped).toEqual([]);
      expect(recall.counts).toEqual({
        total: 71,
        units: 71,
        lots: 0,
        unitScoped: 71,
        buildScoped: 0,
        byLevel: [
          { level: 1, units: 60, lots: 0 },
          { level: 2, units: 6, lots: 0 },
          { level: 3, units: 5, lots: 0 },
        ],
        byState: [
          { state: 'available', count: 55 },
          { state: 'installed', count: 11 },
          { state: 'in_production', count: 5 },
        ],
      });

      const module55 = recall.items.find((i) => i.code === g.modules[54]!.code)!;
      expect(module55).toMatchObject({
        kind: 'unit',
        serial: 55,
        label: g.modules[54]!.label,
        level: 1,
        via: 'consumed',
        path: [g.lots.reelA],
        status: {
          state: 'installed',
          installedIn: { code: g.boards[0]!.code, label: g.boards[0]!.label },
          stock: [],
        },
      });
      const module1 = recall.items.find((i) => i.code === g.modules[0]!.code)!;
      expect(module1.status).toEqual({
        state: 'available',
        installedIn: null,
        shipment: null,
        stock: [
          { status: 'on_hand', location: { code: g.line, name: `Line ${dialect}` }, quantity: 1 },
        ],
      });
      const product1 = recall.items.find((i) => i.code === g.products[0]!.code)!;
      expect(product1).toMatchObject({
        level: 3,
        via: 'installed',
        path: [g.lots.reelA, g.modules[54]!.code, g.boards[0]!.code],
        status: {
          state: 'in_production',
          installedIn: null,
          stock: [{ status: 'in_production', location: { code: g.line }, quantity: 1 }],
        },
      });
      // Board 6 holds module 60; it is in no product.
      expect(recall.items.find((i) => i.code === g.boards[5]!.code)!.status).toMatchObject({
        state: 'available',
        installedIn: null,
      });
    });

    it('recalls reel B: modules 61–100, boards 7–20, no product', async () => {
      const recall = await traceForward(ctx, g.lots.reelB);
      expect(itemCodes(recall, 1)).toEqual(codes(g.modules.slice(60)));
      expect(itemCodes(recall, 2)).toEqual(codes(g.boards.slice(6)));
      expect(itemCodes(recall, 3)).toEqual([]);
    });

    it('recalls a unit: the board it is installed in and the product holding that board', async () => {
      // Module 55 is installed in board 1, and board 1 in product 1.
      const recall = await traceForward(ctx, g.modules[54]!.code);
      expect(recall.items.map((i) => [i.level, i.code, i.via, i.scope, i.path])).toEqual([
        [1, g.boards[0]!.code, 'installed', 'unit', [g.modules[54]!.code]],
        [2, g.products[0]!.code, 'installed', 'unit', [g.modules[54]!.code, g.boards[0]!.code]],
      ]);
      expect(recall.items[0]!.status.installedIn?.code).toBe(g.products[0]!.code);
      expect(recall.items[1]!.status.installedIn).toBeNull();
      expect(recall.counts.byLevel).toEqual([
        { level: 1, units: 1, lots: 0 },
        { level: 2, units: 1, lots: 0 },
      ]);
    });

    it.runIf(dialect === 'postgres')(
      'on PostgreSQL, a recall finds lots and balances through their hash indexes',
      async () => {
        // The recursion probes these once per lot it reaches (migration 0031). Which index the
        // planner takes for each probe depends on the table sizes, which are tiny here.
        const statements: RootOperationNode[] = [];
        const watched = ctx.db.withPlugin({
          transformQuery: ({ node }) => {
            statements.push(node);
            return node;
          },
          transformResult: async ({ result }) => result,
        });
        await sql`analyze lot, installation, stock_balance`.execute(ctx.db);
        const indexes = await withTraversalPlan(watched, async (trx) => {
          await traceUpward(trx, [g.lots.reelA]);
          const query = trx
            .getExecutor()
            .compileQuery(statements.at(-1)!, { queryId: 'recall' } as QueryId);
          const { rows } = await trx.executeQuery<{ 'QUERY PLAN': unknown }>(
            CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]),
          );
          return JSON.stringify(rows[0]!['QUERY PLAN']).match(/(?<="Index Name":")[a-z_]+/g);
        });
        expect(indexes).toContain('lot_code_hash');
        expect(indexes).toContain('stock_balance_lot_hash');
      },
    );

    it('a build-scoped lot (coating for all 100 modules at once) includes every unit and says so', async () => {
      const recall = await traceForward(ctx, g.lots.coating);
      expect(itemCodes(recall, 1)).toEqual(codes(g.modules));
      expect(itemCodes(recall, 2)).toEqual(codes(g.boards));
      expect(itemCodes(recall, 3)).toEqual(codes(g.products));
      expect(recall.items.every((i) => i.scope === 'build')).toBe(true);
      expect(recall.counts).toMatchObject({ total: 125, unitScoped: 0, buildScoped: 125 });
      expect(recall.buildScoped).toEqual([
        {
          build: { code: g.builds.module.code, shortCode: g.builds.module.shortCode },
          completion: expect.any(Number),
          stage: 2,
          lot: g.lots.coating,
          units: 100,
        },
      ]);
    });

    it('recalls through a non-serialized sub-assembly lot; whole-build completions that took one lot per entry are exact', async () => {
      const recall = await traceForward(ctx, g.lots.wire);
      expect(recall.items[0]).toMatchObject({
        code: g.lots.harnessLot,
        kind: 'lot',
        level: 1,
        via: 'consumed',
        scope: 'unit',
        serial: null,
        label: null,
        build: { code: g.builds.harness.code },
        status: {
          state: 'in_stock',
          stock: [expect.objectContaining({ status: 'on_hand', quantity: 5 })],
        },
      });
      expect(itemCodes(recall, 2)).toEqual(codes(g.boards));
      expect(itemCodes(recall, 3)).toEqual(codes(g.products));
      // The harness build took wire from this lot alone, the boards took harnesses from one lot,
      // each for the whole build: every harness and every board certainly contains the wire.
      expect(recall.items.every((i) => i.scope === 'unit')).toBe(true);
      expect(recall.buildScoped).toEqual([]);
      // So are the enclosures of all five products (one lot for the whole build).
      const enclosures = await traceForward(ctx, g.lots.enclosures);
      expect(enclosures.items.map((i) => [i.code, i.scope])).toEqual(
        g.products.map((p) => [p.code, 'unit']),
      );
      expect(enclosures.counts).toMatchObject({ total: 5, unitScoped: 5, buildScoped: 0 });
    });

    it('a completion that took two lots for an entry, even for named units, says each unit may contain either', async () => {
      const split = await makeProject(ctx, [{ perUnit: 2 }], `Split ${dialect}`);
      const older = await receive(ctx, split.parts[0]!, g.store, 3);
      const newer = await receive(ctx, split.parts[0]!, g.store, 10);
      const build = await startBuild(ctx, admin, {
        project: split.code,
        quantity: 4,
        location: g.line,
      });
      // Units 1–2 need 4: FIFO takes 3 of the older lot and 1 of the newer; units 3–4 the newer alone.
      await completeStage(ctx, admin, build.code, 1, { units: [1, 2] });
      await completeStage(ctx, admin, build.code, 1, {});
      const units = (await listBuildUnits(ctx, build.code, {})).items;
      const fromOlder = await traceForward(ctx, older);
      expect(fromOlder.items.map((i) => [i.label, i.scope])).toEqual([
        [units[0]!.label, 'build'],
        [units[1]!.label, 'build'],
      ]);
      expect(fromOlder.buildScoped).toEqual([
        expect.objectContaining({ lot: older, stage: 1, units: 2 }),
      ]);
      const fromNewer = await traceForward(ctx, newer);
      expect(fromNewer.items.map((i) => [i.label, i.scope])).toEqual([
        [units[0]!.label, 'build'],
        [units[1]!.label, 'build'],
        [units[2]!.label, 'unit'],
        [units[3]!.label, 'unit'],
      ]);
    });

    it('a lot that went nowhere: an empty recall, 200', async () => {
      const spare = await receive(ctx, g.resistor.code, g.store, 7, { vendorLot: 'SPARE' });
      const res = await api.call('GET', `/api/v1/recall/${spare}`);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
      expect(res.body.buildScoped).toEqual([]);
      expect(res.body.counts).toEqual({
        total: 0,
        units: 0,
        lots: 0,
        unitScoped: 0,
        buildScoped: 0,
        byLevel: [],
        byState: [],
      });
      expect(res.body.sources[0]).toMatchObject({
        code: spare,
        stock: [{ status: 'on_hand', location: { code: g.store }, quantity: 7 }],
      });
    });

    it('unknown codes answer 404; a prefix resolves; a build is not a lot', async () => {
      const unknown = '0000000000000' + '0000000000000';
      for (const url of [
        `/api/v1/recall/${unknown}`,
        `/api/v1/trace/${unknown}`,
        `/api/v1/recall/${unknown}/csv`,
      ]) {
        const res = await api.call('GET', url);
        expect(res.status).toBe(404);
        expect(res.body.error).toMatchObject({ code: 'not_found', field: 'code' });
      }
      const held = await api.call('POST', `/api/v1/recall/${unknown}/hold`, { note: 'x' });
      expect(held.status).toBe(404);
      const bad = await api.call('GET', '/api/v1/trace/not-a-code!');
      expect(bad.status).toBe(400);
      const build = await api.call('GET', `/api/v1/trace/${g.builds.module.code}`);
      expect(build.status).toBe(400);
      expect(build.body.error.message).toMatch(/is a build, not a lot or unit/);
      const byPrefix = await api.call(
        'GET',
        `/api/v1/trace/${g.products[0]!.shortCode.toUpperCase()}`,
      );
      expect(byPrefix.status).toBe(200);
      expect(byPrefix.body.root.code).toBe(g.products[0]!.code);
    });

    it('traces a product back to supplier lots: installed units, consumed lots per stage and entry, scopes', async () => {
      const res = await api.call('GET', `/api/v1/trace/${g.products[0]!.code}`);
      expect(res.status).toBe(200);
      const root: TraceNode = res.body.root;
      expect(res.body.installedIn).toBeNull();
      expect(root).toMatchObject({
        code: g.products[0]!.code,
        kind: 'unit',
        serial: 1,
        label: g.products[0]!.label,
        unitState: 'in_production',
        build: { code: g.builds.product.code, shortCode: g.builds.product.shortCode },
        via: null,
      });
      const summary = (n: TraceNode): unknown => ({
        code: n.code,
        via:
          n.via &&
          (n.via.type === 'installed'
            ? ['installed', n.via.entryNo]
            : ['consumed', n.via.stage, n.via.entryNo, n.via.quantity, n.via.scope, n.via.units]),
        children: n.children.map(summary),
      });
      expect(summary(root)).toEqual({
        code: g.products[0]!.code,
        via: null,
        children: [
          {
            code: g.boards[0]!.code,
            via: ['installed', 1],
            children: [
              {
                code: g.modules[54]!.code,
                via: ['installed', 1],
                children: [
                  {
                    code: g.lots.reelA,
                    via: ['consumed', 1, 1, 120, 'unit', '1–60'],
                    children: [],
                  },
                  { code: g.lots.caps, via: ['consumed', 1, 2, 60, 'unit', '1–60'], children: [] },
                  // Two lots for one entry of a whole-build completion: each may be in it.
                  ...[
                    {
                      code: g.lots.coatingOld,
                      via: ['consumed', 2, 3, 30, 'build', '1–100'],
                      children: [],
                    },
                    {
                      code: g.lots.coating,
                      via: ['consumed', 2, 3, 70, 'build', '1–100'],
                      children: [],
                    },
                  ].sort((a, b) => (a.code < b.code ? -1 : 1)),
                ],
              },
              {
                code: g.lots.boardResistors,
                via: ['consumed', 1, 2, 20, 'unit', '1–20'],
                children: [],
              },
              {
                code: g.lots.harnessLot,
                via: ['consumed', 1, 3, 20, 'unit', '1–20'],
                children: [
                  { code: g.lots.wire, via: ['consumed', 1, 1, 25, 'unit', 'all'], children: [] },
                ],
              },
            ],
          },
          { code: g.lots.enclosures, via: ['consumed', 1, 2, 5, 'unit', '1–5'], children: [] },
        ],
      });
      const reel = root.children[0]!.children[0]!.children[0]!;
      expect(reel).toMatchObject({
        kind: 'lot',
        build: null,
        vendorLot: 'VA-1',
        dateCode: '2519',
        orderRef: 'PO-7',
        expiry: '2030-01-31',
        part: { code: g.resistor.code, mpn: 'RC0603-10K', manufacturer: 'Yageo', unit: 'pcs' },
        via: {
          type: 'consumed',
          build: { code: g.builds.module.code },
          completedAt: expect.any(String),
        },
      });
      expect(res.body.counts).toEqual({
        nodes: 11,
        units: 3,
        lots: 8,
        supplierLots: 7,
        depth: 3,
        buildScoped: 2,
      });
    });

    it('a supplier lot traces to itself alone', async () => {
      const tree = await traceBackward(ctx, g.lots.reelB);
      expect(tree.root).toMatchObject({
        code: g.lots.reelB,
        kind: 'lot',
        via: null,
        children: [],
        removed: [],
      });
      expect(tree.counts).toMatchObject({ nodes: 1, depth: 0, supplierLots: 1 });
    });

    it('exports CSV: a download with one line per item', async () => {
      const res = await api.call('GET', `/api/v1/recall/${g.lots.reelA}/csv`);
      const app = await api.app.inject({
        method: 'GET',
        url: `/api/v1/recall/${g.lots.reelA}?format=csv`,
        headers: { authorization: `Bearer ${api.keys.viewer}` },
      });
      expect(app.statusCode).toBe(200);
      expect(app.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(app.headers['content-disposition']).toMatch(
        /^attachment; filename="recall-[0-9a-z]{8}\.csv"$/,
      );
      expect(app.body).toBe(res.body);
      const rows = parseCsv(res.body);
      // The header is the service's column list, in order (its values are checked below).
      expect(rows[0]).toEqual([...RECALL_CSV_COLUMNS]);
      expect(rows).toHaveLength(72);
      const product = rows.find((r) => r[2] === g.products[0]!.code)!;
      expect(product).toEqual([
        '3',
        'unit',
        g.products[0]!.code,
        g.products[0]!.shortCode,
        g.products[0]!.label,
        `Product ${dialect} assembly`,
        '',
        'in_production',
        '',
        'in_production',
        '1',
        `Line ${dialect}`,
        '',
        'unit',
        'installed',
        [g.lots.reelA, g.modules[54]!.code, g.boards[0]!.code]
          .map((c) => c.slice(0, 8))
          .join(' > '),
      ]);
      expect(rows.find((r) => r[2] === g.modules[54]!.code)![8]).toBe(g.boards[0]!.code);
    });

    it('recalls every lot of a part with a date code', async () => {
      const recall = await recallBatch(ctx, { part: g.resistor.code, dateCode: '2519' });
      expect(recall.sources.map((s) => s.code)).toEqual([g.lots.reelA]);
      expect(recall.items).toHaveLength(71);
      const both = await api.call('GET', `/api/v1/recall?part=${g.resistor.code}&vendorLot=VB-2`);
      expect(both.status).toBe(200);
      expect(both.body.items).toHaveLength(40 + 14);
      const none = await api.call('GET', `/api/v1/recall?part=${g.resistor.code}`);
      expect(none.status).toBe(400);
    });

    it('an uninstalled unit no longer counts; the removal shows as history in the trace', async () => {
      await uninstallUnit(ctx, admin, {
        child: g.modules[59]!.code,
        reason: 'rework: cracked part',
      });
      const recall = await traceForward(ctx, g.lots.reelA);
      expect(itemCodes(recall, 2)).toEqual(codes(g.boards.slice(0, 5)));
      expect(recall.items.find((i) => i.code === g.modules[59]!.code)!.status).toMatchObject({
        state: 'available',
        installedIn: null,
        stock: [{ status: 'on_hand', location: { code: g.line }, quantity: 1 }],
      });
      expect((await traceBackward(ctx, g.modules[58]!.code)).installedIn).toEqual({
        code: g.boards[4]!.code,
        shortCode: g.boards[4]!.code.slice(0, 8),
        label: g.boards[4]!.label,
      });
      expect((await traceBackward(ctx, g.modules[59]!.code)).installedIn).toBeNull();
      const board6 = await traceBackward(ctx, g.boards[5]!.code);
      expect(board6.root.children.map((c) => c.code)).toEqual([
        g.lots.boardResistors,
        g.lots.harnessLot,
      ]);
      expect(board6.root.removed).toEqual([
        expect.objectContaining({
          code: g.modules[59]!.code,
          label: g.modules[59]!.label,
          entryNo: 1,
          reason: 'rework: cracked part',
          removedBy: 'test-admin',
        }),
      ]);
    });

    it('says which shipment a recalled unit is out in', async () => {
      const project = await makeProject(ctx, [{ perUnit: 1 }], `Shipped ${dialect}`);
      const reel = (
        await receiveStock(ctx, admin, [
          { part: project.parts[0]!, location: g.line, quantity: 10, lot: { vendorLot: 'VS-1' } },
        ])
      ).lots[0]!.code;
      const build = await startBuild(ctx, admin, {
        project: project.code,
        quantity: 3,
        location: g.line,
        run: true,
        lots: [{ entry: 1, lot: reel }],
      });
      const units = (await listBuildUnits(ctx, build.code, {})).items;
      const shipment = await createShipment(ctx, admin, {
        customer: 'ACME Corp',
        reference: 'PO-77',
        units: [units[1]!.code],
      });
      const recall = await traceForward(ctx, reel);
      expect(recall.items.map((i) => [i.serial, i.status.state, i.status.shipment])).toEqual([
        [1, 'available', null],
        [
          2,
          'shipped',
          {
            code: shipment.code,
            shortCode: shipment.code.slice(0, 8),
            customer: 'ACME Corp',
            reference: 'PO-77',
            date: shipment.date,
          },
        ],
        [3, 'available', null],
      ]);
      const csv = parseCsv(recallCsv(recall));
      const column = csv[0]!.indexOf('shipped_to');
      expect(csv.slice(1).map((row) => row[column])).toEqual([
        '',
        `ACME Corp PO-77 ${shipment.date}`,
        '',
      ]);
    });

    it('holds all matching stock through the ledger, once', async () => {
      const viewer = await api.call(
        'POST',
        `/api/v1/recall/${g.lots.reelA}/hold`,
        { note: 'x' },
        'viewer',
      );
      expect(viewer.status).toBe(403);
      const noNote = await api.call('POST', `/api/v1/recall/${g.lots.reelA}/hold`, {});
      expect(noNote.status).toBe(400);

      const res = await api.call('POST', `/api/v1/recall/${g.lots.reelA}/hold`, {
        note: 'recall R-2025-01: reel VA-1',
      });
      expect(res.status).toBe(200);
      // Products 1–5 (in production), module 60 (on hand since it was removed); modules 1–54 lie
      // on hand too; reel A itself is used up; installed units hold no stock of their own.
      expect(res.body).toEqual({
        operation: expect.any(String),
        lots: 60,
        balances: 60,
        byStatus: [
          { status: 'on_hand', balances: 55, quantity: 55 },
          { status: 'in_production', balances: 5, quantity: 5 },
        ],
      });
      const product = await getLot(ctx, g.products[0]!.code);
      expect(product.balances).toEqual([
        { location: expect.objectContaining({ code: g.line }), status: 'held', quantity: 1 },
      ]);
      const history = await getLotHistory(ctx, g.products[0]!.code);
      expect(history.slice(-2)).toEqual([
        expect.objectContaining({
          type: 'status_changed',
          status: 'in_production',
          quantity: -1,
          note: 'recall R-2025-01: reel VA-1',
        }),
        expect.objectContaining({ type: 'status_changed', status: 'held', quantity: 1 }),
      ]);
      const entries = await ctx.db
        .selectFrom('stock_entry')
        .select(['operation', 'ref_code'])
        .where('operation', '=', res.body.operation)
        .execute();
      expect(entries).toHaveLength(120);
      expect(new Set(entries.map((e) => e.ref_code))).toEqual(new Set([g.lots.reelA]));
      expect((await checkLedger(ctx)).ok).toBe(true);
      // Reel B's units are untouched.
      expect((await getLot(ctx, g.modules[99]!.code)).balances[0]!.status).toBe('on_hand');

      const again = await holdRecall(ctx, admin, g.lots.reelA, { note: 'again' });
      expect(again).toEqual({ operation: null, lots: 0, balances: 0, byStatus: [] });
      const recall = await traceForward(ctx, g.lots.reelA);
      expect(recall.items.find((i) => i.code === g.products[0]!.code)!.status.stock).toEqual([
        { status: 'held', location: { code: g.line, name: `Line ${dialect}` }, quantity: 1 },
      ]);
      expect(recallCsv(recall)).toContain(',held,1,');
    });
  });

  describe(`${dialect}: tracelot trace and recall`, () => {
    let database: TestDatabase;
    let dir: string;
    let g: Genealogy;
    let flags: string[];
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tracelot-trace-'));
      database = await createTestDatabase(dialect, path.join(dir, 'tracelot.db'));
      g = await makeGenealogy(testContext(database.db), `${dialect} cli`);
      flags =
        dialect === 'sqlite'
          ? ['--data', dir]
          : [
              '--database',
              `${database.url}?options=${encodeURIComponent(`-c search_path=${database.schema}`)}`,
            ];
    }, 120_000);
    afterAll(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Runs the commands in-process and answers what they printed. */
    async function run(...args: string[]): Promise<string> {
      const lines: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...values: unknown[]) => {
        lines.push(values.join(' '));
      });
      const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
        lines.push(String(chunk).replace(/\n$/, ''));
        return true;
      });
      try {
        const program = new Command().exitOverride();
        traceCommands(program);
        await program.parseAsync(['node', 'tracelot', ...args, ...flags]);
      } finally {
        log.mockRestore();
        write.mockRestore();
      }
      return lines.join('\n');
    }

    it('prints the tree of a unit', async () => {
      const out = await run('trace', g.products[0]!.shortCode);
      const lines = out.split('\n');
      expect(lines[0]).toContain(g.products[0]!.label);
      expect(out).toContain(`├─ installed (entry 1) ${g.boards[0]!.shortCode}`);
      expect(out).toMatch(
        new RegExp(
          `consumed stage 1 entry 1: ${g.lots.reelA.slice(0, 8)} .*R 10k.*RC0603-10K.*vendor lot VA-1.*date code 2519.*order PO-7.*expires 2030-01-31.*120 pcs for units 1–60`,
        ),
      );
      expect(out).toContain('build-scoped');
      const json = JSON.parse(await run('trace', g.products[0]!.code, '--json'));
      expect(json.root.children[0].code).toBe(g.boards[0]!.code);
      expect(out).not.toContain('Installed in');
      const board = await run('trace', g.boards[0]!.code);
      expect(board).toContain(`Installed in ${g.products[0]!.label} (${g.products[0]!.code})`);
    });

    it('prints a recall with counts, as CSV, and holds its stock', async () => {
      const table = await run('recall', g.lots.reelA);
      expect(table).toContain('71 units and lots may contain');
      expect(table).toContain(g.modules[0]!.label);
      expect(table).toMatch(/level 1: 60 units/);
      const csv = await run('recall', g.lots.reelA, '--csv');
      expect(parseCsv(csv)).toHaveLength(72);
      const json = JSON.parse(await run('recall', g.lots.reelA, '--json'));
      expect(json.counts.total).toBe(71);
      const held = await run('recall', 'hold', g.lots.reelA, '--note', 'cli hold');
      expect(held).toMatch(/held 60 balances of 60 lots \(on_hand 55, in_production 5\)/);
    });
  });
}
