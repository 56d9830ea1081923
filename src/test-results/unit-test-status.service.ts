import type { Database } from '../db/database.js';
import { countUnitTests } from './test-result.repository.js';
import type { TestStatus } from './test-result.schemas.js';

/**
 * Each unit's test status at a glance, for lists (a build's units, a shipment's, a scan's):
 * `fail` when the latest result of any enabled test failed, `pass` when every required test
 * passed last, else `missing`. A unit whose part has no enabled test is absent from the map.
 * One grouped statement for the whole list, never one per unit.
 */
export async function unitTestStatuses(
  db: Database,
  unitCodes: string[],
): Promise<Map<string, TestStatus>> {
  const counts = await countUnitTests(db, unitCodes);
  return new Map(
    counts.map((c) => [c.lot_code, c.failed > 0 ? 'fail' : c.unpassed > 0 ? 'missing' : 'pass']),
  );
}
