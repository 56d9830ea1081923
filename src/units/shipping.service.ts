/**
 * Shipping is the lifecycle's `ship` transition, so it lives with the other transitions (return,
 * repair, release, scrap) in units: units read and write shipments through the shipments
 * repository, and shipments, the record of what went where, never imports units.
 */
import { groupBy } from '../domain/collections.js';
import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { mapUniqueViolation } from '../db/errors.js';
import { parseCode, shortCode } from '../domain/code.js';
import { parseDate } from '../domain/date.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { TransitionError } from '../domain/unit-lifecycle.js';
import { unitState, type UnitState } from '../domain/unit-state.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { lockLots, moveUnitStates } from '../lots/lot.repository.js';
import {
  closeReversedUnits,
  findShipmentRow,
  insertShipment,
  insertShipmentUnits,
  listShipmentUnits,
  markShipmentReversed,
} from '../shipments/shipment.repository.js';
import { ShipmentCreate, ShipmentReverse, type Shipment } from '../shipments/shipment.schemas.js';
import { getShipment } from '../shipments/shipment.service.js';
import { recordMovements, takeOutBalances } from '../stock/ledger.js';
import { balancesOfLots, entriesOfRef } from '../stock/stock.repository.js';
import { findUnitRows, type UnitRow } from './unit.repository.js';
import { unitOf } from './unit.service.js';

/**
 * Ships available units to a customer, all or none: the units become shipped and leave stock
 * (a `shipped` ledger entry per balance, referring to the shipment). A unit whose stock is held
 * or rejected is not available (unitState). The state change is one guarded statement per 5,000
 * units (only units still available move), so of two requests shipping the same unit exactly one
 * succeeds; the other changes nothing and names the unit.
 */
export async function createShipment(
  ctx: Context,
  actor: Actor,
  input: ShipmentCreate,
): Promise<Shipment> {
  const data = parseInput(ShipmentCreate, input);
  const date = data.date ? parseDate(data.date, 'date') : ctx.clock().toISOString().slice(0, 10);
  const codes = data.units.map((u, i) => parseCode(u, `units.${i}`));
  const seen = new Map<string, number>();
  codes.forEach((c, i) => {
    const first = seen.get(c);
    if (first !== undefined)
      throw new ValidationError(
        `units.${i}`,
        `unit ${shortCode(c)} is listed twice (also at ${first})`,
      );
    seen.set(c, i);
  });
  const at = now(ctx);
  const code = ctx.newCode();
  await inTransaction(ctx.db, async (db) => {
    // Locked first, so that the states read below are the ones this shipment changes.
    await lockLots(db, codes);
    const rows = new Map((await findUnitRows(db, codes)).map((r) => [r.code, r]));
    codes.forEach((c, i) => {
      const row = rows.get(c);
      if (!row) throw new NotFoundError('unit', c, `units.${i}`);
      unitOf(row, `units.${i}`);
    });
    refuseUnavailable(statesOf(codes, rows));
    const moved = new Set(await moveUnitStates(db, codes, 'available', 'shipped'));
    if (moved.size < codes.length) {
      // Read again: a concurrent request may have moved a unit since it was read above.
      const current = new Map((await findUnitRows(db, codes)).map((r) => [r.code, r]));
      refuseUnavailable(statesOf(codes, current).filter((u) => !moved.has(u.code)));
      throw new ConflictError('a unit changed meanwhile; try again', 'units');
    }
    const balances = await balancesOfLots(db, codes);
    refuseStockNotShippable(codes, balances);
    await takeOutBalances(
      db,
      {
        operation: ctx.newCode(),
        type: 'shipped',
        actor,
        at,
        note: `${data.customer} ${data.reference}`,
        ref: code,
      },
      balances,
      () => new ConflictError('a unit changed meanwhile; try again', 'units'),
    );
    await insertShipment(db, {
      code,
      customer: data.customer,
      reference: data.reference,
      shipped_on: date,
      note: data.note,
      unit_count: codes.length,
      created_by_code: actor.code,
      created_by: actor.name,
      created_at: at,
    });
    await mapUniqueViolation(
      insertShipmentUnits(
        db,
        codes.map((lot, position) => ({
          shipment_code: code,
          lot_code: lot,
          position,
          returned_at: null,
          returned_by: null,
          return_reason: null,
        })),
      ),
      'shipment_unit_open',
      () => new ConflictError('a unit is in another open shipment already', 'units'),
    );
    const about = { customer: data.customer, reference: data.reference };
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'created', data: { ...about, units: codes.length } },
      ...codes.map((c) => ({
        subjectCode: c,
        type: 'shipped' as const,
        data: { shipment: code, ...about },
      })),
    ]);
  });
  return getShipment(ctx, code);
}

function statesOf(codes: string[], rows: Map<string, UnitRow>) {
  return codes.map((code, index) => {
    const row = rows.get(code)!;
    return { code, index, state: unitState(row.unit_state!, row.stock_aside) };
  });
}

/** Refuses units that are not available, naming the first and the state of each. */
function refuseUnavailable(units: { code: string; index: number; state: UnitState }[]): void {
  const stuck = units.filter((u) => u.state !== 'available');
  const first = stuck[0];
  if (!first) return;
  if (stuck.length === 1)
    throw new TransitionError(first.code, first.state, 'ship', `units.${first.index}`);
  throw new ConflictError(
    `${stuck.length} units are not available: ${stuck
      .slice(0, 20)
      .map((u) => `${shortCode(u.code)} is ${u.state.replace('_', ' ')}`)
      .join(', ')}${stuck.length > 20 ? ', …' : ''}`,
    `units.${first.index}`,
  );
}

/**
 * Only stock on hand ships: a unit with held, rejected or allocated stock was put aside for a
 * reason, and a unit with no stock at all is not here to ship.
 */
function refuseStockNotShippable(
  codes: string[],
  balances: { lot_code: string; status: string; quantity: number }[],
): void {
  const byUnit = groupBy(balances, (b) => b.lot_code);
  codes.forEach((code, i) => {
    const own = byUnit.get(code) ?? [];
    const aside = own.find((b) => b.status !== 'on_hand');
    if (aside)
      throw new ConflictError(
        `unit ${shortCode(code)} is ${aside.status.replace('_', ' ')} in stock: change its status to on hand first`,
        `units.${i}`,
      );
    if (own.length === 0)
      throw new ConflictError(`unit ${shortCode(code)} is not in stock`, `units.${i}`);
  });
}

/**
 * Reverses a shipment entered by mistake (a customer sending units back is a return, which
 * keeps the shipment): every unit becomes available again and its stock comes back where the
 * shipment took it from (a `shipment_reversed` ledger entry undoing each `shipped` one), the
 * shipment stays, marked reversed with who, when and why, and counts no more as a shipment of
 * its units. Refused (409), changing nothing, when it was reversed already or when a unit has
 * moved on since (returned, shipped again, scrapped): that later fact is not undone silently.
 * Two concurrent reversals: the guarded mark lets exactly one through.
 */
export async function reverseShipment(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: ShipmentReverse,
): Promise<Shipment> {
  const { reason } = parseInput(ShipmentReverse, input);
  const code = parseCode(ref);
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    const shipment = await findShipmentRow(db, code);
    if (!shipment) throw new NotFoundError('shipment', code, 'code');
    const reversed = () =>
      new ConflictError(`shipment ${shortCode(code)} is reversed already`, 'code');
    if (shipment.reversed_at !== null) throw reversed();
    const units = await listShipmentUnits(db, code);
    const codes = units.map((u) => u.lot_code);
    // Locked first (lockLots' one order), so that no return or scrap of a unit slips in between
    // the checks below and the writes.
    await lockLots(db, codes);
    if (
      !(await markShipmentReversed(db, code, {
        reversed_at: at,
        reversed_by_code: actor.code,
        reversed_by: actor.name,
        reverse_reason: reason,
      }))
    )
      throw reversed();
    const back = units.find((u) => u.returned_at !== null);
    if (back) {
      throw new ConflictError(
        `unit ${shortCode(back.lot_code)} came back from this shipment (returned ${back.returned_at}): a shipment whose units moved on cannot be reversed`,
        'code',
      );
    }
    const moved = new Set(await moveUnitStates(db, codes, 'shipped', 'available'));
    const rows = new Map((await findUnitRows(db, codes)).map((r) => [r.code, r]));
    const stuck = codes.find((c) => !moved.has(c));
    if (stuck !== undefined) {
      throw new ConflictError(
        `unit ${shortCode(stuck)} is ${rows.get(stuck)?.unit_state?.replace('_', ' ') ?? 'gone'} now: a shipment whose units moved on cannot be reversed`,
        'code',
      );
    }
    if ((await closeReversedUnits(db, code, at)) !== codes.length) {
      throw new ConflictError('a unit changed meanwhile; try again', 'code');
    }
    // The stock goes back exactly where and as it left: each shipped entry, negated.
    const shipped = await entriesOfRef(db, codes, code, 'shipped');
    await recordMovements(
      db,
      { operation: ctx.newCode(), type: 'shipment_reversed', actor, at, note: reason, ref: code },
      shipped.map((e) => ({
        lot_code: e.lot_code,
        location_code: e.location_code,
        status: e.status,
        part_code: e.part_code,
        quantity: -Number(e.quantity),
      })),
    );
    const about = { customer: shipment.customer, reference: shipment.reference, reason };
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'shipment_reversed', data: { ...about, units: codes.length } },
      ...codes.map((c) => ({
        subjectCode: c,
        type: 'shipment_reversed' as const,
        data: { shipment: code, ...about },
      })),
    ]);
  });
  return getShipment(ctx, code);
}
