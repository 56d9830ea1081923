import { inChunks, insertMany } from './bulk.js';
import type { Database } from './database.js';
import type { ObjectKind } from '../domain/object-kind.js';

/**
 * Registers the codes of new objects. The primary key makes a code that any object of any kind
 * carries already a database error: codes never collide, not even across kinds. Every
 * repository that creates a labelled object calls this in the same transaction.
 */
export async function registerCodes(
  db: Database,
  kind: ObjectKind,
  codes: string[],
): Promise<void> {
  await insertMany(
    db,
    'object_code',
    codes.map((code) => ({ code, kind })),
  );
}

/** What kind of object carries this code, if any: a check of existence that needs no feature. */
export async function kindOfCode(db: Database, code: string): Promise<ObjectKind | undefined> {
  const row = await db
    .selectFrom('object_code')
    .select('kind')
    .where('code', '=', code)
    .executeTakeFirst();
  return row?.kind;
}

/** Which of `codes` some object carries already. */
export async function existingCodes(db: Database, codes: readonly string[]): Promise<Set<string>> {
  const rows = await inChunks(codes, (chunk) =>
    db.selectFrom('object_code').select('code').where('code', 'in', chunk).execute(),
  );
  return new Set(rows.map((r) => r.code));
}
