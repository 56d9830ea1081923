import type { Context } from '../context.js';
import type { Database } from '../db/database.js';
import { parseCode, shortCode } from '../domain/code.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { parseInput } from '../domain/validate.js';
import {
  allowedOperations,
  LIFECYCLE,
  transition,
  TransitionError,
  type LifecycleOperation,
} from '../domain/unit-lifecycle.js';
import { unitState, type UnitState } from '../domain/unit-state.js';
import { unitLabel } from '../domain/unit-label.js';
import { moveUnitStates } from '../lots/lot.repository.js';
import { findLatestShipmentsOf, type LatestShipment } from '../shipments/shipment.repository.js';
import type { TestStatus } from '../test-results/test-result.schemas.js';
import { unitTestStatuses } from '../test-results/unit-test-status.service.js';
import { findUnitRows, type UnitRow } from './unit.repository.js';
import { UnitStatusRequest, type UnitStatus, type UnitStatusList } from './unit.schemas.js';

/** A unit by any form of its code; a lot without a lifecycle (not a device) is refused. */
export type Unit = UnitRow & { unit_state: UnitState };

export async function getUnitRow(ctx: Context, ref: string, field = 'unit'): Promise<Unit> {
  const code = parseCode(ref, field);
  const [row] = await findUnitRows(ctx.db, [code]);
  if (!row) throw new NotFoundError('unit', code, field);
  return unitOf(row, field);
}

export function unitOf(row: UnitRow, field: string): Unit {
  if (row.unit_state === null) {
    throw new ValidationError(
      field,
      `lot ${shortCode(row.code)} is not a unit (a serialized build's lot of one)`,
    );
  }
  return row as Unit;
}

/**
 * Moves one unit through the lifecycle: checks the transition, then changes the state with a
 * guarded update, so a concurrent request that moved the unit first makes this one fail.
 */
export async function moveUnit(
  db: Database,
  unit: Unit,
  operation: LifecycleOperation,
  field = 'unit',
): Promise<UnitState> {
  // The lifecycle moves the stored state; a refusal names the state the unit shows (held…).
  if (!LIFECYCLE[operation].from.includes(unit.unit_state))
    throw new TransitionError(
      unit.code,
      unitState(unit.unit_state, unit.stock_aside),
      operation,
      field,
    );
  const to = transition(unit.code, unit.unit_state, operation, field);
  const moved = await moveUnitStates(db, [unit.code], unit.unit_state, to);
  if (moved.length === 1) return to;
  const [current] = await findUnitRows(db, [unit.code]);
  const state = current?.unit_state ?? unit.unit_state;
  throw new TransitionError(unit.code, state, operation, field);
}

/** A unit's lifecycle state, what it allows now, and the shipment it last went out in. */
export async function getUnitStatus(ctx: Context, ref: string): Promise<UnitStatus> {
  const unit = await getUnitRow(ctx, ref, 'code');
  const [shipments, tests] = await Promise.all([
    findLatestShipmentsOf(ctx.db, [unit.code]),
    unitTestStatuses(ctx.db, [unit.code]),
  ]);
  return toUnitStatus(unit, shipments.get(unit.code), tests.get(unit.code));
}

/**
 * The status of many units in two queries, in the order asked: what a scan list needs before
 * shipping the units or completing a stage for them. A code that is no unit is answered in
 * `notUnits` with the reason, instead of failing the whole lookup; text that is no code is a 400.
 */
export async function getUnitStatuses(
  ctx: Context,
  input: UnitStatusRequest,
): Promise<UnitStatusList> {
  const { codes: refs } = parseInput(UnitStatusRequest, input);
  const codes = [...new Set(refs.map((ref, i) => parseCode(ref, `codes.${i}`)))];
  const rows = new Map((await findUnitRows(ctx.db, codes)).map((row) => [row.code, row]));
  const units: Unit[] = [];
  const notUnits: UnitStatusList['notUnits'] = [];
  for (const code of codes) {
    const row = rows.get(code);
    if (row?.unit_state != null) units.push(row as Unit);
    else
      notUnits.push({
        code,
        reason: row ? "is a lot, not a unit (a serialized build's lot of one)" : 'not found',
      });
  }
  const found = units.map((u) => u.code);
  const [shipments, tests] = await Promise.all([
    findLatestShipmentsOf(ctx.db, found),
    unitTestStatuses(ctx.db, found),
  ]);
  return {
    units: units.map((unit) => toUnitStatus(unit, shipments.get(unit.code), tests.get(unit.code))),
    notUnits,
  };
}

function toUnitStatus(
  unit: Unit,
  shipment: LatestShipment | undefined,
  tests: TestStatus | undefined,
): UnitStatus {
  const state = unitState(unit.unit_state, unit.stock_aside);
  return {
    code: unit.code,
    shortCode: shortCode(unit.code),
    label: unitLabel(unit),
    build:
      unit.build_code !== null && unit.build_serial !== null
        ? {
            code: unit.build_code,
            shortCode: shortCode(unit.build_code),
            serial: unit.build_serial,
          }
        : null,
    part: { code: unit.part_code, name: unit.part_name },
    state,
    allowed: allowedOperations(state),
    tests: tests ?? null,
    shipment: shipment
      ? {
          code: shipment.code,
          shortCode: shortCode(shipment.code),
          customer: shipment.customer,
          reference: shipment.reference,
          date: shipment.shipped_on,
          returnedAt: shipment.returned_at,
          returnReason: shipment.return_reason,
        }
      : null,
  };
}
