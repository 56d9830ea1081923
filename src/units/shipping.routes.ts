import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Context } from '../context.js';
import { CodeParams } from '../domain/common.schemas.js';
import { Shipment, ShipmentCreate, ShipmentReverse } from '../shipments/shipment.schemas.js';
import { createShipment, reverseShipment } from './shipping.service.js';

/** POST /shipments: the `ship` transition of units, and its reversal (see shipping.service.ts). */
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
  app.post(
    '/shipments/:code/reverse',
    {
      schema: {
        tags,
        summary:
          'Reverse a shipment entered by mistake: its units are available in stock again (a customer return is POST /units/{code}/return)',
        params: CodeParams,
        body: ShipmentReverse,
        response: { 200: Shipment },
      },
    },
    (req) => reverseShipment(ctx, req.actor, req.params.code, req.body),
  );
};
