import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import { Shipment, ShipmentPage, ShipmentQuery } from './shipment.schemas.js';
import { getShipment, listShipments } from './shipment.service.js';

export const shipmentRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['shipments'];
  app.get(
    '/shipments',
    {
      schema: {
        tags,
        summary: 'List shipments, newest first; search by customer or reference',
        querystring: ShipmentQuery,
        response: { 200: ShipmentPage },
      },
    },
    (req) => listShipments(ctx, req.query),
  );
  app.get(
    '/shipments/:code',
    {
      schema: {
        tags,
        summary: 'A shipment with its units, their labels and states',
        params: CodeParams,
        response: { 200: Shipment },
      },
    },
    (req) => getShipment(ctx, req.params.code),
  );
};
