import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CodeParams } from '../domain/common.schemas.js';
import type { Context } from '../context.js';
import { Part, PartCreate, PartPage, PartQuery, PartUpdate } from './part.schemas.js';
import { PartLookupRequest, PartLookupResult } from './part-lookup.schemas.js';
import { lookUpParts } from './part-lookup.service.js';
import { createPart, getPart, listParts, updatePart } from './part.service.js';

export const partRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['parts'];
  app.get(
    '/parts',
    {
      schema: {
        tags,
        summary: 'List and search parts',
        querystring: PartQuery,
        response: { 200: PartPage },
      },
    },
    (req) => listParts(ctx, req.query),
  );
  app.post(
    '/parts',
    { schema: { tags, summary: 'Create a part', body: PartCreate, response: { 201: Part } } },
    async (req, reply) => reply.code(201).send(await createPart(ctx, req.actor, req.body)),
  );
  app.post(
    '/parts/lookup',
    {
      schema: {
        tags,
        summary: 'Find the parts many supplier part numbers or MPNs name (reads only)',
        body: PartLookupRequest,
        response: { 200: PartLookupResult },
      },
      config: { access: 'read' },
    },
    (req) => lookUpParts(ctx, req.body),
  );
  app.get(
    '/parts/:code',
    { schema: { tags, summary: 'Get a part', params: CodeParams, response: { 200: Part } } },
    (req) => getPart(ctx, req.params.code),
  );
  app.patch(
    '/parts/:code',
    {
      schema: {
        tags,
        summary: 'Change a part',
        params: CodeParams,
        body: PartUpdate,
        response: { 200: Part },
      },
    },
    (req) => updatePart(ctx, req.actor, req.params.code, req.body),
  );
};
