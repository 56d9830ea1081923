import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { LoginThrottleTable } from '../db/schema.js';

export type ThrottleRow = Selectable<LoginThrottleTable>;

export async function findThrottles(db: Database, keys: readonly string[]): Promise<ThrottleRow[]> {
  if (keys.length === 0) return [];
  return db.selectFrom('login_throttle').selectAll().where('key', 'in', keys).execute();
}

/**
 * Counts one more failure for `key` if its row is still as `seen` (none: not there yet), so
 * that of requests that read the same count at once, on any server, exactly one goes ahead.
 * False when another request came first.
 */
export async function countFailure(
  db: Database,
  key: string,
  seen: ThrottleRow | undefined,
  failures: number,
  at: string,
): Promise<boolean> {
  if (!seen) {
    const inserted = await db
      .insertInto('login_throttle')
      .values({ key, failures, last_failure_at: at })
      .onConflict((oc) => oc.column('key').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  const updated = await db
    .updateTable('login_throttle')
    .set({ failures, last_failure_at: at })
    .where('key', '=', key)
    .where('failures', '=', seen.failures)
    .where('last_failure_at', '=', seen.last_failure_at)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

/** Takes back one counted failure (the try succeeded, or another key refused it). */
export async function uncountFailure(db: Database, key: string): Promise<void> {
  await db
    .updateTable('login_throttle')
    .set((eb) => ({ failures: eb('failures', '-', 1) }))
    .where('key', '=', key)
    .where('failures', '>', 0)
    .execute();
}

export async function lockThrottle(db: Database, key: string): Promise<void> {
  await db.updateTable('login_throttle').set({ locked: 1 }).where('key', '=', key).execute();
}

/** Forgets the failures of `key` (a login succeeded, an admin unlocked); true if there were any. */
export async function deleteThrottle(db: Database, key: string): Promise<boolean> {
  const deleted = await db.deleteFrom('login_throttle').where('key', '=', key).executeTakeFirst();
  return Number(deleted.numDeletedRows) > 0;
}
