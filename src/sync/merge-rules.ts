import type { Row } from '../db/instance-rows.js';
import type { SyncedTable } from '../db/synced-tables.js';

/**
 * The merge rules of docs/sites.md, for the two cases a row can meet: the same row changed at two
 * sites apart, and a new row whose value another row here already holds where only one may.
 */

/** A pair of versions a person must settle: what kind, and which object it is about. */
export interface Unmergeable {
  kind: 'unit_state' | 'customer_serial' | 'installation' | 'shipment';
  subject: string;
}

/**
 * Two versions of one row, changed apart: the later clock's stands either way (rule 3); this
 * says when that must not pass silently. A unit's lifecycle changed at both sites to different
 * states (shipped here, scrapped there) is one; other fields (names, notes, descriptions) take
 * the later value, the other staying in the object's history.
 */
export function unmergeableEdit(table: SyncedTable, a: Row, b: Row): Unmergeable | null {
  if (table === 'lot' && a.unit_state !== b.unit_state && a.unit_state && b.unit_state)
    return { kind: 'unit_state', subject: String(a.code) };
  return null;
}

/**
 * The rows that may hold a value only once (unique indexes), with the columns that find the row
 * here that holds it: a new row from another site that clashes with one becomes a conflict, and
 * is kept in it, rather than failing the sync.
 */
export const CLASHES: Partial<
  Record<
    SyncedTable,
    { kind: Unmergeable['kind']; subject: string; match: string[]; open?: string }
  >
> = {
  customer_serial: {
    kind: 'customer_serial',
    subject: 'lot_code',
    match: ['format_code', 'scope_key', 'value'],
  },
  installation: {
    kind: 'installation',
    subject: 'child_code',
    match: ['child_code'],
    open: 'removed_at',
  },
  shipment_unit: {
    kind: 'shipment',
    subject: 'lot_code',
    match: ['lot_code'],
    open: 'returned_at',
  },
};
