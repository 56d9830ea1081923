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
import { insertShipment, insertShipmentUnits } from '../shipments/shipment.repository.js';
import { ShipmentCreate, type Shipment } from '../shipments/shipment.schemas.js';
import { getShipment } from '../shipments/shipment.service.js';
import { takeOutBalances } from '../stock/ledger.js';
import { balancesOfLots } from '../stock/stock.repository.js';
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
