import type { InstanceTable } from './instance-tables.js';

/**
 * The tables whose rows travel between sites (docs/sites.md "How sites sync"), in foreign-key
 * order. Each row names the change record that last wrote it (`change_id`, set by the change
 * log's plugin in the statement that writes it), which is what a sync compares.
 *
 * Not here: the log itself (change_record, change_object, site), which travels as records;
 * stock balances, which are the sum of the ledger and are recomputed where entries arrive; and
 * users and API keys, which are each site's own doors: every site's first start makes an
 * `admin`, and a password stays where it was set. Records name their actor by code and name,
 * so who did what travels with them.
 */
export const SYNCED_TABLES = [
  'object_code',
  'part',
  'location',
  'signature_requirement',
  'project',
  'project_stage',
  'bom_entry',
  'build',
  'build_stage',
  'build_entry',
  'lot',
  'stock_entry',
  'history_event',
  'object_tag',
  'object_field',
  'completion',
  'completion_range',
  'consumption',
  'installation',
  'serial_format',
  'serial_counter',
  'customer_serial',
  'shipment',
  'shipment_unit',
  'service_event',
  'attachment',
  'test_template',
  'test_result',
  'supplier_part',
  'label_template',
  'sync_conflict',
] as const satisfies readonly InstanceTable[];

export type SyncedTable = (typeof SYNCED_TABLES)[number];

/**
 * Tables whose rows are numbered by each site's own counter (an integer id): two sites number
 * theirs apart, so such a row is known between sites by `uid`, a random id given when it is
 * written, and its id is each site's own.
 */
export const NUMBERED_TABLES = [
  'bom_entry',
  'stock_entry',
  'history_event',
  'completion',
  'consumption',
  'installation',
  'test_result',
] as const satisfies readonly SyncedTable[];

/** Columns holding another table's integer id: they travel as that row's uid. */
export const NUMBER_REFERENCES: Partial<Record<SyncedTable, Record<string, SyncedTable>>> = {
  completion_range: { completion_id: 'completion' },
  consumption: { completion_id: 'completion' },
};

export const SYNCED = new Set<string>(SYNCED_TABLES);
export const NUMBERED = new Set<string>(NUMBERED_TABLES);
