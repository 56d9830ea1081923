/**
 * Sync between sites (src/sync, docs/sites.md "How sites sync"). Targets (issue 13):
 * - sync of 100,000 change records, a 10,000-unit build among them, between two local servers
 *   (`tracelot serve` on SQLite, B pulling from A over HTTP with `POST /sync/run`): < 10 s;
 * - applying the same bundle again (`sync import` of a bundle of everything, all held already):
 *   a no-op, < 2 s;
 * - `sync export` of the 1,000,000-lot benchmark data set: ≥ 50,000 records (rows) per second.
 * And (issue 14 item 8), when a PostgreSQL server answers: the bundle of everything applied into a
 * fresh migrated schema within 3× a COPY FROM STDIN of the same records and rows.
 * Floors, in the same run: the same records and rows copied with bare prepared statements into a
 * fresh database in one transaction; for the export, the same rows read with a bare statement and
 * written as JSON lines.
 */
import { cpSync, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { createApiKey } from '../src/auth/api-key.service.js';
import { ensureFirstAdmin } from '../src/auth/user.service.js';
import { fileStoreIn } from '../src/attachments/file-store.js';
import { createContext } from '../src/context.js';
import { migrateToLatest, openDatabase, SQLITE_FILE } from '../src/db/database.js';
import { SYNCED_TABLES } from '../src/db/synced-tables.js';
import { exportBundle, importBundle } from '../src/sync/sync-file.service.js';
import { withTempDir } from './support/bench-database.js';
import type { Benchmark } from './support/benchmark.js';
import { DATASET_LOTS } from './support/benchmark.js';
import { benchActor, lotsDataset } from './support/dataset.js';
import { TRACELOT_BIN } from './support/paths.js';
import { freePort, spawnNode, waitForOk, type Child } from './support/processes.js';
import {
  duration,
  line,
  perSecond,
  printOutcome,
  share,
  times,
  type Outcome,
} from './support/report.js';
import { openBareSqlite } from './support/sqlite.js';
import { timeMs } from './support/timing.js';
import { syncSource } from './support/sync-source.js';
import { postgresApplyOutcome } from './support/sync-postgres.js';

const RECORDS = 100_000;
const UNITS = 10_000;
const MAX_SYNC_MS = 10_000;
const MAX_REAPPLY_MS = 2_000;
const MIN_EXPORT_PER_SECOND = 50_000;

export const sync: Benchmark = {
  name: 'sync',
  description: `sync of ${RECORDS.toLocaleString('en-US')} records (a ${UNITS.toLocaleString('en-US')}-unit build among them) between two servers, the same bundle again, export of the ${DATASET_LOTS.toLocaleString('en-US')}-lot data set`,
  needsServerBuild: true,
  async run() {
    const outcomes = await withTempDir('sync', async (dir) => {
      const a = path.join(dir, 'a');
      const b = path.join(dir, 'b');
      cpSync(await syncSource(RECORDS, UNITS), a, { recursive: true });
      const siteKey = await keyOf(a, 'site');
      const adminKey = await keyOf(b, 'admin');
      const floorMs = await timeMs(() => copyFloor(a, path.join(dir, 'floor')));
      const servers = await Promise.all([serve(a), serve(b)]);
      try {
        const [serverA, serverB] = servers;
        const call = (url: string, body: unknown) =>
          fetch(`${serverB.origin}/api/v1${url}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        const added = await call('/sync/peers', { name: 'A', url: serverA.origin, key: siteKey });
        if (added.status !== 201) throw new Error(`adding A: ${await added.text()}`);
        let applied = 0;
        const syncMs = await timeMs(async () => {
          const answer = await call('/sync/run', { site: 'A' });
          const body = (await answer.json()) as {
            items: { received?: { records: { applied: number } }; error?: string }[];
          };
          if (body.items[0]?.error) throw new Error(`sync: ${body.items[0].error}`);
          applied = body.items[0]?.received?.records.applied ?? 0;
        });
        // A's keys are records too: at least the records made.
        if (applied < RECORDS) throw new Error(`B applied ${applied} records, not ${RECORDS}`);
        line(`  sync ${duration(syncMs)}, floor (bare copy) ${duration(floorMs)}`);
        const out: Outcome[] = [
          {
            name: `sync ${RECORDS / 1000}k records A → B (HTTP)`,
            figure: duration(syncMs),
            floor: duration(floorMs),
            ratio: times(syncMs, floorMs),
            target: `< ${duration(MAX_SYNC_MS)}`,
            met: syncMs < MAX_SYNC_MS,
          },
        ];
        // The same records again, from a file: everything is held, nothing changes.
        const bundle = path.join(dir, 'all.tlsync');
        await withContext(a, (ctx) => exportBundle(ctx, fileStoreIn(a, 0), bundle, {}));
        let again = { applied: -1, inserted: -1, updated: -1 };
        const reapplyMs = await withContext(b, (ctx) =>
          timeMs(async () => {
            const result = await importBundle(ctx, fileStoreIn(b, 0), bundle);
            again = {
              applied: result.records.applied,
              inserted: result.rows.inserted,
              updated: result.rows.updated,
            };
          }),
        );
        if (again.applied + again.inserted + again.updated !== 0)
          throw new Error(`the second apply changed something: ${JSON.stringify(again)}`);
        out.push({
          name: `the same ${RECORDS / 1000}k records again (no-op)`,
          figure: duration(reapplyMs),
          floor: duration(floorMs),
          ratio: times(reapplyMs, floorMs),
          target: `< ${duration(MAX_REAPPLY_MS)}`,
          met: reapplyMs < MAX_REAPPLY_MS,
        });
        // The same bundle into a fresh PostgreSQL schema, against a COPY of the same rows.
        out.push(...(await postgresApplyOutcome(a, bundle)));
        return out;
      } finally {
        for (const s of servers) await s.child.stop();
      }
    });
    outcomes.push(await exportOutcome());
    for (const o of outcomes) printOutcome(o);
    return outcomes;
  },
};

async function withContext<T>(
  dir: string,
  fn: (ctx: ReturnType<typeof createContext>) => Promise<T>,
): Promise<T> {
  const handle = openDatabase({ dataDir: dir });
  try {
    await migrateToLatest(handle.db);
    return await fn(createContext(handle.db));
  } finally {
    await handle.close();
  }
}

/** A new API key of `role` in the data folder `dir` (made and migrated if new). */
async function keyOf(dir: string, role: 'site' | 'admin'): Promise<string> {
  return withContext(dir, async (ctx) => {
    await ensureFirstAdmin(ctx);
    return (await createApiKey(ctx, benchActor, { name: `bench ${role}`, role })).key;
  });
}

async function serve(dir: string): Promise<{ origin: string; child: Child }> {
  const port = await freePort();
  const child = spawnNode([TRACELOT_BIN, 'serve', '--port', String(port), '--data', dir]);
  const origin = `http://127.0.0.1:${port}`;
  await waitForOk(`${origin}/api/health`, child, { timeoutMs: 60_000 });
  return { origin, child };
}

/**
 * The floor of a sync: A's records and the rows of every synced table copied into a fresh
 * database with bare prepared statements, one transaction (what any apply must at least write).
 */
async function copyFloor(from: string, to: string): Promise<void> {
  await withContext(to, async () => undefined);
  const source = openBareSqlite(path.join(from, SQLITE_FILE), { readonly: true });
  const target = openBareSqlite(path.join(to, SQLITE_FILE));
  // Rows keep their local ids, references as they are: the floor checks nothing.
  target.pragma('foreign_keys = OFF');
  try {
    target.transaction(() => {
      for (const table of ['change_record', 'change_object', ...SYNCED_TABLES])
        copyTable(source, target, table);
    })();
  } finally {
    source.close();
    target.close();
  }
}

function copyTable(
  source: BetterSqlite3.Database,
  target: BetterSqlite3.Database,
  table: string,
): void {
  const read = source.prepare(`select * from ${table}`);
  const columns = read.columns().map((c) => c.name);
  const insert = target.prepare(
    `insert or ignore into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`,
  );
  for (const row of read.iterate() as Iterable<Record<string, unknown>>)
    insert.run(columns.map((c) => row[c]));
}

/** `sync export` of the big data set against a bare read of the same rows written as JSON. */
async function exportOutcome(): Promise<Outcome> {
  const dataset = await lotsDataset(DATASET_LOTS);
  return withTempDir('sync-export', async (dir) => {
    let rows = 0;
    const exportMs = await withContext(dataset.dir, (ctx) =>
      timeMs(async () => {
        await exportBundle(ctx, fileStoreIn(dataset.dir, 0), path.join(dir, 'all.tlsync'), {});
      }),
    );
    const floorMs = await timeMs(async () => {
      const db = openBareSqlite(dataset.file, { readonly: true });
      const out = createWriteStream(path.join(dir, 'floor.jsonl'));
      try {
        for (const table of ['change_record', ...SYNCED_TABLES]) {
          for (const row of db.prepare(`select * from ${table}`).iterate()) {
            rows++;
            if (!out.write(`${JSON.stringify(row)}\n`)) await once(out, 'drain');
          }
        }
      } finally {
        out.end();
        await once(out, 'finish');
        db.close();
      }
    });
    const rate = (rows * 1000) / exportMs;
    const floorRate = (rows * 1000) / floorMs;
    line(`  export ${rows.toLocaleString('en-US')} records and rows in ${duration(exportMs)}`);
    return {
      name: `sync export of ${DATASET_LOTS / 1_000_000}M lots`,
      figure: perSecond(rate),
      floor: perSecond(floorRate),
      ratio: share(rate, floorRate),
      target: `≥ ${perSecond(MIN_EXPORT_PER_SECOND)}`,
      met: rate >= MIN_EXPORT_PER_SECOND,
    };
  });
}
