/**
 * The name of the unique constraint or index a failed write violated, on either database,
 * or undefined for any other error. PostgreSQL names it in `constraint`; SQLite in the message
 * ("UNIQUE constraint failed: index 'location_name_unique'").
 */
export function violatedUnique(error: unknown): string | undefined {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code === '23505') return typeof e.constraint === 'string' ? e.constraint : '';
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return /index '([^']+)'/.exec(String(e.message))?.[1] ?? '';
  }
  return undefined;
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
