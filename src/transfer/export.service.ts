import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from '../attachments/file-store.js';
import { LATEST_MIGRATION, type Database } from '../db/database.js';
import { columnsOf, INSTANCE_TABLES, type InstanceTable } from '../db/instance-tables.js';
import { findLocalSiteRow } from '../db/site.repository.js';
import { inReadSnapshot, tablePages, type Row } from '../db/instance-rows.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { VERSION } from '../version.js';
import { EXPORT_FORMAT_VERSION, MANIFEST_FILE, type Manifest } from './manifest.js';
import { copyVerified, filesDir, isNewOrEmptyDir, tableFile } from './transfer-files.js';

/** Rows read per query; progress is told at most once per this many rows of a table. */
export const EXPORT_PAGE = 2_000;
const PROGRESS_EVERY = 50_000;

export interface TransferOptions {
  /** The export directory. */
  dir: string;
  /** The instance's attachment files. */
  store: FileStore;
  /** Told what is done, a line per table (and now and then within a large one). */
  onProgress?: (message: string) => void;
  /** The time written as exportedAt. */
  now?: Date;
}

/**
 * Writes the whole instance into `dir` (new or empty): a `<table>.jsonl` per table of
 * instance-tables.ts, rows in key order, columns in schema order, each value as the same JSON
 * on SQLite and PostgreSQL (integers as numbers, text as stored); then `files/<sha256>` for
 * every attachment, its hash checked as it is copied; then `manifest.json` with each table's
 * row count and SHA-256. The tables are read in one snapshot, so writes meanwhile are either
 * wholly in the export or not at all. The same data gives the same bytes on either database:
 * a dump of an imported instance equals the dump it was imported from.
 */
export async function exportInstance(db: Database, options: TransferOptions): Promise<Manifest> {
  const dir = path.resolve(options.dir);
  const say = options.onProgress ?? (() => undefined);
  if (!(await isNewOrEmptyDir(dir)))
    throw new ValidationError('dir', `${dir} is not empty: export into a new or empty directory`);
  await mkdir(filesDir(dir), { recursive: true });
  const hashes = new Set<string>();
  const { site, tables } = await inReadSnapshot(db, async (snapshot) => {
    const local = await findLocalSiteRow(snapshot);
    const tables: Manifest['tables'] = [];
    for (const table of INSTANCE_TABLES) {
      const written = await writeTable(
        snapshot,
        dir,
        table,
        (row) => {
          if (table === 'attachment') hashes.add(row.sha256 as string);
        },
        say,
      );
      tables.push({ table, ...written });
    }
    return { site: local, tables };
  });
  const files = { count: 0, bytes: 0 };
  for (const sha256 of [...hashes].sort()) {
    const content = await options.store.open(sha256);
    if (!content)
      throw new ConflictError(
        `the file of an attachment is missing from ${options.store.where}: ${sha256}`,
      );
    files.bytes += await copyVerified(content, path.join(filesDir(dir), sha256), sha256);
    if (++files.count % 1000 === 0) say(`files: ${files.count} of ${hashes.size}`);
  }
  say(`files: ${files.count} (${files.bytes} bytes)`);
  const manifest: Manifest = {
    formatVersion: EXPORT_FORMAT_VERSION,
    tracelotVersion: VERSION,
    migration: LATEST_MIGRATION,
    site: { id: site.id, name: site.name },
    head: { seq: Number(site.head_seq), hash: site.head_hash },
    exportedAt: (options.now ?? new Date()).toISOString(),
    tables,
    files,
  };
  await writeFile(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, {
    flag: 'wx',
  });
  return manifest;
}

/** Streams one table into `<table>.jsonl`, a page at a time; returns its row count and SHA-256. */
async function writeTable(
  db: Database,
  dir: string,
  table: InstanceTable,
  onRow: (row: Row) => void,
  say: (message: string) => void,
): Promise<{ rows: number; sha256: string }> {
  const columns = columnsOf(table);
  const out = createWriteStream(tableFile(dir, table), { flags: 'wx' });
  const hash = createHash('sha256');
  let rows = 0;
  for await (const page of tablePages(db, table, EXPORT_PAGE)) {
    let text = '';
    for (const row of page) {
      onRow(row);
      text += `${JSON.stringify(normalized(row, columns))}\n`;
    }
    hash.update(text);
    if (!out.write(text)) await once(out, 'drain');
    const before = rows;
    rows += page.length;
    if (Math.floor(rows / PROGRESS_EVERY) > Math.floor(before / PROGRESS_EVERY))
      say(`${table}: ${rows} rows…`);
  }
  out.end();
  await once(out, 'finish');
  say(`${table}: ${rows} rows`);
  return { rows, sha256: hash.digest('hex') };
}

/**
 * A row as the export writes it: its columns in schema order, integers as JSON numbers (the
 * drivers give numbers already; Number() holds that true of any driver that gives a bigint or
 * a string for BIGINT), text as stored.
 */
function normalized(row: Row, columns: { name: string; integer: boolean }[]): Row {
  const out: Row = {};
  for (const { name, integer } of columns) {
    const value = row[name];
    out[name] = value === null || !integer ? value : Number(value);
  }
  return out;
}
