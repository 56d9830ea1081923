import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Context } from '../context.js';
import {
  AuditExportRange,
  AuditQuery,
  ChangeDetail,
  ChangePage,
  VerifyQuery,
  VerifyReport,
} from './audit.schemas.js';
import { exportLog, getChange, listChanges, verifyLog } from './audit.service.js';

/** The change log, for admins and auditors with an admin's account: list, read, verify, export. */
export const auditRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['audit'];
  const config = { access: 'admin' as const };
  app.get(
    '/audit/changes',
    {
      config,
      schema: {
        tags,
        summary: 'List change records, newest first, by user, object, operation and time',
        querystring: AuditQuery,
        response: { 200: ChangePage },
      },
    },
    (req) => listChanges(ctx, req.query),
  );
  app.get(
    '/audit/changes/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Get one change record with its hash',
        params: z.object({ id: z.string().max(200) }),
        response: { 200: ChangeDetail },
      },
    },
    (req) => getChange(ctx, req.params.id),
  );
  app.get(
    '/audit/verify',
    {
      config,
      schema: {
        tags,
        summary: "Recompute the log's hash chains and check the current state against the log",
        querystring: VerifyQuery,
        response: { 200: VerifyReport },
      },
    },
    (req) => verifyLog(ctx, req.query),
  );
  app.get(
    '/audit/export',
    {
      config,
      schema: {
        tags,
        summary:
          'The change records as JSON lines; the header X-Chain-Head holds the head (site, number, hash)',
        querystring: AuditExportRange,
        produces: ['application/x-ndjson'],
      },
    },
    async (req, reply) => {
      const { head, lines } = await exportLog(ctx, req.query);
      if (head) reply.header('x-chain-head', `${head.site} ${head.seq} ${head.hash}`);
      return reply.type('application/x-ndjson').send(Readable.from(lines));
    },
  );
};
