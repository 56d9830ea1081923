import path from 'node:path';
import { fileStoreIn, type FileStore } from '../../src/attachments/file-store.js';
import type { Database } from '../../src/db/database.js';
import { TABLE_KEYS } from '../../src/db/instance-tables.js';
import { readVector, rowsBeyond } from '../../src/db/sync-rows.js';
import { NUMBERED, SYNCED_TABLES, type SyncedTable } from '../../src/db/synced-tables.js';
import { applyBundle } from '../../src/sync/bundle-apply.service.js';
import { bundleLines } from '../../src/sync/bundle-write.service.js';

/**
 * Sites in one test process exchanging bundles as `tracelot sync` does (docs/sites.md "How
 * sites sync"): each a database and its own file store.
 */
export interface SyncSite {
  db: Database;
  store: FileStore;
}

export function siteStore(dir: string, name: string): FileStore {
  return fileStoreIn(path.join(dir, name));
}

/** The bundle `from` writes for what `to` holds now (`page`: records or rows per line). */
export async function bundle(from: SyncSite, to: SyncSite, page?: number): Promise<string[]> {
  const lines: string[] = [];
  const since = await readVector(to.db);
  for await (const line of bundleLines(from.db, from.store, since, { page })) lines.push(line);
  return lines;
}

export function apply(to: SyncSite, lines: string[]) {
  return applyBundle(to.db, to.store, lines);
}

/** Everything sync makes equal: every synced row (numbered rows by uid), balances, heads. */
export async function dump(site: SyncSite): Promise<Record<string, unknown[]>> {
  const { db } = site;
  const out: Record<string, unknown[]> = {};
  for (const table of SYNCED_TABLES) {
    const rows: Record<string, unknown>[] = [];
    for await (const page of rowsBeyond(db, table, {}, 10_000)) rows.push(...page);
    const key = NUMBERED.has(table) ? ['uid'] : (TABLE_KEYS[table as SyncedTable] as string[]);
    out[table] = rows
      .map((r) => ({ key: JSON.stringify(key.map((k) => r[k])), r }))
      .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
      .map(({ r }) => r);
  }
  out.stock_balance = await db
    .selectFrom('stock_balance')
    .selectAll()
    .orderBy(['lot_code', 'location_code', 'status'])
    .execute();
  out.site = await db
    .selectFrom('site')
    .select(['id', 'head_seq', 'head_hash'])
    .orderBy('id')
    .execute();
  out.change_record = (
    await db.selectFrom('change_record').select(['id', 'hash']).orderBy('id').execute()
  ).map((r) => `${r.id} ${r.hash}`);
  return out;
}
