import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import { releaseUnit, returnUnit, scrapUnitRecord, startRepair } from './lifecycle.service.js';
import {
  ReleaseRequest,
  RepairRequest,
  ReturnRequest,
  ServiceEvent,
  ServiceEventCreate,
  ServiceEventPage,
  ServiceEventQuery,
  UnitScrapRequest,
  UnitStatus,
  UnitStatusList,
  UnitStatusRequest,
} from './unit.schemas.js';
import { addServiceEvent, getServiceEvent, listServiceEvents } from './service-event.service.js';
import { getUnitStatus, getUnitStatuses } from './unit.service.js';

export const unitRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['units'];
  app.get(
    '/units/:code',
    {
      schema: {
        tags,
        summary: "A unit's lifecycle state, the operations it allows, its latest shipment",
        params: CodeParams,
        response: { 200: UnitStatus },
      },
    },
    (req) => getUnitStatus(ctx, req.params.code),
  );
  app.post(
    '/units/status',
    {
      // A lookup with its list in the body: it changes nothing, so readers may ask.
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'The status of many units at once, e.g. a list of scanned units before shipping',
        body: UnitStatusRequest,
        response: { 200: UnitStatusList },
      },
    },
    (req) => getUnitStatuses(ctx, req.body),
  );
  app.post(
    '/units/:code/return',
    {
      schema: {
        tags,
        summary: 'A shipped unit comes back: held at a location, with the reason',
        params: CodeParams,
        body: ReturnRequest,
        response: { 200: UnitStatus },
      },
    },
    (req) => returnUnit(ctx, req.actor, req.params.code, req.body),
  );
  app.post(
    '/units/:code/repair',
    {
      schema: {
        tags,
        summary: 'A returned unit goes into repair',
        params: CodeParams,
        body: RepairRequest,
        response: { 200: UnitStatus },
      },
    },
    (req) => startRepair(ctx, req.actor, req.params.code, req.body),
  );
  app.post(
    '/units/:code/release',
    {
      schema: {
        tags,
        summary: 'A repaired unit becomes available (override the release gate with a note)',
        params: CodeParams,
        body: ReleaseRequest,
        response: { 200: UnitStatus },
      },
    },
    (req) => releaseUnit(ctx, req.actor, req.params.code, req.body),
  );
  app.post(
    '/units/:code/scrap',
    {
      schema: {
        tags,
        summary: 'Scrap an available, returned or repaired unit (its history stays)',
        params: CodeParams,
        body: UnitScrapRequest,
        response: { 200: UnitStatus },
      },
    },
    (req) => scrapUnitRecord(ctx, req.actor, req.params.code, req.body),
  );
  app.get(
    '/units/:code/events',
    {
      schema: {
        tags,
        summary: "A unit's service events, oldest first",
        params: CodeParams,
        querystring: ServiceEventQuery,
        response: { 200: ServiceEventPage },
      },
    },
    (req) => listServiceEvents(ctx, req.params.code, req.query),
  );
  app.post(
    '/units/:code/events',
    {
      schema: {
        tags,
        summary: 'Record an inspection, rework, repair, return or note on a unit',
        params: CodeParams,
        body: ServiceEventCreate,
        response: { 201: ServiceEvent },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await addServiceEvent(ctx, req.actor, req.params.code, req.body)),
  );
  app.get(
    '/service-events/:code',
    {
      schema: {
        tags,
        summary: 'One service event',
        params: CodeParams,
        response: { 200: ServiceEvent },
      },
    },
    (req) => getServiceEvent(ctx, req.params.code),
  );
};
