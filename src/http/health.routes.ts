import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Context } from '../context.js';
import { pingDatabase } from '../db/database.js';
import { VERSION } from '../version.js';

/** A load balancer's patience is a few seconds: a database slower than this is not ready. */
const DATABASE_TIMEOUT_MS = 2000;

const Health = z.object({
  status: z.enum(['ok', 'unavailable']),
  version: z.string(),
  database: z.string().describe("'ok', or why the database does not answer"),
});

/** `/api/health`: 200 when the server and its database answer, 503 saying why not. */
export const healthRoutes: FastifyPluginAsync<{ ctx: Context }> = async (app, { ctx }) => {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: { tags: ['health'], response: { 200: Health, 503: Health } },
    },
    async (_req, reply) => {
      const problem = await pingDatabase(ctx.db, DATABASE_TIMEOUT_MS);
      if (problem === undefined) return { status: 'ok' as const, version: VERSION, database: 'ok' };
      return reply.code(503).send({ status: 'unavailable', version: VERSION, database: problem });
    },
  );
};
