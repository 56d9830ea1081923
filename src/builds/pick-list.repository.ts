import type { Database } from '../db/database.js';
import { inChunks } from '../db/bulk.js';

/** What a pick list shows of each lot picked, with its part: one query for all of them. */
export async function pickedLotDetails(db: Database, lotCodes: string[]) {
  if (lotCodes.length === 0) return [];
  return inChunks(lotCodes, (chunk) =>
    db
      .selectFrom('lot')
      .innerJoin('part', 'part.code', 'lot.part_code')
      .select([
        'lot.code',
        'lot.name',
        'lot.vendor_lot',
        'lot.date_code',
        'lot.expiry',
        'lot.created_at',
        'part.code as part_code',
        'part.name as part_name',
        'part.unit as part_unit',
      ])
      .where('lot.code', 'in', chunk)
      .execute(),
  );
}
