import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileStoreIn } from '../../src/attachments/file-store.js';
import { createContext } from '../../src/context.js';
import { migrateToLatest, openDatabase, SQLITE_FILE } from '../../src/db/database.js';
import type { Row } from '../../src/db/instance-rows.js';
import { SYNCED_TABLES } from '../../src/db/synced-tables.js';
import { importBundle } from '../../src/sync/sync-file.service.js';
import { postgresWriter } from './floor-writer.js';
import { connectAdmin, inSchema, PG_URL, schemaClient } from './postgres.js';
import { duration, line, progress, times, type Outcome } from './report.js';
import { openBareSqlite } from './sqlite.js';
import { timeMs } from './timing.js';

/** Issue 14 item 8: a sync apply on PostgreSQL within 3× a COPY of the same rows. */
const MAX_TIMES_COPY = 3;

/**
 * `bundle` (everything site `source` holds) applied into a fresh migrated PostgreSQL schema,
 * against the floor: the same records and rows loaded with COPY FROM STDIN into another fresh
 * schema, in one transaction. Each side's schema is migrated before its clock starts and dropped
 * after. No line when no PostgreSQL server answers.
 */
export async function postgresApplyOutcome(source: string, bundle: string): Promise<Outcome[]> {
  const admin = await connectAdmin();
  if (!admin) return [];
  try {
    progress('PostgreSQL: COPY floor');
    const floorMs = await inSchema(admin, (schema) => copyFloor(source, schema));
    progress('PostgreSQL: sync import');
    const applyMs = await inSchema(admin, (schema) => applyInto(schema, bundle));
    line(`  PostgreSQL apply ${duration(applyMs)}, floor (COPY) ${duration(floorMs)}`);
    return [
      {
        name: 'the sync bundle applied on PostgreSQL',
        figure: duration(applyMs),
        floor: duration(floorMs),
        ratio: times(applyMs, floorMs),
        target: `≤ ${MAX_TIMES_COPY}× COPY`,
        met: applyMs <= MAX_TIMES_COPY * floorMs,
      },
    ];
  } finally {
    await admin.end();
  }
}

async function migrated(schema: string) {
  const handle = openDatabase({ url: PG_URL, schema });
  await migrateToLatest(handle.db);
  return handle;
}

async function applyInto(schema: string, bundle: string): Promise<number> {
  const handle = await migrated(schema);
  const files = mkdtempSync(path.join(tmpdir(), 'tracelot-bench-sync-pg-'));
  try {
    const ctx = createContext(handle.db);
    let applied = 0;
    const ms = await timeMs(async () => {
      applied = (await importBundle(ctx, fileStoreIn(files, 0), bundle)).records.applied;
    });
    if (applied === 0) throw new Error('the PostgreSQL apply applied no record');
    return ms;
  } finally {
    rmSync(files, { recursive: true, force: true });
    await handle.close();
  }
}

/**
 * The floor: every record, object link and synced row of `source` copied as it is (local ids
 * and references kept: the floor checks nothing), the rows of the sites whose records they are
 * first for the records' foreign key (as other sites: the fresh schema has its own), in the
 * order of the foreign keys.
 */
async function copyFloor(source: string, schema: string): Promise<number> {
  await (await migrated(schema)).close();
  const from = openBareSqlite(path.join(source, SQLITE_FILE), { readonly: true });
  const client = await schemaClient(schema);
  try {
    const writer = postgresWriter(client);
    const tables = ['change_record', ...SYNCED_TABLES, 'change_object'];
    return await timeMs(() =>
      writer.transaction(async () => {
        const sites = from.prepare('select * from site').all() as Row[];
        for (const s of sites)
          await writer.run(
            'insert into site (id, name, local, head_seq, head_hash, head_hlc) values (?, ?, 0, ?, ?, ?)',
            [s.id, s.name, s.head_seq, s.head_hash, s.head_hlc],
          );
        for (const table of tables) {
          const read = from.prepare(`select * from ${table}`).raw();
          const columns = read.columns().map((c) => c.name);
          await writer.insert(table, columns, read.all() as unknown[][]);
        }
      }),
    );
  } finally {
    from.close();
    await client.end();
  }
}
