import { newCode } from './domain/code.js';
import type { Database } from './db/database.js';

/**
 * What every service operation needs besides its input. Passed in, never global, so tests
 * can fake the clock and the random source.
 */
export interface Context {
  db: Database;
  clock: () => Date;
  newCode: () => string;
}

export function createContext(db: Database, overrides: Partial<Omit<Context, 'db'>> = {}): Context {
  return { db, clock: () => new Date(), newCode: () => newCode(), ...overrides };
}

export function now(ctx: Context): string {
  return ctx.clock().toISOString();
}

/** The same context inside a transaction. */
export function withDb(ctx: Context, db: Database): Context {
  return db === ctx.db ? ctx : { ...ctx, db };
}
