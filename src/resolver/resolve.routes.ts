import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { ErrorBody } from '../domain/common.schemas.js';
import { ResolveQuery, Resolved } from './resolve.schemas.js';
import { resolve } from './resolve.service.js';

export const resolveRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  app.get(
    '/resolve',
    {
      // Every scan comes here. Resolved objects are built field by field from the schema
      // (toResolved), so the zod pass over the answer that other routes make adds nothing but
      // time (a tenth of the request's server time); JSON.stringify writes it.
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags: ['resolve'],
        summary: 'Turn scanned or typed text into the object it names',
        description:
          'A prefix matching several objects answers 409 with the candidates; nothing found answers 404.',
        querystring: ResolveQuery,
        response: { 200: Resolved, 404: ErrorBody, 409: ErrorBody },
      },
    },
    (req) => resolve(ctx, req.query.q),
  );
};
