import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import { BomEntry } from '../projects/project.schemas.js';
import {
  Build,
  BuildCreate,
  BuildEntryChange,
  BuildPage,
  BuildPlan,
  BuildPlanRequest,
  BuildQuery,
  BuildUnit,
  CancelRequest,
  CompleteStage,
  CompletionResult,
  CompletionReversal,
  Consumed,
  FinishRequest,
  InstallRequest,
  Installation,
  ReverseRequest,
  ScrapRequest,
  Timeline,
  UninstallRequest,
  UnitPage,
  UnitQuery,
} from './build.schemas.js';
import { cancelBuild, finishBuild, scrapUnit, startBuild } from './build.service.js';
import { completeStage } from './stage-completion.service.js';
import { reverseCompletion } from './completion-reversal.service.js';
import { changeBuildEntry } from './build-bom.service.js';
import {
  getBuild,
  getBuildTimeline,
  listBuildUnits,
  listBuilds,
  listBuildBom,
  listConsumed,
  planBuild,
} from './build-view.service.js';
import { getBuildTestSummary } from './build-tests.service.js';
import { BuildTestSummary } from '../test-results/test-result.schemas.js';
import { installUnit, uninstallUnit } from './installation.service.js';
import { getPickList, pickListCsv } from './pick-list.service.js';
import { renderPickListPdf } from './pick-list-pdf.js';
import { PickList, PickListQuery } from './pick-list.schemas.js';
import { contentDisposition } from '../domain/media-type.js';

export const buildRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['builds'];
  app.post(
    '/builds/plan',
    {
      // A plan changes nothing: viewers may ask for one.
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'What a build would use, and what is short (changes nothing)',
        body: BuildPlanRequest,
        response: { 200: BuildPlan },
      },
    },
    (req) => planBuild(ctx, req.body),
  );
  app.post(
    '/builds',
    {
      schema: {
        tags,
        summary: 'Start a build (with run: complete and finish it at once)',
        body: BuildCreate,
        response: { 201: Build },
      },
    },
    async (req, reply) => reply.code(201).send(await startBuild(ctx, req.actor, req.body)),
  );
  app.get(
    '/builds',
    {
      schema: {
        tags,
        summary: 'List builds, newest first',
        querystring: BuildQuery,
        response: { 200: BuildPage },
      },
    },
    (req) => listBuilds(ctx, req.query),
  );
  app.get(
    '/builds/:code',
    {
      schema: {
        tags,
        summary: 'A build with its stage progress',
        params: CodeParams,
        response: { 200: Build },
      },
    },
    (req) => getBuild(ctx, req.params.code),
  );
  app.get(
    '/builds/:code/units',
    {
      schema: {
        tags,
        summary: "The build's units in serial order",
        params: CodeParams,
        querystring: UnitQuery,
        response: { 200: UnitPage },
      },
    },
    (req) => listBuildUnits(ctx, req.params.code, req.query),
  );
  app.get(
    '/builds/:code/bom',
    {
      schema: {
        tags,
        summary:
          "The BOM as the build took it when it started (the project's may have changed since)",
        params: CodeParams,
        response: { 200: z.object({ entries: z.array(BomEntry) }) },
      },
    },
    async (req) => ({ entries: await listBuildBom(ctx, req.params.code) }),
  );
  app.get(
    '/builds/:code/consumption',
    {
      schema: {
        tags,
        summary: 'Every lot the build consumed, for which units',
        params: CodeParams,
        response: { 200: z.object({ items: z.array(Consumed) }) },
      },
    },
    async (req) => ({ items: await listConsumed(ctx, req.params.code) }),
  );
  app.get(
    '/builds/:code/timeline',
    {
      schema: {
        tags,
        summary:
          'What happened to the build, oldest first: start, completions (units, lots, note), scraps, finish or cancel',
        params: CodeParams,
        response: { 200: Timeline },
      },
    },
    async (req) => ({ items: await getBuildTimeline(ctx, req.params.code) }),
  );
  app.get(
    '/builds/:code/pick-list',
    {
      schema: {
        tags,
        summary:
          'The lots to take for the units still missing a stage (or every stage), grouped by location: JSON, CSV or PDF',
        description:
          "The completion's own picking (the build's rule, lots chosen by hand in `lots`), read now; changes nothing. format=csv answers text/csv, format=pdf application/pdf.",
        params: CodeParams,
        querystring: PickListQuery,
        response: { 200: PickList },
      },
    },
    async (req, reply) => {
      const list = await getPickList(ctx, req.params.code, req.query);
      if (req.query.format === 'json') return list;
      return sendPickList(reply, list, req.query.format);
    },
  );
  app.post(
    '/builds/:code/stages/:stage/complete',
    {
      schema: {
        tags,
        summary: 'Complete a stage for some or all units, consuming its entries',
        params: CodeParams.extend({ stage: z.coerce.number().int().min(1).max(1000) }),
        body: CompleteStage,
        response: { 200: CompletionResult },
      },
    },
    (req) => completeStage(ctx, req.actor, req.params.code, req.params.stage, req.body),
  );
  app.post(
    '/builds/:code/completions/:id/reverse',
    {
      schema: {
        tags,
        summary:
          'Reverse a completion (e.g. the wrong reel): its consumption goes back to stock, its units miss the stage again; it stays recorded as reversed',
        params: CodeParams.extend({
          id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
        }),
        body: ReverseRequest,
        response: { 200: CompletionReversal },
      },
    },
    (req) => reverseCompletion(ctx, req.actor, req.params.code, req.params.id, req.body),
  );
  app.patch(
    '/builds/:code/bom/:position',
    {
      schema: {
        tags,
        summary:
          "Change a line of a build's BOM copy (part, quantity per unit), add one at an unused position, or remove one (remove: true), with a reason; only while no completion of its stage counts",
        params: CodeParams.extend({ position: z.coerce.number().int().min(1).max(100_000) }),
        body: BuildEntryChange,
        response: { 200: z.object({ entries: z.array(BomEntry) }) },
      },
    },
    async (req) => ({
      entries: await changeBuildEntry(
        ctx,
        req.actor,
        req.params.code,
        req.params.position,
        req.body,
      ),
    }),
  );
  app.post(
    '/builds/:code/units/:unit/scrap',
    {
      schema: {
        tags,
        summary: 'Scrap a unit (its history and consumption stay)',
        params: CodeParams.extend({ unit: z.string().max(200) }),
        body: ScrapRequest,
        response: { 200: BuildUnit },
      },
    },
    (req) => scrapUnit(ctx, req.actor, req.params.code, req.params.unit, req.body),
  );
  app.post(
    '/builds/:code/finish',
    {
      schema: {
        tags,
        summary: 'Finish: surviving units become available',
        params: CodeParams,
        body: FinishRequest,
        response: { 200: Build },
      },
    },
    (req) => finishBuild(ctx, req.actor, req.params.code, req.body),
  );
  app.post(
    '/builds/:code/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel a build that consumed nothing',
        params: CodeParams,
        body: CancelRequest,
        response: { 200: Build },
      },
    },
    (req) => cancelBuild(ctx, req.actor, req.params.code, req.body),
  );
  app.post(
    '/installations',
    {
      schema: {
        tags: ['installations'],
        summary: 'Install a sub-assembly unit into a unit',
        body: InstallRequest,
        response: { 201: Installation },
      },
    },
    async (req, reply) => reply.code(201).send(await installUnit(ctx, req.actor, req.body)),
  );
  app.post(
    '/installations/remove',
    {
      schema: {
        tags: ['installations'],
        summary: 'Remove an installed unit (rework, repair)',
        body: UninstallRequest,
        response: { 200: Installation },
      },
    },
    (req) => uninstallUnit(ctx, req.actor, req.body),
  );
  app.get(
    '/builds/:code/tests',
    {
      schema: {
        tags: ['tests'],
        summary: 'Pass, fail and missing per test across the build’s units',
        params: CodeParams,
        response: { 200: BuildTestSummary },
      },
    },
    (req) => getBuildTestSummary(ctx, req.params.code),
  );
};

/** The pick list as a download: CSV or PDF. */
async function sendPickList(
  reply: FastifyReply,
  list: PickList,
  format: 'csv' | 'pdf',
): Promise<FastifyReply> {
  const stage = list.stage === null ? '' : `-stage-${list.stage}`;
  const file = `pick-list-${list.build.shortCode}${stage}.${format}`;
  return reply
    .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf')
    .header('content-disposition', contentDisposition('attachment', file))
    .header('cache-control', 'no-store')
    .send(format === 'csv' ? pickListCsv(list) : await renderPickListPdf(list));
}
