import { z } from 'zod';
import { STOCK_STATUSES } from '../domain/stock-status.js';
import { UNIT_STATES } from '../domain/unit-state.js';
import { SignatureInput, SignatureShown } from '../signatures/signature.schemas.js';

const Ref = z.object({ code: z.string(), shortCode: z.string() });

export const TRACE_SCOPES = ['unit', 'build'] as const;
const Scope = z
  .enum(TRACE_SCOPES)
  .describe(
    'unit: the completion took this lot alone for a BOM entry, so every unit it covered (named units or the whole build) contains it; build: it took the lot with others for the entry (FIFO across reels), so each of its units may contain it',
  );

const TracePart = z.object({
  code: z.string(),
  name: z.string(),
  mpn: z.string(),
  manufacturer: z.string(),
  unit: z.string(),
});

/** What a traced lot or unit is: enough to recognise a supplier reel or a device. */
const TraceObject = z.object({
  code: z.string(),
  shortCode: z.string(),
  kind: z.enum(['unit', 'lot']).describe('unit: a serialized device (a lot of one)'),
  name: z.string(),
  part: TracePart,
  build: Ref.nullable().describe('the build that produced it; null for received lots'),
  serial: z.number().int().nullable(),
  label: z.string().nullable().describe('`<build short code>-<serial>` for units'),
  unitState: z.enum(UNIT_STATES).nullable(),
  vendorLot: z.string(),
  dateCode: z.string(),
  orderRef: z.string(),
  expiry: z.string().nullable(),
});

/** How a node went into its parent in the tree. */
export const TraceEdge = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('installed'),
    entryNo: z.number().int(),
    installedAt: z.string(),
    installedBy: z.string(),
  }),
  z.object({
    type: z.literal('consumed'),
    build: Ref,
    completion: z.number().int(),
    stage: z.number().int(),
    entryNo: z.number().int(),
    quantity: z
      .number()
      .describe('consumed by the completion for all the units it covered, in the part unit'),
    scope: Scope,
    units: z.string().describe("the build serials the completion covered: '1–60, 75', or 'all'"),
    completedAt: z.string(),
  }),
]);
export type TraceEdge = z.infer<typeof TraceEdge>;

/** A unit that was installed in this one once and removed since: history, not contents. */
export const RemovedChild = z.object({
  code: z.string(),
  shortCode: z.string(),
  part: z.object({ code: z.string(), name: z.string() }),
  label: z.string().nullable(),
  entryNo: z.number().int(),
  installedAt: z.string(),
  removedAt: z.string(),
  removedBy: z.string().nullable(),
  reason: z.string().nullable(),
});
export type RemovedChild = z.infer<typeof RemovedChild>;

export type TraceNode = z.infer<typeof TraceObject> & {
  via: TraceEdge | null;
  children: TraceNode[];
  removed: RemovedChild[];
};
export const TraceNode: z.ZodType<TraceNode> = TraceObject.extend({
  via: TraceEdge.nullable().describe('how it went into its parent node; null for the root'),
  get children() {
    return z
      .array(TraceNode)
      .describe('installed units first, then consumed lots by stage and BOM entry');
  },
  removed: z.array(RemovedChild).describe('units installed once and removed since'),
}).meta({ id: 'TraceNode' });

/** A unit, as a link to it shows it. */
const UnitRef = Ref.extend({ label: z.string().nullable() });

export const TraceTree = z.object({
  root: TraceNode,
  installedIn: UnitRef.nullable().describe('the unit the root is installed in now'),
  counts: z.object({
    nodes: z.number().int().describe('nodes of the tree, the root included'),
    units: z.number().int(),
    lots: z.number().int(),
    supplierLots: z.number().int().describe('lots not made by a build: received stock'),
    depth: z.number().int(),
    buildScoped: z
      .number()
      .int()
      .describe(
        'consumed lots taken with other lots for an entry: which unit holds which is not known',
      ),
  }),
});
export type TraceTree = z.infer<typeof TraceTree>;

const Stock = z.object({
  status: z.enum(STOCK_STATUSES),
  location: z.object({ code: z.string(), name: z.string() }),
  quantity: z.number(),
});

export const RECALL_STATES = [...UNIT_STATES, 'in_stock', 'used_up'] as const;

/** Where an affected unit or lot is now; grows with shipments. */
const RecallStatus = z.object({
  state: z
    .enum(RECALL_STATES)
    .describe("a unit's state; for other lots: in_stock, or used_up when no stock is left"),
  installedIn: UnitRef.nullable().describe('the unit it is installed in now'),
  shipment: Ref.extend({ customer: z.string(), reference: z.string(), date: z.string() })
    .nullable()
    .describe('the shipment it is out in now (shipped, not returned)'),
  stock: z.array(Stock),
});

export const RecallItem = z.object({
  code: z.string(),
  shortCode: z.string(),
  kind: z.enum(['unit', 'lot']),
  name: z.string(),
  part: z.object({ code: z.string(), name: z.string(), mpn: z.string() }),
  build: Ref.nullable(),
  serial: z.number().int().nullable(),
  label: z.string().nullable(),
  level: z
    .number()
    .int()
    .describe('1: made directly with the recalled lot; 2: with a lot of level 1; …'),
  via: z.enum(['consumed', 'installed']).describe('how the lot of the level below went into it'),
  path: z
    .array(z.string())
    .describe('codes from the recalled lot up to the lot this one directly contains'),
  scope: Scope.describe(
    'unit: it certainly contains the lot (every step of a path to it is exact); build: only through a consumption that took the lot with others for an entry — it may contain the lot',
  ),
  status: RecallStatus,
});
export type RecallItem = z.infer<typeof RecallItem>;

export const RecallSource = z.object({
  code: z.string(),
  shortCode: z.string(),
  name: z.string(),
  part: z.object({ code: z.string(), name: z.string(), mpn: z.string() }),
  vendorLot: z.string(),
  dateCode: z.string(),
  stock: z.array(Stock),
});

export const BuildScoped = z.object({
  build: Ref,
  completion: z.number().int(),
  stage: z.number().int(),
  lot: z.string().describe('the lot it consumed with other lots for one entry'),
  units: z
    .number()
    .int()
    .describe('output lots the completion covered, each of which may contain it'),
});

export const Recall = z.object({
  sources: z.array(RecallSource).describe('the recalled lots'),
  items: z.array(RecallItem).describe('every unit and lot that may contain them, by level'),
  counts: z.object({
    total: z.number().int(),
    units: z.number().int(),
    lots: z.number().int(),
    unitScoped: z.number().int(),
    buildScoped: z.number().int(),
    byLevel: z.array(
      z.object({ level: z.number().int(), units: z.number().int(), lots: z.number().int() }),
    ),
    byState: z.array(z.object({ state: z.enum(RECALL_STATES), count: z.number().int() })),
  }),
  buildScoped: z
    .array(BuildScoped)
    .describe(
      'consumptions that took the lot with other lots for an entry: every unit they covered is included, as may contain',
    ),
});
export type Recall = z.infer<typeof Recall>;

export const RecallFormat = z.object({
  format: z
    .enum(['json', 'csv'])
    .default('json')
    .describe('csv: the items as a CSV download (text/csv) instead of JSON'),
});

export const RecallQuery = RecallFormat.extend({
  part: z.string().max(200).describe('part code'),
  vendorLot: z.string().max(200).optional(),
  dateCode: z.string().max(200).optional(),
});
export type RecallQuery = z.input<typeof RecallQuery>;

const ByStatus = z.array(
  z.object({ status: z.enum(STOCK_STATUSES), balances: z.number().int(), quantity: z.number() }),
);

export const HoldRequest = z.strictObject({
  note: z.string().trim().min(1).max(1000).describe('why: the recall, a reference'),
  signature: SignatureInput.optional().describe('signs the hold (required when configured)'),
});
export type HoldRequest = z.input<typeof HoldRequest>;

export const HoldResult = z.object({
  operation: z.string().nullable().describe('the ledger operation; null when nothing was held'),
  lots: z.number().int().describe('lots with stock changed to held'),
  balances: z.number().int().describe('balances changed to held'),
  byStatus: ByStatus,
});
export type HoldResult = z.infer<typeof HoldResult>;

export const RecallReleaseRequest = z.strictObject({
  operation: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe("the hold's ledger operation; default: the lot's latest hold not yet released"),
  note: z.string().trim().min(1).max(1000).describe('why the stock may be used again'),
  signature: SignatureInput.optional().describe('signs the release (required when configured)'),
});
export type RecallReleaseRequest = z.input<typeof RecallReleaseRequest>;

export const RecallReleaseResult = z.object({
  hold: z.string().describe('the ledger operation of the hold released'),
  operation: z
    .string()
    .nullable()
    .describe('the ledger operation of the release; null when every balance was skipped'),
  lots: z.number().int().describe('lots with held stock returned'),
  balances: z.number().int().describe('balances returned to the status they had before the hold'),
  byStatus: ByStatus.describe('what was returned, by the status it went back to'),
  skipped: z
    .number()
    .int()
    .describe('balances the hold took whose held stock was moved or consumed since: left alone'),
});
export type RecallReleaseResult = z.infer<typeof RecallReleaseResult>;

const Signed = z.object({
  by: z.string(),
  at: z.string(),
  note: z.string(),
  signature: SignatureShown.nullable(),
});

export const RecallHold = Signed.extend({
  operation: z.string().describe("the hold's ledger operation"),
  lots: z.number().int(),
  balances: z.number().int(),
  release: Signed.extend({
    operation: z.string().nullable(),
    balances: z.number().int(),
    skipped: z.number().int(),
  })
    .nullable()
    .describe('null: still held'),
});
export type RecallHold = z.infer<typeof RecallHold>;
export const RecallHolds = z.object({
  items: z.array(RecallHold).describe('the recall holds of the lot, oldest first'),
});
export type RecallHolds = z.infer<typeof RecallHolds>;
