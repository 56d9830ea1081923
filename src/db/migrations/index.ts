import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_builds.js';
import * as m0003 from './0003_scrapped_units.js';

/** Every migration in order; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_builds': m0002,
  '0003_scrapped_units': m0003,
};
