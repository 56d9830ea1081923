import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { Shipment, ShipmentCreate } from '../shipments/shipment.schemas.js';
import { createShipment } from './shipping.service.js';

/** POST /shipments: the `ship` transition of units (see shipping.service.ts). */
export const shippingRoutes: FastifyPluginAsyncZod<{ ctx: Context }> = async (app, { ctx }) => {
  const tags = ['shipments'];
  app.post(
    '/shipments',
    {
      schema: {
        tags,
        summary: 'Ship available units to a customer (all or none)',
        body: ShipmentCreate,
        response: { 201: Shipment },
      },
    },
    async (req, reply) => reply.code(201).send(await createShipment(ctx, req.actor, req.body)),
  );
};
