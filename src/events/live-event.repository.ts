import { inChunks } from '../db/bulk.js';
import type { Database } from '../db/database.js';

export interface RecordRow {
  id: string;
  seq: number;
  content: string;
}

/**
 * A site's records after number `afterSeq`, in order, at most `limit`: a range of the
 * (site_id, seq) index. A site's records are numbered under its chain head's lock, held until
 * the commit (db/site.repository.ts lockHead), so record n+1 never commits before record n: a
 * reader that saw n+1 has seen n, and reading on from the last number seen misses nothing.
 */
export async function listRecordsAfter(
  db: Database,
  site: string,
  afterSeq: number,
  limit: number,
): Promise<RecordRow[]> {
  const rows = await db
    .selectFrom('change_record')
    .select(['id', 'seq', 'content'])
    .where('site_id', '=', site)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, seq: Number(r.seq), content: r.content }));
}

/** Of these lot codes, the units (and outputs) of builds, with their build. */
export async function buildsOfLots(
  db: Database,
  codes: readonly string[],
): Promise<{ code: string; build_code: string }[]> {
  const rows = await inChunks(codes, (chunk) =>
    db
      .selectFrom('lot')
      .select(['code', 'build_code'])
      .where('code', 'in', chunk)
      .where('build_code', 'is not', null)
      .execute(),
  );
  return rows.map((r) => ({ code: r.code, build_code: r.build_code! }));
}
