import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_builds.js';
import * as m0003 from './0003_scrapped_units.js';
import * as m0004 from './0004_customer_serials.js';
import * as m0005 from './0005_unit_records.js';
import * as m0006 from './0006_attachments.js';
import * as m0007 from './0007_test_results.js';

/** Every migration in order; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_builds': m0002,
  '0003_scrapped_units': m0003,
  '0004_customer_serials': m0004,
  '0005_unit_records': m0005,
  '0006_attachments': m0006,
  '0007_test_results': m0007,
};
