import type { DB } from './schema.js';
import { SCHEMA_COLUMNS } from './schema-columns.js';

/**
 * Tables an instance export leaves out: who is logged in now and who failed to log in lately
 * belong to the running instance, not to its record (a moved instance starts with no session),
 * and so do single sign-ons on their way through the provider;
 * so do the webhook outbox, the state of deliveries to receivers (a moved instance sends none),
 * and which server is sending a print job now. Attachment contents kept in the database travel
 * as the export's files (`files/<sha256>`), like those of a files folder, into whichever store
 * the target keeps (its instance_setting).
 * Kysely's migration tables are not in DB: the export names the last migration instead.
 */
export const LEFT_OUT = [
  'user_session',
  'login_throttle',
  'oidc_login',
  'webhook_delivery',
  'print_claim',
  'file_content',
  'file_chunk',
  'instance_setting',
] as const;

export type InstanceTable = Exclude<keyof DB, (typeof LEFT_OUT)[number]>;

/**
 * Every other table of the schema with the columns that order its rows: its primary key, or
 * for supplier_part, which has none, its unique (supplier, SKU). The compiler holds this list
 * to the schema: a new table must be added here (or to LEFT_OUT) to compile.
 *
 * The order is foreign-key order, the order an import inserts in: each table after the tables
 * it references. The one reference within a table, a lot's parent lot, is set after all lots
 * are in (SELF_REFERENCES).
 */
export const TABLE_KEYS: { readonly [T in InstanceTable]: readonly (keyof DB[T] & string)[] } = {
  object_code: ['code'],
  part: ['code'],
  location: ['code'],
  app_user: ['code'],
  api_key: ['code'],
  signature_requirement: ['operation'],
  site: ['id'],
  change_record: ['id'],
  change_object: ['object_code', 'change_id'],
  project: ['code'],
  project_stage: ['project_code', 'stage'],
  bom_entry: ['id'],
  build: ['code'],
  build_stage: ['build_code', 'stage'],
  build_entry: ['build_code', 'entry_no'],
  lot: ['code'],
  stock_balance: ['lot_code', 'location_code', 'status'],
  stock_entry: ['id'],
  history_event: ['id'],
  object_tag: ['object_code', 'tag'],
  object_field: ['object_code', 'key'],
  completion: ['id'],
  completion_range: ['completion_id', 'from_serial'],
  consumption: ['id'],
  installation: ['id'],
  serial_format: ['code'],
  serial_counter: ['format_code', 'scope_key', 'period'],
  customer_serial: ['format_code', 'lot_code'],
  shipment: ['code'],
  shipment_unit: ['shipment_code', 'lot_code'],
  service_event: ['code'],
  attachment: ['code'],
  test_template: ['code'],
  test_result: ['id'],
  supplier_part: ['supplier', 'sku'],
  label_template: ['code'],
  sync_conflict: ['code'],
  sync_peer: ['site_id'],
  webhook: ['code'],
  printer: ['code'],
  print_job: ['code'],
  print_job_object: ['job_code', 'position'],
};

/** The exported tables in foreign-key order. */
export const INSTANCE_TABLES = Object.keys(TABLE_KEYS) as InstanceTable[];

/** Columns that reference a row of their own table: inserted as null, set once all rows are in. */
export const SELF_REFERENCES: Partial<Record<InstanceTable, string>> = { lot: 'parent_code' };

/** A table's columns in schema order, with how each is stored. */
export function columnsOf(table: InstanceTable): { name: string; integer: boolean }[] {
  return Object.entries(SCHEMA_COLUMNS[table]).map(([name, kind]) => ({
    name,
    integer: kind.startsWith('integer'),
  }));
}
