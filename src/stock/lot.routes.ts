import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import { Lot, LotFields, LotHistory, LotPage, LotQuery } from '../lots/lot.schemas.js';
import { getLot, getLotHistory, listLots, updateLot } from './lot-view.service.js';

export const lotRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['lots'];
  app.get(
    '/lots',
    {
      schema: {
        tags,
        summary: 'List and search lots, newest first',
        querystring: LotQuery,
        response: { 200: LotPage },
      },
    },
    (req) => listLots(ctx, req.query),
  );
  app.get(
    '/lots/:code',
    {
      schema: {
        tags,
        summary: 'Get a lot with its balances',
        params: CodeParams,
        response: { 200: Lot },
      },
    },
    (req) => getLot(ctx, req.params.code),
  );
  app.patch(
    '/lots/:code',
    {
      schema: {
        tags,
        summary: "Change a lot's fields",
        params: CodeParams,
        body: LotFields,
        response: { 200: Lot },
      },
    },
    (req) => updateLot(ctx, req.actor, req.params.code, req.body),
  );
  app.get(
    '/lots/:code/history',
    {
      schema: {
        tags,
        summary: 'Every ledger entry and field change of a lot',
        params: CodeParams,
        response: { 200: LotHistory },
      },
    },
    async (req) => ({ items: await getLotHistory(ctx, req.params.code, req.actor) }),
  );
};
