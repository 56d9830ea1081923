/**
 * Unique indexes on plain columns, with the columns as SQLite names them when one is violated
 * (it names an index only when the index is on expressions). test/schema.test.ts checks that
 * these are exactly the migrated schema's unique indexes on columns, on both databases.
 */
export const SQLITE_UNIQUE_COLUMNS: Record<string, string> = {
  'lot.build_code, lot.build_serial': 'lot_build_serial',
  'installation.child_code': 'installation_child_open',
  'shipment_unit.lot_code': 'shipment_unit_open',
  'test_template.part_code, test_template.key': 'test_template_part_key',
  'part.gtin': 'part_gtin',
  'change_record.site_id, change_record.seq': 'change_record_site_seq',
  'bom_entry.uid': 'bom_entry_uid',
  'stock_entry.uid': 'stock_entry_uid',
  'history_event.uid': 'history_event_uid',
  'completion.uid': 'completion_uid',
  'consumption.uid': 'consumption_uid',
  'installation.uid': 'installation_uid',
  'test_result.uid': 'test_result_uid',
  'file_content.sha256': 'file_content_sha256',
  'app_user.oidc_issuer, app_user.oidc_subject': 'app_user_oidc_subject',
};

/**
 * The name of the unique constraint or index a failed write violated, on either database,
 * or undefined for any other error. PostgreSQL names it in `constraint`; SQLite in the message,
 * as the index ("UNIQUE constraint failed: index 'location_name_unique'") or as its columns
 * ("UNIQUE constraint failed: part.gtin"), which SQLITE_UNIQUE_COLUMNS turns into the index.
 */
export function violatedUnique(error: unknown): string | undefined {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code === '23505') return typeof e.constraint === 'string' ? e.constraint : '';
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const message = String(e.message);
    const index = /index '([^']+)'/.exec(message)?.[1];
    if (index !== undefined) return index;
    const columns = /constraint failed: (.+)$/.exec(message)?.[1] ?? '';
    return SQLITE_UNIQUE_COLUMNS[columns] ?? '';
  }
  return undefined;
}

/**
 * Whether an error says the server's storage is full: the disk under the data folder (ENOSPC,
 * or a quota: EDQUOT), SQLite's database or disk (SQLITE_FULL), PostgreSQL's disk (53100).
 */
export function isStorageFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || code === '53100';
}

/**
 * Whether PostgreSQL aborted a transaction for colliding with another one (serialization_failure,
 * deadlock_detected): it wrote nothing, and running it again may succeed.
 */
export function isTransactionCollision(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

/** PostgreSQL's codes for a server that is gone, going or not yet back (classes 08 and 57P). */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
]);

/**
 * Whether an error says the database server cannot be reached right now (restarting, shutting
 * down, refusing connections, a connection cut mid-query): nothing was committed that the
 * answer hides, and the same request may succeed once the server is back (an answer of 503).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === 'string' && UNAVAILABLE_CODES.has(e.code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return (
    message.startsWith('Connection terminated') ||
    message === 'timeout exceeded when trying to connect' ||
    message.startsWith('Client has encountered a connection error')
  );
}

/**
 * Runs a write; a violation of `constraint` becomes the given error. Services check first for a
 * clear message in the common case; this covers the race the check cannot see.
 */
export async function mapUniqueViolation<T>(
  write: Promise<T>,
  constraint: string,
  toError: () => Error,
): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (violatedUnique(error) === constraint) throw toError();
    throw error;
  }
}
