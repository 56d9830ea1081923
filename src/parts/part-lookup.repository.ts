import { inChunks } from '../db/bulk.js';
import type { Database } from '../db/database.js';
import type { PartBrief } from './part-brief.repository.js';

/** A part a distributor's part number names, with the supplier it is listed under. */
export interface SkuMatch extends PartBrief {
  supplier: string;
  sku: string;
}

/** Every part listed under one of `skus` (any supplier; the caller compares suppliers). */
export async function findPartsBySkus(db: Database, skus: readonly string[]): Promise<SkuMatch[]> {
  return inChunks([...new Set(skus)], (chunk) =>
    db
      .selectFrom('supplier_part as sp')
      .innerJoin('part', 'part.code', 'sp.part_code')
      .select([
        'part.code',
        'part.name',
        'part.mpn',
        'part.unit',
        'part.kind',
        'sp.supplier',
        'sp.sku',
      ])
      .where('sp.sku', 'in', chunk)
      .orderBy('part.name')
      .orderBy('part.code')
      .execute(),
  );
}
