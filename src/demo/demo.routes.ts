import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { DemoSummary } from './demo.schemas.js';
import { loadDemo } from './demo.service.js';

/** The demo company, for a first look at an empty instance (admins only). */
export const demoRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  app.post(
    '/demo',
    {
      config: { access: 'admin' as const },
      schema: {
        tags: ['demo'],
        summary:
          'Fill an empty instance with demo data (409 when it holds parts or projects already)',
        response: { 201: DemoSummary },
      },
    },
    async (req, reply) => reply.code(201).send(await loadDemo(ctx, req.actor)),
  );
};
