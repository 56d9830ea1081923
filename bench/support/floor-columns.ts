import { benchActor } from './dataset.js';

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

export { ENTRY_COLUMNS } from '../../src/stock/ledger.repository.js';

export const HISTORY_COLUMNS = [
  'subject_code',
  'type',
  'data',
  'actor_code',
  'actor_name',
  'created_at',
] as const;

/** A history event as the floors write it, by the bench actor. */
export const historyRow = (subject: string, type: string, data: unknown, at: string) => [
  subject,
  type,
  JSON.stringify(data),
  benchActor.code,
  benchActor.name,
  at,
];

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
  '',
  benchActor.code,
  benchActor.name,
  at,
  ref,
];
