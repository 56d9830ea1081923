import type { Kysely } from 'kysely';

// Failed logins per username and per client address (src/auth/login-throttle.service.ts). In the
// database, not in a server's memory: servers side by side on one database share the count.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
