import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';

/** Every migration in order; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
};
