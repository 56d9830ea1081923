import type { Context } from '../context.js';
import { ValidationError } from '../domain/errors.js';
import { planStockHistory, type HistoryEntry, type StockStep } from '../domain/partsbox-history.js';
import type { Actor } from '../domain/roles.js';
import type { StockStatus } from '../domain/stock-status.js';
import {
  adjustStock,
  changeStockStatus,
  moveStock,
  receiveStock,
  removeStock,
} from '../stock/stock.service.js';
import { at, fieldsOf, noLot, type ReportBuilder } from './partsbox-report.js';
import type { PartsboxExport, PbLot, PbPart } from './partsbox.schemas.js';

/** PartsBox stock statuses (`stock/status`; none is stock on hand) and Tracelot's for them. */
const STATUSES: Record<string, StockStatus> = {
  ordered: 'ordered',
  planned: 'planned',
  reserved: 'allocated',
  allocated: 'allocated',
  'in-production': 'in_production',
  'in-transit': 'in_transit',
  rejected: 'rejected',
  held: 'held',
};

export interface StockInput {
  data: PartsboxExport;
  /** The parts made by this run: only their history is new. */
  parts: PbPart[];
  /** Codes that some object carried before this run. */
  existing: Set<string>;
  report: ReportBuilder;
  /** Order id → the reference its lots keep (vendor and order number). */
  orderRefs: Map<string, string>;
}

/**
 * Replays each new part's `part/stock` through the stock services: the first entry that adds
 * to a lot receives it (keeping the PartsBox lot id as its code), later ones move, change
 * status, take out or add. Balances end as PartsBox's, and equal the ledger.
 */
export async function importStockHistory(
  ctx: Context,
  actor: Actor,
  input: StockInput,
  onProgress: (message: string) => void,
): Promise<void> {
  const { data, report } = input;
  const lots = new Map(data.lot.map((l) => [l['lot/id'], l]));
  const storages = new Set(data.storage.map((s) => s['storage/id']));
  const lotOwners = new Map<string, string>();
  const received = new Set<string>();
  for (const [n, part] of input.parts.entries()) {
    const partId = part['part/id'];
    const where = `part.json: part ${partId}: part/stock`;
    const entries: HistoryEntry[] = [];
    const lotIds = new Map<string, string | null>();
    for (const [i, e] of (part['part/stock'] ?? []).entries()) {
      const key = (k: string) => `${where}.${i}.${k}`;
      const storage = e['stock/storage-id'];
      const label = `${partId} part/stock.${i}`;
      if (!storage) {
        report.skip(
          'stock',
          label,
          part['part/name'] ?? '',
          'no storage location (ordered, not received): Tracelot keeps stock at a location',
        );
        continue;
      }
      if (!storages.has(storage))
        throw new ValidationError(
          key('stock/storage-id'),
          `names storage ${storage}, which storage.json does not list`,
        );
      const status = e['stock/status'] ? STATUSES[e['stock/status']] : 'on_hand';
      if (!status)
        throw new ValidationError(
          key('stock/status'),
          `'${e['stock/status']}' is none of ${Object.keys(STATUSES).join(', ')} (or none: on hand)`,
        );
      if (e['stock/quantity'] === 0) {
        report.skip('stock', label, part['part/name'] ?? '', 'quantity 0 changes nothing');
        continue;
      }
      const lotId = e['stock/lot-id'] ?? null;
      const lot = lotId ? report.code('lot', lotId) : report.code('lot', noLot(partId));
      const owner = lotOwners.get(lot);
      if (owner !== undefined && owner !== partId)
        throw new ValidationError(
          key('stock/lot-id'),
          `lot ${lotId} holds part ${owner} already: a lot is of one part`,
        );
      lotOwners.set(lot, partId);
      if (input.existing.has(lot)) {
        report.skip('stock', label, part['part/name'] ?? '', `lot ${lotId} was imported already`);
        continue;
      }
      lotIds.set(lot, lotId);
      entries.push({
        index: i,
        lot,
        location: report.code('storage', storage),
        status,
        quantity: e['stock/quantity'],
        timestamp: e['stock/timestamp'],
        comments: [e['stock/comments'], e['stock/order-id'] ? `order ${e['stock/order-id']}` : null]
          .filter(Boolean)
          .join('; '),
      });
    }
    const { steps } = planStockHistory(
      entries,
      (index, reason) => new ValidationError(`${where}.${index}.stock/quantity`, reason),
    );
    for (const step of steps) {
      const lotId = lotIds.get(step.entry.lot) ?? null;
      const fields = lotId ? lots.get(lotId) : undefined;
      await at(`${where}.${step.entry.index}`, () =>
        runStep(
          ctx,
          actor,
          step,
          report.code('part', partId),
          lotFields(fields, lotId, input.orderRefs),
        ),
      );
      if (step.op === 'receive') received.add(lotId ?? step.entry.lot);
    }
    report.count('stock', entries.length);
    if ((n + 1) % 100 === 0) onProgress(`stock history: ${n + 1} of ${input.parts.length} parts`);
  }
  report.count('lot', received.size);
  for (const lot of data.lot) {
    if (received.has(lot['lot/id'])) continue;
    const reason = input.existing.has(report.code('lot', lot['lot/id']))
      ? 'already imported'
      : 'no stock entry of a new part names it, so there is nothing to receive';
    report.skip('lot', lot['lot/id'], lot['lot/name'] ?? '', reason);
  }
}

async function runStep(
  ctx: Context,
  actor: Actor,
  step: StockStep,
  part: string,
  lot: ReturnType<typeof lotFields>,
): Promise<unknown> {
  const e = step.entry;
  const note =
    `PartsBox ${new Date(e.timestamp).toISOString()}${e.comments ? `: ${e.comments}` : ''}`.slice(
      0,
      1000,
    );
  const source = { lot: e.lot, location: e.location, status: e.status, note };
  switch (step.op) {
    case 'receive':
      return receiveStock(
        ctx,
        actor,
        [{ part, location: e.location, quantity: step.quantity, status: e.status, lot, note }],
        [e.lot],
      );
    case 'add':
      return adjustStock(ctx, actor, { ...source, count: step.count });
    case 'remove':
      return removeStock(ctx, actor, { ...source, quantity: step.quantity });
    case 'move':
      return moveStock(ctx, actor, { ...source, to: step.to, quantity: step.quantity });
    case 'status':
      return changeStockStatus(ctx, actor, { ...source, to: step.to, quantity: step.quantity });
  }
}

/** A received lot's fields from lot.json (none for stock that PartsBox kept without a lot). */
function lotFields(lot: PbLot | undefined, lotId: string | null, orderRefs: Map<string, string>) {
  if (!lot) return lotId ? {} : { description: 'PartsBox stock without a lot' };
  const expiry = lot['lot/expiration-date'];
  const order = lot['lot/order-id'];
  return {
    name: lot['lot/name'] ?? '',
    description: lot['lot/description'] ?? '',
    comments: lot['lot/comments'] ?? '',
    expiry: expiry ? new Date(expiry).toISOString().slice(0, 10) : null,
    orderRef: order ? (orderRefs.get(order) ?? order) : '',
    tags: lot['lot/tags'] ?? [],
    customFields: fieldsOf(lot['lot/custom-fields']),
  };
}
