import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import {
  Location,
  LocationCreate,
  LocationPage,
  LocationQuery,
  LocationUpdate,
} from './location.schemas.js';
import { createLocation, getLocation, listLocations, updateLocation } from './location.service.js';

export const locationRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['locations'];
  app.get(
    '/locations',
    {
      schema: {
        tags,
        summary: 'List and search storage locations',
        querystring: LocationQuery,
        response: { 200: LocationPage },
      },
    },
    (req) => listLocations(ctx, req.query),
  );
  app.post(
    '/locations',
    {
      schema: {
        tags,
        summary: 'Create a storage location',
        body: LocationCreate,
        response: { 201: Location },
      },
    },
    async (req, reply) => reply.code(201).send(await createLocation(ctx, req.actor, req.body)),
  );
  app.get(
    '/locations/:code',
    {
      schema: {
        tags,
        summary: 'Get a storage location',
        params: CodeParams,
        response: { 200: Location },
      },
    },
    (req) => getLocation(ctx, req.params.code),
  );
  app.patch(
    '/locations/:code',
    {
      schema: {
        tags,
        summary: 'Change a storage location',
        params: CodeParams,
        body: LocationUpdate,
        response: { 200: Location },
      },
    },
    (req) => updateLocation(ctx, req.actor, req.params.code, req.body),
  );
};
