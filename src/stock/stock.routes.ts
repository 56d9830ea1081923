import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { BatchReceiveRequest, BatchReceiveResult } from './receive-batch.schemas.js';
import { receiveBatch } from './receive-batch.service.js';
import {
  AdjustRequest,
  CheckResult,
  MoveRequest,
  OperationResult,
  ReceiveRequest,
  ReceiveResult,
  RemoveRequest,
  SplitRequest,
  StatusRequest,
  StockPage,
  StockQuery,
} from './stock.schemas.js';
import {
  adjustStock,
  changeStockStatus,
  checkLedger,
  listStock,
  moveStock,
  receiveStock,
  removeStock,
  splitLot,
} from './stock.service.js';

export const stockRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['stock'];
  const result = { 200: OperationResult };
  app.get(
    '/stock',
    {
      schema: {
        tags,
        summary: 'Balances per lot, location and status',
        querystring: StockQuery,
        response: { 200: StockPage },
      },
    },
    (req) => listStock(ctx, req.query),
  );
  app.post(
    '/stock/receive',
    {
      schema: {
        tags,
        summary: 'Receive stock: each item becomes a new lot',
        body: ReceiveRequest,
        response: { 201: ReceiveResult },
      },
    },
    async (req, reply) => reply.code(201).send(await receiveStock(ctx, req.actor, req.body.items)),
  );
  app.post(
    '/stock/receive-batch',
    {
      schema: {
        tags,
        summary:
          'Receive many rows (scanned bag labels, file lines) at once, finding or creating their parts; all or nothing',
        body: BatchReceiveRequest,
        response: { 201: BatchReceiveResult },
      },
    },
    async (req, reply) => reply.code(201).send(await receiveBatch(ctx, req.actor, req.body)),
  );
  app.post(
    '/stock/move',
    {
      schema: {
        tags,
        summary: 'Move stock of a lot to another location',
        body: MoveRequest,
        response: result,
      },
    },
    (req) => moveStock(ctx, req.actor, req.body),
  );
  app.post(
    '/stock/split',
    {
      schema: {
        tags,
        summary: 'Split part of a lot into a new lot',
        body: SplitRequest,
        response: result,
      },
    },
    (req) => splitLot(ctx, req.actor, req.body),
  );
  app.post(
    '/stock/remove',
    { schema: { tags, summary: 'Remove stock from a lot', body: RemoveRequest, response: result } },
    (req) => removeStock(ctx, req.actor, req.body),
  );
  app.post(
    '/stock/adjust',
    { schema: { tags, summary: 'Record a count', body: AdjustRequest, response: result } },
    (req) => adjustStock(ctx, req.actor, req.body),
  );
  app.post(
    '/stock/status',
    {
      schema: {
        tags,
        summary: 'Change the status of stock',
        body: StatusRequest,
        response: result,
      },
    },
    (req) => changeStockStatus(ctx, req.actor, req.body),
  );
  app.get(
    '/stock/check',
    {
      schema: {
        tags,
        summary: 'Check that balances equal the sum of the ledger',
        response: { 200: CheckResult },
      },
    },
    () => checkLedger(ctx),
  );
};
