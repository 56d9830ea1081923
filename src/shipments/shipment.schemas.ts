import { z } from 'zod';
import { Paging, Text, page } from '../domain/common.schemas.js';
import { UNIT_STATES } from '../domain/unit-state.js';

/** The most units one shipment may hold (one request, a handful of statements). */
export const MAX_SHIPMENT_UNITS = 10_000;

export const ShipmentCreate = z.strictObject({
  customer: z.string().trim().min(1).max(200),
  reference: z.string().trim().min(1).max(200).describe("the customer's order number, or another"),
  date: z.string().max(40).optional().describe('YYYY-MM-DD; default: today (UTC)'),
  note: Text.default(''),
  units: z
    .array(z.string().max(200))
    .min(1)
    .max(MAX_SHIPMENT_UNITS)
    .describe('codes of the units (any form a label gives)'),
});
export type ShipmentCreate = z.input<typeof ShipmentCreate>;

export const ShipmentReverse = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .describe('why the shipment was a mistake (a customer return is POST /units/{code}/return)'),
});
export type ShipmentReverse = z.input<typeof ShipmentReverse>;

export const ShipmentQuery = Paging.extend({
  q: z.string().max(200).optional().describe('part of the customer or reference'),
});
export type ShipmentQuery = z.input<typeof ShipmentQuery>;

const ShipmentFields = {
  code: z.string(),
  shortCode: z.string(),
  customer: z.string(),
  reference: z.string(),
  date: z.string(),
  note: z.string(),
  unitCount: z.number().int(),
  returnedCount: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  reversed: z
    .object({ at: z.string(), by: z.string(), reason: z.string() })
    .nullable()
    .describe('set when the shipment was entered by mistake and reversed: it ships nothing'),
};

export const ShipmentSummary = z.object(ShipmentFields);
export type ShipmentSummary = z.infer<typeof ShipmentSummary>;

export const ShipmentUnit = z.object({
  code: z.string(),
  shortCode: z.string(),
  label: z.string().nullable(),
  name: z.string(),
  part: z.object({ code: z.string(), name: z.string() }),
  state: z.enum(UNIT_STATES),
  returnedAt: z.string().nullable(),
  returnReason: z.string().nullable(),
});
export type ShipmentUnit = z.infer<typeof ShipmentUnit>;

export const Shipment = z.object({ ...ShipmentFields, units: z.array(ShipmentUnit) });
export type Shipment = z.infer<typeof Shipment>;

export const ShipmentPage = page(ShipmentSummary);
export type ShipmentPage = z.infer<typeof ShipmentPage>;
