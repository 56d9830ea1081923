import { z } from 'zod';
import { Name, Quantity, Text } from '../domain/common.schemas.js';
import { MAX_RECEIVE_ROWS } from '../domain/receive-csv.js';
import { STOCK_STATUSES } from '../domain/stock-status.js';
import { LotFields } from '../lots/lot.schemas.js';
import { ReceivedLot } from './stock.schemas.js';

/** The most rows one batch receipt takes (domain/receive-csv.ts says why). */
export const MAX_BATCH_ROWS = MAX_RECEIVE_ROWS;

const Ref = z.string().max(200);

export const BatchRow = z.strictObject({
  part: Ref.optional().describe('part code; else the part is found by sku, then mpn'),
  supplier: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe('distributor: Digi-Key, Mouser, LCSC, …'),
  sku: z.string().trim().max(100).optional().describe("the distributor's part number"),
  mpn: z.string().trim().max(200).optional(),
  manufacturer: z.string().trim().max(200).optional(),
  description: Text.optional(),
  createPart: z
    .boolean()
    .default(false)
    .describe('create a component part from this row when no part matches'),
  partName: Name.optional().describe(
    'name of the part to create; default: the MPN, else the description',
  ),
  quantity: Quantity,
  location: Ref.optional().describe("location code; default: the request's location"),
  status: z.enum(STOCK_STATUSES).default('on_hand'),
  lot: LotFields.default({}),
  note: z.string().max(1000).default(''),
});
export type BatchRow = z.input<typeof BatchRow>;

export const BatchReceiveRequest = z.strictObject({
  location: Ref.optional().describe('where the rows that name no location are received'),
  rows: z.array(BatchRow).min(1).max(MAX_BATCH_ROWS),
});
export type BatchReceiveRequest = z.input<typeof BatchReceiveRequest>;

export const CreatedPart = z.object({
  code: z.string(),
  shortCode: z.string(),
  name: z.string(),
  mpn: z.string(),
  rows: z.array(z.number()).describe('the rows received into it'),
});

export const BatchReceiveResult = z.object({
  operation: z.string(),
  lots: z.array(ReceivedLot.extend({ row: z.number() })).describe('one per row, in row order'),
  createdParts: z.array(CreatedPart),
});
export type BatchReceiveResult = z.infer<typeof BatchReceiveResult>;
