import { createHash, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApiKey } from '../../src/auth/api-key.service.js';
import { ensureFirstAdmin } from '../../src/auth/user.service.js';
import { createContext } from '../../src/context.js';
import { migrateToLatest, openDatabase, SQLITE_FILE } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations/index.js';
import { SHORT_CODE_LENGTH } from '../../src/domain/code.js';
import type { Actor } from '../../src/domain/roles.js';
import { createLocation } from '../../src/locations/location.service.js';
import { createPart } from '../../src/parts/part.service.js';
import { receiveStock } from '../../src/stock/stock.service.js';
import { DATA_ROOT } from './paths.js';
import { line, perSecond, progress } from './report.js';
import { openBareSqlite } from './sqlite.js';

/** Raise when the content built below changes, so cached databases are rebuilt. */
const DATASET_VERSION = 2;
const CHUNK = 50_000;
const PARTS = 20;
const LOCATIONS = 20;

export const benchActor: Actor = { code: null, name: 'bench', role: 'admin' };

export interface Dataset {
  /** Data folder for `tracelot serve --data`. */
  dir: string;
  /** The SQLite file inside it. */
  file: string;
  lots: number;
  /** A viewer API key stored (as its hash) in the database. */
  apiKey: string;
}

interface Meta {
  lots: number;
  apiKey: string;
  migrations: string[];
}

/**
 * A SQLite data folder holding `lots` received lots (one ledger entry and one balance each)
 * across a few parts and locations, built through the service and cached under bench/.data/,
 * keyed by the schema (migration names) and DATASET_VERSION.
 */
export async function lotsDataset(lots: number): Promise<Dataset> {
  const names = Object.keys(migrations);
  const key = createHash('sha256')
    .update(`${DATASET_VERSION}:${names.join(',')}`)
    .digest('hex')
    .slice(0, 12);
  const dir = path.join(DATA_ROOT, `lots-${lots}-${key}`);
  const metaFile = path.join(dir, 'meta.json');
  if (!existsSync(metaFile)) await build(dir, lots);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Meta;
  return { dir, file: path.join(dir, SQLITE_FILE), lots: meta.lots, apiKey: meta.apiKey };
}

async function build(dir: string, lots: number): Promise<void> {
  // Built beside its final place and renamed when complete: an interrupted build is never used.
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  line(`Building a database of ${lots.toLocaleString('en-US')} lots in ${building} (cached)`);
  const handle = openDatabase({ dataDir: building });
  try {
    await migrateToLatest(handle.db);
    const ctx = createContext(handle.db);
    // The first admin exists, so `tracelot serve` on this folder is a start on an existing database.
    await ensureFirstAdmin(ctx);
    const { key } = await createApiKey(ctx, benchActor, { name: 'bench', role: 'viewer' });
    const parts: string[] = [];
    for (let i = 0; i < PARTS; i++)
      parts.push((await createPart(ctx, benchActor, { name: `Bench device ${i}` })).code);
    const locations: string[] = [];
    for (let i = 0; i < LOCATIONS; i++)
      locations.push((await createLocation(ctx, benchActor, { name: `Bench shelf ${i}` })).code);
    const start = performance.now();
    for (let done = 0; done < lots; done += CHUNK) {
      const n = Math.min(CHUNK, lots - done);
      const items = Array.from({ length: n }, (_, i) => ({
        part: parts[(done + i) % PARTS]!,
        location: locations[(done + i) % LOCATIONS]!,
        quantity: 1,
      }));
      await receiveStock(ctx, benchActor, items);
      const elapsed = (performance.now() - start) / 1000;
      progress(
        `${(done + n).toLocaleString('en-US')} lots, ${elapsed.toFixed(1)} s, ${perSecond((done + n) / elapsed)}`,
      );
    }
    const meta: Meta = { lots, apiKey: key, migrations: Object.keys(migrations) };
    writeFileSync(path.join(building, 'meta.json'), JSON.stringify(meta, null, 2));
  } finally {
    await handle.close();
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
}

export interface CodeSample {
  codes: string[];
  /** 8-character prefixes of existing lots, each matching exactly one object. */
  prefixes: string[];
}

/** `n` random existing lot codes and as many unambiguous short-code prefixes. */
export function sampleLots(dataset: Dataset, n: number): CodeSample {
  const db = openBareSqlite(dataset.file, { readonly: true });
  try {
    const maxRowid = (db.prepare('select max(rowid) as m from lot').get() as { m: number }).m;
    const byRowid = db.prepare('select code from lot where rowid = ?').pluck();
    const matches = db
      .prepare(
        `select (select count(*) from (select 1 from lot where code >= @from and code < @to limit 2))
              + (select count(*) from part where code >= @from and code < @to)
              + (select count(*) from location where code >= @from and code < @to) as n`,
      )
      .pluck();
    const codes: string[] = [];
    const prefixes: string[] = [];
    while (codes.length < n) {
      const code = byRowid.get(randomInt(1, maxRowid + 1)) as string | undefined;
      if (code === undefined) continue;
      codes.push(code);
      const prefix = code.slice(0, SHORT_CODE_LENGTH);
      if (matches.get({ from: prefix, to: `${prefix}~` }) === 1) prefixes.push(prefix);
    }
    return { codes, prefixes };
  } finally {
    db.close();
  }
}
