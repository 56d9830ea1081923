import { findBuildRow } from '../builds/build.repository.js';
import { now, withDb, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { shortCode } from '../domain/code.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { QUANTITY_SCALE } from '../domain/quantity.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { getLocationRow } from '../locations/location.service.js';
import { closeShipmentUnit, findOpenShipmentUnit } from '../shipments/shipment.repository.js';
import { recordMovements, takeOutBalances, type LedgerOperation } from '../stock/ledger.js';
import { balancesOfLots } from '../stock/stock.repository.js';
import { listFailing, requiredTestsFailing } from '../test-results/test-gate.service.js';
import {
  ReleaseRequest,
  RepairRequest,
  ReturnRequest,
  UnitScrapRequest,
  type UnitStatus,
} from './unit.schemas.js';
import { insertServiceEvent } from './service-event.repository.js';
import { type UnitRow } from './unit.repository.js';
import { getUnitRow, getUnitStatus, moveUnit } from './unit.service.js';
import { requireSignature, verifySignature } from '../signatures/signature.service.js';

/**
 * Why a unit may not become available yet, or null when it may. Called when a repaired unit is
 * released; an explicit override (with a note, recorded) goes past it.
 */
export type ReleaseGate = (ctx: Context, unit: UnitRow) => Promise<string | null>;

/**
 * The release gate in force: when the unit's project requires passed tests before a unit becomes
 * available, every required test of its part must have passed (its latest result).
 */
export const releaseGate: ReleaseGate = async (ctx, unit) => {
  const build = unit.build_code ? await findBuildRow(ctx.db, unit.build_code) : undefined;
  if (!build) return null;
  const failing = await requiredTestsFailing(ctx.db, build.project_code, [unit.code]);
  if (failing.length === 0) return null;
  return `required tests not passed: ${listFailing(failing)}`;
};

/**
 * A customer sent a shipped unit back: it comes back into stock at a location, held (so no build
 * picks it up before it is looked at), its shipment row is closed with the reason, and a
 * `return` service event records the reason in its service history.
 */
export async function returnUnit(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: ReturnRequest,
): Promise<UnitStatus> {
  const data = parseInput(ReturnRequest, input);
  const at = now(ctx);
  const code = await inTransaction(ctx.db, async (db) => {
    const tctx = withDb(ctx, db);
    const unit = await getUnitRow(tctx, ref, 'code');
    const location = await getLocationRow(tctx, data.location, 'location');
    await moveUnit(db, unit, 'return', 'code');
    const out = await findOpenShipmentUnit(db, unit.code);
    if (
      !out ||
      !(await closeShipmentUnit(db, out.shipment_code, unit.code, returned(at, actor, data.reason)))
    ) {
      throw new ConflictError(`unit ${shortCode(unit.code)} is in no open shipment`, 'code');
    }
    const key = { lot_code: unit.code, location_code: location.code, status: 'held' as const };
    await recordMovements(
      db,
      {
        operation: ctx.newCode(),
        type: 'returned',
        actor,
        at,
        note: data.reason,
        ref: out.shipment_code,
      },
      [{ ...key, part_code: unit.part_code, quantity: QUANTITY_SCALE }],
    );
    const event = ctx.newCode();
    await insertServiceEvent(db, {
      code: event,
      lot_code: unit.code,
      type: 'return',
      text: data.reason,
      actor_code: actor.code,
      actor_name: actor.name,
      created_at: at,
    });
    await appendHistory(db, actor, at, [
      {
        subjectCode: unit.code,
        type: 'returned',
        data: { shipment: out.shipment_code, reason: data.reason, location: location.code },
      },
      {
        subjectCode: out.shipment_code,
        type: 'returned',
        data: { unit: unit.code, reason: data.reason },
      },
    ]);
    return unit.code;
  });
  return getUnitStatus(ctx, code);
}

function returned(at: string, actor: Actor, reason: string) {
  return { returned_at: at, returned_by: actor.name, return_reason: reason };
}

/** A returned unit goes into repair (a unit in stock must be returned first: no shortcut). */
export async function startRepair(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: RepairRequest,
): Promise<UnitStatus> {
  const { note } = parseInput(RepairRequest, input);
  const at = now(ctx);
  const code = await inTransaction(ctx.db, async (db) => {
    const unit = await getUnitRow(withDb(ctx, db), ref, 'code');
    await moveUnit(db, unit, 'start_repair', 'code');
    await appendHistory(db, actor, at, [
      { subjectCode: unit.code, type: 'repair_started', data: { note } },
    ]);
    return unit.code;
  });
  return getUnitStatus(ctx, code);
}

/**
 * A repaired unit becomes available again: its held stock becomes on hand (at `location` when
 * given). The release gate may refuse; `override` with a note goes past it, and both the
 * override and the gate's reason are recorded in the unit's history.
 */
export async function releaseUnit(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: ReleaseRequest,
  gate: ReleaseGate = releaseGate,
): Promise<UnitStatus> {
  const data = parseInput(ReleaseRequest, input);
  if (data.override && !data.note) {
    throw new ValidationError('note', 'an override needs a note saying why');
  }
  const at = now(ctx);
  const signature = await verifySignature(ctx, actor, ['released'], data.signature);
  const code = await inTransaction(ctx.db, async (db) => {
    const tctx = withDb(ctx, db);
    const unit = await getUnitRow(tctx, ref, 'code');
    await requireSignature(db, ['released'], signature, at);
    const target = data.location
      ? (await getLocationRow(tctx, data.location, 'location')).code
      : undefined;
    const blocked = unit.unit_state === 'in_repair' ? await gate(tctx, unit) : null;
    if (blocked !== null && !data.override) {
      throw new ConflictError(
        `unit ${shortCode(unit.code)} cannot be released: ${blocked} (release with override and a note to go ahead)`,
        'override',
      );
    }
    await moveUnit(db, unit, 'release', 'code');
    const moved = await changeStatus(ctx, db, actor, unit, at, target, data.note);
    await appendHistory(db, actor, at, [
      {
        subjectCode: unit.code,
        type: 'released',
        data: {
          note: data.note,
          location: target ?? moved,
          override: data.override,
          ...(blocked !== null ? { gate: blocked } : {}),
        },
      },
    ]);
    return unit.code;
  });
  return getUnitStatus(ctx, code);
}

/** Every balance of the unit not on hand becomes on hand (at `target`, or where it lies). */
async function changeStatus(
  ctx: Context,
  db: Database,
  actor: Actor,
  unit: UnitRow,
  at: string,
  target: string | undefined,
  note: string,
): Promise<string | null> {
  const balances = (await balancesOfLots(db, [unit.code])).filter(
    (b) => b.status !== 'on_hand' || (target !== undefined && b.location_code !== target),
  );
  if (balances.length === 0) return null;
  const op: LedgerOperation = {
    operation: ctx.newCode(),
    type: 'status_changed',
    actor,
    at,
    note,
  };
  const put = balances.map((b) => ({
    lot_code: b.lot_code,
    location_code: target ?? b.location_code,
    status: 'on_hand' as const,
    part_code: b.part_code,
    quantity: b.quantity,
  }));
  await recordMovements(
    db,
    op,
    [...balances.map((b) => ({ ...b, quantity: -b.quantity })), ...put],
    () => new ConflictError('the unit changed meanwhile; try again', 'code'),
  );
  return put[0]!.location_code;
}

/**
 * Scraps a unit that is in stock, returned or in repair: its stock leaves, its history stays.
 * (A unit still in production is scrapped through its build.)
 */
export async function scrapUnitRecord(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: UnitScrapRequest,
): Promise<UnitStatus> {
  const { reason } = parseInput(UnitScrapRequest, input);
  const at = now(ctx);
  const code = await inTransaction(ctx.db, async (db) => {
    const unit = await getUnitRow(withDb(ctx, db), ref, 'code');
    const from = unit.unit_state;
    await moveUnit(db, unit, 'scrap', 'code');
    const balances = await balancesOfLots(db, [unit.code]);
    await takeOutBalances(
      db,
      { operation: ctx.newCode(), type: 'scrapped', actor, at, note: reason },
      balances,
      () => new ConflictError('the unit changed meanwhile; try again', 'code'),
    );
    await appendHistory(db, actor, at, [
      { subjectCode: unit.code, type: 'unit_scrapped', data: { reason, from } },
    ]);
    return unit.code;
  });
  return getUnitStatus(ctx, code);
}
