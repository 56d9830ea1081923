import { inChunks } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import type { UnitState } from '../domain/unit-state.js';
import { stockAsideOf } from '../stock/stock.repository.js';

/** What the lifecycle needs of a unit: its part, build label parts and state. */
export interface UnitRow {
  code: string;
  part_code: string;
  part_name: string;
  build_code: string | null;
  build_serial: number | null;
  unit_state: UnitState | null;
  /** Held or rejected when the unit's stock is (see unitState). */
  stock_aside: string | null;
}

export async function findUnitRows(db: Database, codes: string[]): Promise<UnitRow[]> {
  return inChunks(codes, (chunk) =>
    db
      .selectFrom('lot')
      .innerJoin('part', 'part.code', 'lot.part_code')
      .select([
        'lot.code',
        'lot.part_code',
        'part.name as part_name',
        'lot.build_code',
        'lot.build_serial',
        'lot.unit_state',
        stockAsideOf,
      ])
      .where('lot.code', 'in', chunk)
      .execute(),
  );
}
