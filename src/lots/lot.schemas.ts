import { z } from 'zod';
import { Actor, CustomFields, Paging, Tags, Text, page } from '../domain/common.schemas.js';
import { STOCK_ENTRY_TYPES, STOCK_STATUSES } from '../domain/stock-status.js';
import { UNITS } from '../domain/quantity.js';
import { HISTORY_EVENT_TYPES } from '../domain/history.js';

const Short = z.string().max(200);

/** Lot fields a user may set on receipt and edit later. */
export const LotFields = z.strictObject({
  name: Short.optional().describe('company or customer lot number, or a customer serial'),
  description: Text.optional(),
  comments: Text.optional(),
  expiry: z.string().max(10).nullable().optional().describe('YYYY-MM-DD'),
  vendorLot: Short.optional(),
  dateCode: Short.optional(),
  orderRef: Short.optional(),
  tags: Tags.optional(),
  customFields: CustomFields.optional(),
});
export type LotFields = z.input<typeof LotFields>;

export const Balance = z.object({
  location: z.object({ code: z.string(), name: z.string() }),
  status: z.enum(STOCK_STATUSES),
  quantity: z.number(),
});

export const Lot = z.object({
  code: z.string(),
  shortCode: z.string(),
  name: z.string(),
  description: z.string(),
  comments: z.string(),
  expiry: z.string().nullable(),
  vendorLot: z.string(),
  dateCode: z.string(),
  orderRef: z.string(),
  parentCode: z.string().nullable(),
  part: z.object({ code: z.string(), name: z.string(), mpn: z.string(), unit: z.enum(UNITS) }),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.string()),
  quantity: z.number().describe('total over all locations and statuses'),
  balances: z.array(Balance),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Lot = z.infer<typeof Lot>;

export const LotQuery = Paging.extend({
  part: z.string().max(200).optional(),
  location: z.string().max(200).optional(),
  q: z
    .string()
    .max(200)
    .optional()
    .describe('matches name, vendor lot, date code, order, tag or custom field value'),
  tag: z.string().max(64).optional(),
  inStock: z.enum(['true', 'false', 'any']).default('any'),
});
export type LotQuery = z.input<typeof LotQuery>;

export const LotPage = page(Lot);
export type LotPage = z.infer<typeof LotPage>;

export const LotHistoryItem = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('stock'),
    id: z.number(),
    type: z.enum(STOCK_ENTRY_TYPES),
    operation: z.string(),
    location: z.object({ code: z.string(), name: z.string() }),
    status: z.enum(STOCK_STATUSES),
    quantity: z.number(),
    note: z.string(),
    actor: Actor,
    at: z.string(),
  }),
  z.object({
    source: z.literal('event'),
    id: z.number(),
    type: z.enum(HISTORY_EVENT_TYPES),
    data: z.record(z.string(), z.unknown()),
    actor: Actor,
    at: z.string(),
  }),
]);
export type LotHistoryItem = z.infer<typeof LotHistoryItem>;
export const LotHistory = z.object({ items: z.array(LotHistoryItem) });
