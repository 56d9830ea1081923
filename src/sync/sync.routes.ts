import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Context } from '../context.js';
import { Conflict, ConflictPage, ConflictQuery, ResolveConflict } from './conflict.schemas.js';
import { getConflict, listConflicts, resolveConflict } from './conflict.service.js';

export const syncRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['sites'];
  app.get(
    '/sync/conflicts',
    {
      schema: {
        tags,
        summary: 'What sync between sites could not merge silently: open ones, or all',
        querystring: ConflictQuery,
        response: { 200: ConflictPage },
      },
    },
    (req) => listConflicts(ctx, req.query),
  );
  app.get(
    '/sync/conflicts/:code',
    {
      schema: {
        tags,
        summary: 'One conflict, with both sides',
        params: z.object({ code: z.string().max(64) }),
        response: { 200: Conflict },
      },
    },
    (req) => getConflict(ctx, req.params.code),
  );
  app.post(
    '/sync/conflicts/:code/resolve',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Say which side of a conflict stands, and why (admins; logged)',
        params: z.object({ code: z.string().max(64) }),
        body: ResolveConflict,
        response: { 200: Conflict },
      },
    },
    (req) => resolveConflict(ctx, req.actor, req.params.code, req.body),
  );
};
