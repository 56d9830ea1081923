import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import {
  AssignResult,
  AssignSerials,
  SerialFormat,
  SerialFormatCreate,
  SerialFormatPage,
  SerialFormatQuery,
  SerialFormatUpdate,
  SerialPreview,
  SerialPreviewQuery,
  SerialPreviewRequest,
  UnitSerial,
} from './serial.schemas.js';
import {
  assignSerials,
  createSerialFormat,
  getSerialFormat,
  listSerialFormats,
  listUnitSerials,
  previewFormat,
  previewPattern,
  updateSerialFormat,
} from './serial.service.js';

export const serialRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['serials'];
  app.get(
    '/serial-formats',
    {
      schema: {
        tags,
        summary: 'List customer serial formats by name',
        querystring: SerialFormatQuery,
        response: { 200: SerialFormatPage },
      },
    },
    (req) => listSerialFormats(ctx, req.query),
  );
  app.post(
    '/serial-formats',
    {
      schema: {
        tags,
        summary: 'Create a customer serial format',
        body: SerialFormatCreate,
        response: { 201: SerialFormat },
      },
    },
    async (req, reply) => reply.code(201).send(await createSerialFormat(ctx, req.actor, req.body)),
  );
  app.post(
    '/serial-formats/preview',
    {
      // A preview changes nothing: viewers may ask for one.
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Serials a pattern would give (changes nothing)',
        body: SerialPreviewRequest,
        response: { 200: SerialPreview },
      },
    },
    (req) => previewPattern(ctx, req.body),
  );
  app.get(
    '/serial-formats/:code',
    {
      schema: {
        tags,
        summary: 'A serial format (by code or name)',
        params: CodeParams,
        response: { 200: SerialFormat },
      },
    },
    (req) => getSerialFormat(ctx, req.params.code),
  );
  app.patch(
    '/serial-formats/:code',
    {
      schema: {
        tags,
        summary: 'Rename, change the target, archive or restore a format',
        params: CodeParams,
        body: SerialFormatUpdate,
        response: { 200: SerialFormat },
      },
    },
    (req) => updateSerialFormat(ctx, req.actor, req.params.code, req.body),
  );
  app.get(
    '/serial-formats/:code/preview',
    {
      schema: {
        tags,
        summary: 'The next serials of a format, from its counter (consumes no number)',
        params: CodeParams,
        querystring: SerialPreviewQuery,
        response: { 200: SerialPreview },
      },
    },
    (req) => previewFormat(ctx, req.params.code, req.query),
  );
  app.post(
    '/serial-formats/:code/assign',
    {
      schema: {
        tags,
        summary: "Give serials to a build's units or to chosen units",
        params: CodeParams,
        body: AssignSerials,
        response: { 200: AssignResult },
      },
    },
    (req) => assignSerials(ctx, req.actor, req.params.code, req.body),
  );
  app.get(
    '/lots/:code/serials',
    {
      schema: {
        tags,
        summary: "A unit's customer serials",
        params: CodeParams,
        response: { 200: z.object({ items: z.array(UnitSerial) }) },
      },
    },
    async (req) => ({ items: await listUnitSerials(ctx, req.params.code) }),
  );
};
