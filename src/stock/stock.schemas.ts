import { z } from 'zod';
import { Quantity } from '../domain/common.schemas.js';
import { STOCK_STATUSES } from '../domain/stock-status.js';
import { LotFields } from '../lots/lot.schemas.js';

/** The most lots one receive request may create. */
export const MAX_RECEIVE_ITEMS = 10_000;

const Ref = z.string().max(200);
const Status = z.enum(STOCK_STATUSES);
const Note = z.string().max(1000).default('');

export const ReceiveItem = z.strictObject({
  part: Ref.describe('part code'),
  location: Ref.describe('location code'),
  quantity: Quantity,
  status: Status.default('on_hand'),
  lot: LotFields.default({}),
  note: Note,
});
export type ReceiveItem = z.input<typeof ReceiveItem>;

export const ReceiveRequest = z.strictObject({
  items: z.array(ReceiveItem).min(1).max(MAX_RECEIVE_ITEMS),
});
export type ReceiveRequest = z.input<typeof ReceiveRequest>;

export const ReceivedLot = z.object({
  code: z.string(),
  shortCode: z.string(),
  part: z.string(),
  location: z.string(),
  status: Status,
  quantity: z.number(),
});
export type ReceivedLot = z.infer<typeof ReceivedLot>;
export const ReceiveResult = z.object({ operation: z.string(), lots: z.array(ReceivedLot) });
export type ReceiveResult = z.infer<typeof ReceiveResult>;

/** Names one balance of a lot; `location` may be left out when the lot lies in one place. */
const Source = {
  lot: Ref.describe('lot code'),
  location: Ref.optional().describe(
    'where the stock lies; needed when the lot lies in several places',
  ),
  status: Status.default('on_hand'),
};

export const MoveRequest = z.strictObject({
  ...Source,
  to: Ref.describe('destination location code'),
  quantity: Quantity.optional().describe('default: everything at the source'),
  note: Note,
});
export type MoveRequest = z.input<typeof MoveRequest>;

export const SplitRequest = z.strictObject({
  ...Source,
  quantity: Quantity,
  to: Ref.optional().describe('location of the new lot; default: where the stock lies'),
  lotFields: LotFields.optional().describe(
    'fields of the new lot; default: copied from the parent',
  ),
  note: Note,
});
export type SplitRequest = z.input<typeof SplitRequest>;

export const RemoveRequest = z.strictObject({ ...Source, quantity: Quantity, note: Note });
export type RemoveRequest = z.input<typeof RemoveRequest>;

export const AdjustRequest = z.strictObject({
  ...Source,
  location: Ref.describe('where the stock was counted'),
  count: Quantity.describe('the quantity counted; 0 empties the place'),
  note: Note,
});
export type AdjustRequest = z.input<typeof AdjustRequest>;

export const StatusRequest = z.strictObject({
  ...Source,
  to: Status.describe('the new status'),
  quantity: Quantity.optional().describe('default: everything in the source status'),
  note: Note,
});
export type StatusRequest = z.input<typeof StatusRequest>;

export const OperationResult = z.object({
  operation: z.string().describe('groups the ledger entries written together'),
  lots: z.array(z.string()).describe('codes of the lots changed or created'),
});
export type OperationResult = z.infer<typeof OperationResult>;

export const StockQuery = z.object({
  part: Ref.optional(),
  location: Ref.optional(),
  lot: Ref.optional(),
  status: Status.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});
export type StockQuery = z.input<typeof StockQuery>;

export const StockRow = z.object({
  lot: z.object({
    code: z.string(),
    shortCode: z.string(),
    name: z.string(),
    expiry: z.string().nullable(),
  }),
  part: z.object({ code: z.string(), name: z.string(), unit: z.string() }),
  location: z.object({ code: z.string(), name: z.string() }),
  status: Status,
  quantity: z.number(),
});
export const StockPage = z.object({
  items: z.array(StockRow),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
});
export type StockPage = z.infer<typeof StockPage>;

export const CheckResult = z.object({
  ok: z.boolean(),
  balances: z.number().describe('balance rows checked'),
  entries: z.number().describe('ledger entries summed'),
  mismatches: z.array(
    z.object({
      lot: z.string(),
      location: z.string(),
      status: z.string(),
      balance: z.number(),
      ledger: z.number(),
      problem: z.string(),
    }),
  ),
});
export type CheckResult = z.infer<typeof CheckResult>;
