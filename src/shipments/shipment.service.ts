import type { Context } from '../context.js';
import { parseCode, shortCode } from '../domain/code.js';
import { NotFoundError } from '../domain/errors.js';
import type { UnitState } from '../domain/unit-state.js';
import { parseInput } from '../domain/validate.js';
import { unitLabel } from '../domain/unit-label.js';
import {
  countReturned,
  findShipmentRow,
  listShipmentRows,
  listShipmentUnits,
  type ShipmentRow,
} from './shipment.repository.js';
import {
  ShipmentQuery,
  type Shipment,
  type ShipmentPage,
  type ShipmentSummary,
} from './shipment.schemas.js';

export async function getShipment(ctx: Context, ref: string): Promise<Shipment> {
  const code = parseCode(ref);
  const row = await findShipmentRow(ctx.db, code);
  if (!row) throw new NotFoundError('shipment', code, 'code');
  const units = await listShipmentUnits(ctx.db, code);
  const returned = units.filter((u) => u.returned_at !== null).length;
  return {
    ...toSummary(row, returned),
    units: units.map((u) => ({
      code: u.lot_code,
      shortCode: shortCode(u.lot_code),
      label: unitLabel(u),
      name: u.lot_name,
      part: { code: u.part_code, name: u.part_name },
      state: u.unit_state as UnitState,
      returnedAt: u.returned_at,
      returnReason: u.return_reason,
    })),
  };
}

export async function listShipments(ctx: Context, query: ShipmentQuery): Promise<ShipmentPage> {
  const filter = parseInput(ShipmentQuery, query);
  const q = filter.q?.trim();
  const { rows, total } = await listShipmentRows(ctx.db, { ...filter, q: q || undefined });
  const returned = await countReturned(
    ctx.db,
    rows.map((r) => r.code),
  );
  return {
    items: rows.map((r) => toSummary(r, returned.get(r.code) ?? 0)),
    total,
    limit: filter.limit,
    offset: filter.offset,
  };
}

function toSummary(row: ShipmentRow, returned: number): ShipmentSummary {
  return {
    code: row.code,
    shortCode: shortCode(row.code),
    customer: row.customer,
    reference: row.reference,
    date: row.shipped_on,
    note: row.note,
    unitCount: Number(row.unit_count),
    returnedCount: returned,
    createdBy: row.created_by,
    createdAt: row.created_at,
    reversed:
      row.reversed_at === null
        ? null
        : { at: row.reversed_at, by: row.reversed_by ?? '', reason: row.reverse_reason ?? '' },
  };
}
