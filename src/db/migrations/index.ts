import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation.js';
import * as m0002 from './0002_object_codes.js';
import * as m0003 from './0003_builds.js';
import * as m0004 from './0004_scrapped_units.js';
import * as m0005 from './0005_customer_serials.js';
import * as m0006 from './0006_unit_records.js';
import * as m0007 from './0007_attachments.js';
import * as m0008 from './0008_test_results.js';
import * as m0009 from './0009_labels.js';
import * as m0010 from './0010_login_throttle.js';
import * as m0011 from './0011_completion_notes.js';
import * as m0012 from './0012_change_log.js';
import * as m0013 from './0013_completion_reversals.js';
import * as m0014 from './0014_corrections.js';
import * as m0015 from './0015_signatures.js';
import * as m0016 from './0016_stock_aside.js';
import * as m0017 from './0017_bom_stages.js';
import * as m0020 from './0020_location_sites.js';
import * as m0021 from './0021_row_versions.js';
import * as m0023 from './0023_webhooks.js';
import * as m0024 from './0024_printers.js';
import * as m0026 from './0026_single_sign_on.js';
import * as m0027 from './0027_file_contents.js';
import * as m0030 from './0030_merged_balances.js';
import * as m0031 from './0031_hash_lookups.js';
import * as m0032 from './0032_pending_deliveries.js';

/** Every migration in order; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_object_codes': m0002,
  '0003_builds': m0003,
  '0004_scrapped_units': m0004,
  '0005_customer_serials': m0005,
  '0006_unit_records': m0006,
  '0007_attachments': m0007,
  '0008_test_results': m0008,
  '0009_labels': m0009,
  '0010_login_throttle': m0010,
  '0011_completion_notes': m0011,
  '0012_change_log': m0012,
  '0013_completion_reversals': m0013,
  '0014_corrections': m0014,
  '0015_signatures': m0015,
  '0016_stock_aside': m0016,
  '0017_bom_stages': m0017,
  '0020_location_sites': m0020,
  '0021_row_versions': m0021,
  '0023_webhooks': m0023,
  '0024_printers': m0024,
  '0026_single_sign_on': m0026,
  '0027_file_contents': m0027,
  '0030_merged_balances': m0030,
  '0031_hash_lookups': m0031,
  '0032_pending_deliveries': m0032,
};
