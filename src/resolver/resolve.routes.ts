import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { ErrorBody } from '../domain/common.schemas.js';
import { ResolveQuery, Resolved } from './resolve.schemas.js';
import { resolve } from './resolve.service.js';
import { ScanQuery, ScanResult } from './scan.schemas.js';
import { scan } from './scan.service.js';

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
  app.get(
    '/scan',
    {
      schema: {
        tags: ['resolve'],
        summary: 'Read anything scanned: what it is, the fields on it, and what it names',
        description:
          'Codes, URLs and customer serials as /resolve takes them; GS1 element strings (UDI labels) resolve to the unit; distributor bag labels (ISO/IEC 15434 with ANSI MH10.8.2 data identifiers as Digi-Key and Mouser print them, LCSC and TME codes) resolve to the part and come with a receipt to pre-fill. Always 200: what names nothing says why in `message`.',
        querystring: ScanQuery,
        response: { 200: ScanResult },
      },
    },
    (req) => scan(ctx, req.query.q),
  );
};
