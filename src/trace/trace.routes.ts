import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import { shortCode } from '../domain/code.js';
import {
  HoldRequest,
  HoldResult,
  Recall,
  RecallFormat,
  RecallHolds,
  RecallQuery,
  RecallReleaseRequest,
  RecallReleaseResult,
  TraceTree,
} from './trace.schemas.js';
import { listRecallHolds, releaseRecall } from './recall-release.service.js';
import {
  holdRecall,
  recallBatch,
  recallCsv,
  traceBackward,
  traceForward,
} from './trace.service.js';

const Csv = z.string().describe('text/csv: one line per affected unit or lot');

export const traceRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['trace'];
  app.get(
    '/trace/:code',
    {
      schema: {
        tags,
        summary: 'Backward trace: everything in a unit or lot, down to supplier lots',
        params: CodeParams,
        response: { 200: TraceTree },
      },
    },
    (req) => traceBackward(ctx, req.params.code),
  );
  app.get(
    '/recall',
    {
      schema: {
        tags,
        summary:
          "Recall of a part's lots with a vendor lot and/or date code: every unit and lot that may contain them",
        querystring: RecallQuery,
        response: { 200: Recall },
      },
    },
    async (req, reply) => {
      const recall = await recallBatch(ctx, req.query);
      const name = [req.query.vendorLot, req.query.dateCode].filter(Boolean).join('-');
      return req.query.format === 'csv' ? sendCsv(reply, recall, name) : recall;
    },
  );
  app.get(
    '/recall/:code',
    {
      schema: {
        tags,
        summary: 'Recall (forward trace) of a lot: every unit and lot that may contain it',
        params: CodeParams,
        querystring: RecallFormat,
        response: { 200: Recall },
      },
    },
    async (req, reply) => {
      const recall = await traceForward(ctx, req.params.code);
      return req.query.format === 'csv' ? sendCsv(reply, recall) : recall;
    },
  );
  app.get(
    '/recall/:code/csv',
    {
      schema: {
        tags,
        summary: 'Recall of a lot as a CSV download',
        params: CodeParams,
        response: { 200: Csv },
      },
    },
    async (req, reply) => sendCsv(reply, await traceForward(ctx, req.params.code)),
  );
  app.post(
    '/recall/:code/hold',
    {
      schema: {
        tags,
        summary:
          'Hold all stock that may contain a lot: its on-hand and in-production balances, and those of every unit and lot it went into, change to held',
        params: CodeParams,
        body: HoldRequest,
        response: { 200: HoldResult },
      },
    },
    (req) => holdRecall(ctx, req.actor, req.params.code, req.body),
  );
  app.get(
    '/lots/:code/recall/holds',
    {
      schema: {
        tags,
        summary: 'The recall holds of a lot, each with its release if it was released',
        params: CodeParams,
        response: { 200: RecallHolds },
      },
    },
    (req) => listRecallHolds(ctx, req.params.code),
  );
  app.post(
    '/lots/:code/recall/release',
    {
      schema: {
        tags,
        summary:
          'Release a recall hold of a lot (signable: recall_released): the balances it put on held go back to the status they had; balances moved or consumed since are skipped and counted; 409 when released already',
        params: CodeParams,
        body: RecallReleaseRequest,
        response: { 200: RecallReleaseResult },
      },
    },
    (req) => releaseRecall(ctx, req.actor, req.params.code, req.body),
  );
};

function sendCsv(reply: FastifyReply, recall: Recall, name?: string): FastifyReply {
  const base = name || recall.sources.map((s) => shortCode(s.code)).join('-') || 'none';
  const file = `recall-${base.replace(/[^\w.-]+/g, '_').slice(0, 80)}.csv`;
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${file}"`)
    .send(recallCsv(recall));
}
