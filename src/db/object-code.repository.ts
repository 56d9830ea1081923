import { insertMany } from './bulk.js';
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
