import type { Insertable } from 'kysely';
import { z } from 'zod';
import { addAttributes, validateAttributes } from '../attributes/attribute.service.js';
import { loadAttributes } from '../attributes/attribute.repository.js';
import { now, withDb, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import type { LotTable } from '../db/schema.js';
import { locationsOfOtherSites } from '../db/site.repository.js';
import { parseCode, shortCode } from '../domain/code.js';
import { parseDate } from '../domain/date.js';
import {
  InsufficientStockError,
  NotFoundError,
  ValidationError,
  ConflictError,
} from '../domain/errors.js';
import { formatQuantity, parseQuantity, toUnits } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import type { StockEntryType, StockStatus } from '../domain/stock-status.js';
import { parseInput } from '../domain/validate.js';
import { existingLocationCodes } from '../locations/location.repository.js';
import { getLocationRow } from '../locations/location.service.js';
import { insertLots, lockLots, type LotWithPart } from '../lots/lot.repository.js';
import type { LotFields } from '../lots/lot.schemas.js';
import { getLotRow } from '../lots/lot.service.js';
import { findPartUnits } from '../parts/part.repository.js';
import {
  recordCount,
  recordMovements,
  recordNewStock,
  type LedgerOperation,
  type Movement,
} from './ledger.js';
import {
  findLedgerMismatches,
  listLotBalances,
  listStockRows,
  type BalanceKey,
} from './stock.repository.js';
import {
  AdjustRequest,
  MoveRequest,
  ReceiveItem,
  RemoveRequest,
  SplitRequest,
  StatusRequest,
  StockQuery,
  type CheckResult,
  type OperationResult,
  type ReceiveResult,
  type StockPage,
} from './stock.schemas.js';

const ReceiveItems = z.array(ReceiveItem).min(1);

/**
 * Receives stock: every item becomes a new lot with one ledger entry, all in one transaction
 * of multi-row statements (a failed item changes nothing). The lots get new codes, or the
 * `lotCodes` given (an import keeping another system's ids), item by item.
 */
export async function receiveStock(
  ctx: Context,
  actor: Actor,
  input: readonly ReceiveItem[],
  lotCodes: readonly string[] = [],
): Promise<ReceiveResult> {
  const items = parseInput(ReceiveItems, input, 'items');
  const operation = ctx.newCode();
  const at = now(ctx);
  return inTransaction(ctx.db, async (db) => {
    const partCodes = items.map((item, i) => parseCode(item.part, `items.${i}.part`));
    const locationCodes = items.map((item, i) => parseCode(item.location, `items.${i}.location`));
    const [units, locations] = await Promise.all([
      findPartUnits(db, [...new Set(partCodes)]),
      existingLocationCodes(db, [...new Set(locationCodes)]),
    ]);
    const lots: Insertable<LotTable>[] = [];
    const movements: Movement[] = [];
    const attributes: Parameters<typeof addAttributes>[1] = [];
    const result: ReceiveResult['lots'] = [];
    items.forEach((item, i) => {
      const part = partCodes[i]!;
      const location = locationCodes[i]!;
      const unit = units.get(part);
      if (!unit) throw new NotFoundError('part', part, `items.${i}.part`);
      if (!locations.has(location))
        throw new NotFoundError('location', location, `items.${i}.location`);
      const quantity = parseQuantity(item.quantity, `items.${i}.quantity`, {
        unit,
        sign: 'positive',
      });
      const fields = item.lot;
      const code = lotCodes[i] ?? ctx.newCode();
      lots.push({
        code,
        part_code: part,
        ...lotColumns(fields, `items.${i}.lot`),
        parent_code: null,
        created_at: at,
        updated_at: at,
      });
      movements.push({
        lot_code: code,
        location_code: location,
        status: item.status,
        part_code: part,
        quantity,
        note: item.note,
      });
      if (fields.tags || fields.customFields) {
        attributes.push({ code, ...validateAttributes(fields, `items.${i}.lot`) });
      }
      result.push({
        code,
        shortCode: shortCode(code),
        part,
        location,
        status: item.status,
        quantity: toUnits(quantity),
      });
    });
    await insertLots(db, lots);
    await recordNewStock(db, { operation, type: 'received', actor, at, note: '' }, movements);
    await addAttributes(db, attributes);
    return { operation, lots: result };
  });
}

/** Moves stock of a lot to another location; the lot stays the same. */
export async function moveStock(
  ctx: Context,
  actor: Actor,
  input: MoveRequest,
): Promise<OperationResult> {
  const data = parseInput(MoveRequest, input);
  return stockOperation(ctx, actor, data.lot, async (db, lot, op) => {
    const to = await op.location(data.to, 'to');
    const source = await op.source(data.location, data.status);
    if (source.location_code === to)
      throw new ValidationError('to', 'is where the stock lies already');
    const target = { ...source, location_code: to, status: await arrivalStatus(db, to, source) };
    await op.transfer('moved', source, target, data.quantity, data.note);
    return [lot.code];
  });
}

/**
 * Splits part of a lot into a new lot that records its parent and inherits its fields,
 * tags and custom fields (each can be overridden).
 */
export async function splitLot(
  ctx: Context,
  actor: Actor,
  input: SplitRequest,
): Promise<OperationResult> {
  const data = parseInput(SplitRequest, input);
  return stockOperation(ctx, actor, data.lot, async (db, lot, op) => {
    const source = await op.source(data.location, data.status);
    const to = data.to ? await op.location(data.to, 'to') : source.location_code;
    const override = data.lotFields ?? {};
    const inherited = (await loadAttributes(db, [lot.code])).get(lot.code)!;
    const child = ctx.newCode();
    await insertLots(db, [
      {
        code: child,
        part_code: lot.part_code,
        ...lotColumns(
          {
            name: lot.name,
            description: lot.description,
            comments: lot.comments,
            expiry: lot.expiry,
            vendorLot: lot.vendor_lot,
            dateCode: lot.date_code,
            orderRef: lot.order_ref,
            ...override,
          },
          'lotFields',
        ),
        parent_code: lot.code,
        created_at: op.at,
        updated_at: op.at,
      },
    ]);
    await addAttributes(db, [
      { code: child, ...validateAttributes({ ...inherited, ...override }) },
    ]);
    const status = await arrivalStatus(db, to, source);
    const target = { lot_code: child, location_code: to, status };
    await op.transfer('split', source, target, data.quantity, data.note);
    return [lot.code, child];
  });
}

export async function removeStock(
  ctx: Context,
  actor: Actor,
  input: RemoveRequest,
): Promise<OperationResult> {
  const data = parseInput(RemoveRequest, input);
  return stockOperation(ctx, actor, data.lot, async (db, lot, op) => {
    const source = await op.source(data.location, data.status);
    await op.transfer('removed', source, null, data.quantity, data.note);
    return [lot.code];
  });
}

/** Records a count: the balance becomes `count`, the ledger gets the difference (0 confirms a count). */
export async function adjustStock(
  ctx: Context,
  actor: Actor,
  input: AdjustRequest,
): Promise<OperationResult> {
  const data = parseInput(AdjustRequest, input);
  return stockOperation(ctx, actor, data.lot, async (db, lot, op) => {
    const location = await op.location(data.location, 'location');
    const count = parseQuantity(data.count, 'count', {
      unit: lot.part_unit,
      sign: 'nonNegative',
    });
    const key = { lot_code: lot.code, location_code: location, status: data.status };
    const current = (await listLotBalances(db, [lot.code])).find(
      (b) => b.location_code === location && b.status === data.status,
    );
    await recordCount(
      db,
      op.ledger('adjusted', data.note),
      { ...key, part_code: lot.part_code },
      current ? Number(current.quantity) : undefined,
      count,
      () => new ConflictError('the balance changed while counting; count again', 'count'),
    );
    return [lot.code];
  });
}

export async function changeStockStatus(
  ctx: Context,
  actor: Actor,
  input: StatusRequest,
): Promise<OperationResult> {
  const data = parseInput(StatusRequest, input);
  return stockOperation(ctx, actor, data.lot, async (db, lot, op) => {
    const source = await op.source(data.location, data.status);
    if (data.to === source.status)
      throw new ValidationError('to', `the stock is ${data.to} already`);
    await op.transfer(
      'status_changed',
      source,
      { ...source, status: data.to },
      data.quantity,
      data.note,
    );
    return [lot.code];
  });
}

export async function listStock(ctx: Context, query: StockQuery): Promise<StockPage> {
  const filter = parseInput(StockQuery, query);
  const { rows, total } = await listStockRows(ctx.db, {
    ...filter,
    part: filter.part && parseCode(filter.part, 'part'),
    location: filter.location && parseCode(filter.location, 'location'),
    lot: filter.lot && parseCode(filter.lot, 'lot'),
  });
  return {
    items: rows.map((r) => ({
      lot: {
        code: r.lot_code,
        shortCode: shortCode(r.lot_code),
        name: r.lot_name,
        expiry: r.expiry,
      },
      part: { code: r.part_code, name: r.part_name, unit: r.unit },
      location: { code: r.location_code, name: r.location_name },
      status: r.status,
      quantity: toUnits(Number(r.quantity)),
    })),
    total,
    limit: filter.limit,
    offset: filter.offset,
  };
}

/** Invariant 2: every balance equals the sum of its ledger entries. */
export async function checkLedger(ctx: Context): Promise<CheckResult> {
  const { mismatches, wrongPart, belowZero, balances, entries } = await findLedgerMismatches(
    ctx.db,
  );
  const all = [
    ...mismatches.map((m) => ({
      ...m,
      balance: Number(m.balance),
      ledger: Number(m.ledger),
      problem: 'balance differs from the sum of the ledger',
    })),
    ...wrongPart.map((m) => ({
      ...m,
      balance: Number(m.quantity),
      ledger: Number(m.quantity),
      problem: 'balance names another part than its lot',
    })),
    ...belowZero.map((m) => ({
      ...m,
      balance: Number(m.quantity),
      ledger: Number(m.quantity),
      problem:
        'balance below zero: two sites took this stock apart; resolve the conflict (tracelot sync conflicts)',
    })),
  ];
  return {
    ok: all.length === 0,
    balances,
    entries,
    mismatches: all.map((m) => ({
      lot: m.lot_code,
      location: m.location_code,
      status: m.status,
      balance: toUnits(m.balance),
      ledger: toUnits(m.ledger),
      problem: m.problem,
    })),
  };
}

interface Operation {
  at: string;
  /** The balance a quantity is taken from (see findSource). */
  source(locationRef: string | undefined, status: StockStatus): Promise<BalanceKey>;
  /** A location's code by any form of it; NotFoundError naming `field`. */
  location(ref: string, field: string): Promise<string>;
  /** The ledger's operation for entries of this type and note. */
  ledger(type: StockEntryType, note: string): LedgerOperation;
  /**
   * Takes a quantity (all of it when not given) out of one balance and puts it into another
   * (`to` null: out of stock), through the ledger; returns the quantity in millionths.
   */
  transfer(
    type: StockEntryType,
    from: BalanceKey,
    to: BalanceKey | null,
    requested: unknown,
    note: string,
  ): Promise<number>;
}

/** One stock operation on one lot: a transaction, an operation code, the ledger writer. */
async function stockOperation(
  ctx: Context,
  actor: Actor,
  lotRef: string,
  fn: (db: Database, lot: LotWithPart, op: Operation) => Promise<string[]>,
): Promise<OperationResult> {
  const operation = ctx.newCode();
  const at = now(ctx);
  return inTransaction(ctx.db, async (db) => {
    const lot = await getLotRow(withDb(ctx, db), lotRef, 'lot');
    await lockLots(db, [lot.code]);
    const op: Operation = {
      at,
      source: (locationRef, status) => findSource(db, lot, locationRef, status),
      location: async (ref, field) => (await getLocationRow(withDb(ctx, db), ref, field)).code,
      ledger: (type, note) => ({ operation, type, actor, at, note }),
      async transfer(type, from, to, requested, note) {
        const quantity =
          requested === undefined
            ? await heldAt(db, lot, from)
            : parseQuantity(requested, 'quantity', {
                unit: lot.part_unit,
                sign: 'positive',
              });
        const refused = async () => insufficient(db, lot, from, requested, quantity);
        if (quantity === 0) throw await refused();
        const movements: Movement[] = [{ ...from, part_code: lot.part_code, quantity: -quantity }];
        if (to) movements.push({ ...to, part_code: lot.part_code, quantity });
        await recordMovements(db, op.ledger(type, note), movements, refused);
        return quantity;
      },
    };
    return { operation, lots: await fn(db, lot, op) };
  });
}

/** The balance a quantity is taken from: the named location, or the only one holding stock. */
async function findSource(
  db: Database,
  lot: LotWithPart,
  locationRef: string | undefined,
  status: StockStatus,
): Promise<BalanceKey> {
  if (locationRef !== undefined) {
    return { lot_code: lot.code, location_code: parseCode(locationRef, 'location'), status };
  }
  const places = (await listLotBalances(db, [lot.code])).filter((b) => b.status === status);
  if (places.length === 1)
    return { lot_code: lot.code, location_code: places[0]!.location_code, status };
  if (places.length === 0) {
    throw new InsufficientStockError(
      `lot ${shortCode(lot.code)} holds no ${status} stock`,
      'quantity',
    );
  }
  throw new ValidationError(
    'location',
    `lot ${shortCode(lot.code)} lies in ${places.length} places (${places.map((p) => p.location_name).join(', ')}): name one`,
  );
}

/** What a balance of the lot holds now (0 when it does not exist). */
/**
 * The status stock arrives in at `location`: its status, or in transit at another site's
 * location, which that site then receives (DESIGN.md "Sites").
 */
async function arrivalStatus(
  db: Database,
  location: string,
  source: BalanceKey,
): Promise<StockStatus> {
  const [other] = await locationsOfOtherSites(db, [location]);
  return other ? 'in_transit' : source.status;
}

async function heldAt(db: Database, lot: LotWithPart, source: BalanceKey): Promise<number> {
  return Number(
    (await listLotBalances(db, [lot.code])).find(
      (b) => b.location_code === source.location_code && b.status === source.status,
    )?.quantity ?? 0,
  );
}

/** Taking `quantity` out of a balance failed: the error names what the balance holds. */
async function insufficient(
  db: Database,
  lot: LotWithPart,
  source: BalanceKey,
  requested: unknown,
  quantity: number,
): Promise<InsufficientStockError> {
  const available = await heldAt(db, lot, source);
  return new InsufficientStockError(
    `lot ${shortCode(lot.code)} holds ${formatQuantity(available)} ${lot.part_unit} ${source.status} there; ${
      requested === undefined ? 'nothing to take' : `${formatQuantity(quantity)} requested`
    }`,
    'quantity',
  );
}

/** Lot columns from the API's lot fields (dates checked). */
function lotColumns(fields: z.output<typeof LotFields>, field: string) {
  return {
    name: fields.name ?? '',
    description: fields.description ?? '',
    comments: fields.comments ?? '',
    expiry: fields.expiry ? parseDate(fields.expiry, `${field}.expiry`) : null,
    vendor_lot: fields.vendorLot ?? '',
    date_code: fields.dateCode ?? '',
    order_ref: fields.orderRef ?? '',
  };
}
