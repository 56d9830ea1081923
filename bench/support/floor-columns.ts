import { benchActor } from './dataset.js';
import type { FloorWriter } from './floor-writer.js';

/**
 * The columns the floors insert, in the order of their positional rows: the tables' columns as
 * the services fill them (src/db/schema.ts), so a floor writes what a service writes.
 */

export const OBJECT_CODE_COLUMNS = ['code', 'kind'] as const;
export const LOT_COLUMNS = [
  'code',
  'part_code',
  'name',
  'description',
  'comments',
  'expiry',
  'vendor_lot',
  'date_code',
  'order_ref',
  'parent_code',
  'created_at',
  'updated_at',
  'build_code',
  'build_serial',
  'unit_state',
] as const;

export const BALANCE_COLUMNS = [
  'lot_code',
  'location_code',
  'status',
  'part_code',
  'quantity',
] as const;

import { ENTRY_COLUMNS } from '../../src/stock/ledger.repository.js';

export { ENTRY_COLUMNS };

/** A lot row as the services write it: the fields not given are empty. */
export const lotRow = (
  code: string,
  part: string,
  at: string,
  more: {
    vendorLot?: string;
    dateCode?: string;
    orderRef?: string;
    build?: string;
    buildSerial?: number;
    unitState?: string;
  } = {},
) => [
  code,
  part,
  '',
  '',
  '',
  null,
  more.vendorLot ?? '',
  more.dateCode ?? '',
  more.orderRef ?? '',
  null,
  at,
  at,
  more.build ?? null,
  more.buildSerial ?? null,
  more.unitState ?? null,
];

/** A ledger entry by the bench actor, without a note; `ref`: the build it belongs to. */
export const entryRow = (
  operation: string,
  type: string,
  balance: { lot: string; part: string; location: string; status: string },
  quantity: number,
  at: string,
  ref: string | null = null,
) => [
  operation,
  type,
  balance.lot,
  balance.part,
  balance.location,
  balance.status,
  quantity,
  ref,
  '',
  benchActor.code,
  benchActor.name,
  at,
];

/** The rows of a received lot: its code, the lot, its balance and its `received` entry. */
export function receivedLotRows(
  operation: string,
  at: string,
  lot: { code: string; part: string; location: string; quantity: number },
  fields: Parameters<typeof lotRow>[3] = {},
) {
  const balance = { lot: lot.code, part: lot.part, location: lot.location, status: 'on_hand' };
  return {
    objectCode: [lot.code, 'lot'],
    lot: lotRow(lot.code, lot.part, at, fields),
    balance: [lot.code, lot.location, 'on_hand', lot.part, lot.quantity],
    entry: entryRow(operation, 'received', balance, lot.quantity, at),
  };
}

/** Inserts received lots' rows (see receivedLotRows), a table at a time. */
export async function insertReceivedLots(
  w: FloorWriter,
  rows: ReturnType<typeof receivedLotRows>[],
): Promise<void> {
  await w.insert(
    'object_code',
    OBJECT_CODE_COLUMNS,
    rows.map((r) => r.objectCode),
  );
  await w.insert(
    'lot',
    LOT_COLUMNS,
    rows.map((r) => r.lot),
  );
  await w.insert(
    'stock_balance',
    BALANCE_COLUMNS,
    rows.map((r) => r.balance),
  );
  await w.insert(
    'stock_entry',
    ENTRY_COLUMNS,
    rows.map((r) => r.entry),
  );
}
