import { sql } from 'kysely';
import type { Database } from '../db/database.js';

/** What the lifecycle needs of a unit: its part, build label parts and state. */
export interface UnitRow {
  code: string;
  part_code: string;
  part_name: string;
  build_code: string | null;
  build_serial: number | null;
  unit_state: string | null;
}

export async function findUnitRows(db: Database, codes: string[]): Promise<UnitRow[]> {
  if (codes.length === 0) return [];
  const rows: UnitRow[] = [];
  for (let i = 0; i < codes.length; i += 5000) {
    rows.push(
      ...(await db
        .selectFrom('lot')
        .innerJoin('part', 'part.code', 'lot.part_code')
        .select([
          'lot.code',
          'lot.part_code',
          'part.name as part_name',
          'lot.build_code',
          'lot.build_serial',
          'lot.unit_state',
        ])
        .where('lot.code', 'in', codes.slice(i, i + 5000))
        .execute()),
    );
  }
  return rows;
}

/**
 * Moves units from one state to another in guarded statements: only rows still in `from` change,
 * so of two concurrent requests for the same unit exactly one sees it move. Returns the codes
 * that moved; the caller fails its transaction when some did not.
 */
export async function moveUnitStates(
  db: Database,
  codes: string[],
  from: string,
  to: string,
): Promise<string[]> {
  const moved: string[] = [];
  for (let i = 0; i < codes.length; i += 5000) {
    const rows = await db
      .updateTable('lot')
      .set({ unit_state: to })
      .where('code', 'in', codes.slice(i, i + 5000))
      .where('unit_state', '=', from)
      .returning('code')
      .execute();
    moved.push(...rows.map((r) => r.code));
  }
  return moved;
}

/** Every balance a unit holds (any status), to take it out of stock or change its status. */
export async function unitBalances(db: Database, codes: string[]) {
  if (codes.length === 0) return [];
  const rows = [];
  for (let i = 0; i < codes.length; i += 5000) {
    rows.push(
      ...(await db
        .selectFrom('stock_balance')
        .selectAll()
        .where('lot_code', 'in', codes.slice(i, i + 5000))
        .where('quantity', '>', sql<number>`0`)
        .execute()),
    );
  }
  return rows;
}
