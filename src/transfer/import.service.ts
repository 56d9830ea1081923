import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { FileStore } from '../attachments/file-store.js';
import { verifyLog } from '../audit/audit.service.js';
import type { VerifyReport } from '../audit/audit.schemas.js';
import { withDb, type Context } from '../context.js';
import { insertMany } from '../db/bulk.js';
import { unloggedWrites } from '../db/change-log.js';
import { LATEST_MIGRATION, type Database } from '../db/database.js';
import {
  INSTANCE_TABLES,
  SELF_REFERENCES,
  TABLE_KEYS,
  type InstanceTable,
} from '../db/instance-tables.js';
import { clearTable, countRows, resetIdentities, setByKey, type Row } from '../db/instance-rows.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { parseInput } from '../domain/validate.js';
import { EXPORT_FORMAT_VERSION, MANIFEST_FILE, Manifest } from './manifest.js';
import type { TransferOptions } from './export.service.js';
import { fileNames, fileSha256, filesDir, tableFile } from './transfer-files.js';

/** Rows per bulk insert: one statement's worth (src/db/bulk.ts splits further if it must). */
const IMPORT_BATCH = 500;

export interface ImportResult {
  manifest: Manifest;
  rows: number;
  files: number;
  verify: VerifyReport;
}

/**
 * Reads an export directory (exportInstance) into an empty instance, which then is the
 * exported one: same rows, same change log and chain head, same files. Everything is checked
 * before anything is written — the manifest's format and migration, each table file's SHA-256
 * and row count, each file's hash — then the files are copied into the store (harmless by
 * hash if the import dies later) and the rows inserted in one transaction, which also replaces
 * what the first start wrote (the genesis site and record, the first admin) and ends with the
 * check of `tracelot audit verify`: a log that does not verify rolls the import back. So an
 * import either reproduces the instance or leaves the target as it was.
 */
export async function importInstance(
  ctx: Context,
  options: Omit<TransferOptions, 'now'>,
): Promise<ImportResult> {
  const dir = path.resolve(options.dir);
  const say = options.onProgress ?? (() => undefined);
  const manifest = await readManifest(dir);
  const attachments = await checkTables(dir, manifest, say);
  const files = await checkFiles(dir, attachments, say);
  await refuseUnlessEmpty(ctx.db);
  for (const sha256 of files) await storeFile(options.store, dir, sha256);
  say(`files: ${files.length} in the file store`);
  const { rows, verify } = await unloggedWrites('import', () =>
    ctx.db.transaction().execute(async (trx) => {
      // Checked again in the transaction: a write since the first check would be replaced.
      await refuseUnlessEmpty(trx);
      // The first admin is replaced, and with it any session it has (a login to look around).
      await clearTable(trx, 'user_session');
      for (const table of [...INSTANCE_TABLES].reverse()) await clearTable(trx, table);
      let rows = 0;
      for (const table of INSTANCE_TABLES) rows += await insertTable(trx, dir, table, say);
      await resetIdentities(trx);
      say('verifying the change log and the state…');
      const verify = await verifyLog(withDb(ctx, trx));
      if (!verify.ok) {
        const first = verify.firstBroken!;
        throw new ConflictError(
          `the imported instance does not verify, so nothing was imported: ${first.seq === null ? '' : `record ${first.seq}: `}${first.problem}`,
          'dir',
        );
      }
      if (verify.head?.seq !== manifest.head.seq || verify.head.hash !== manifest.head.hash) {
        throw new ConflictError(
          `the imported chain head is not the manifest's (record ${manifest.head.seq}), so nothing was imported`,
          'dir',
        );
      }
      return { rows, verify };
    }),
  );
  return { manifest, rows, files: files.length, verify };
}

async function readManifest(dir: string): Promise<Manifest> {
  const file = path.join(dir, MANIFEST_FILE);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new ValidationError(
      'dir',
      `${file} is missing: not an export directory, or an export that did not finish`,
    );
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ValidationError('manifest', `${file} is not JSON`);
  }
  const manifest = parseInput(Manifest, json, 'manifest');
  if (manifest.formatVersion !== EXPORT_FORMAT_VERSION) {
    throw new ValidationError(
      'manifest.formatVersion',
      `is ${manifest.formatVersion}; this Tracelot reads export format ${EXPORT_FORMAT_VERSION}`,
    );
  }
  if (manifest.migration !== LATEST_MIGRATION) {
    throw new ValidationError(
      'manifest.migration',
      `the export's schema is at migration ${manifest.migration}, this Tracelot's at ${LATEST_MIGRATION}: import with the Tracelot version that wrote the export (${manifest.tracelotVersion}), or one whose last migration is ${manifest.migration}`,
    );
  }
  const named = manifest.tables.map((t) => t.table).join(',');
  if (named !== INSTANCE_TABLES.join(',')) {
    throw new ValidationError(
      'manifest.tables',
      `lists ${named}; this Tracelot's export holds ${INSTANCE_TABLES.join(',')}`,
    );
  }
  return manifest;
}

/**
 * Checks every table file against the manifest (SHA-256 of its bytes, then its row count);
 * returns the hashes of the attachment files that attachment.jsonl names.
 */
async function checkTables(
  dir: string,
  manifest: Manifest,
  say: (message: string) => void,
): Promise<Set<string>> {
  const attachments = new Set<string>();
  for (const { table, rows, sha256 } of manifest.tables) {
    const file = tableFile(dir, table);
    const name = path.basename(file);
    const actual = await fileSha256(file).catch(() => {
      throw new ValidationError('dir', `${name} is missing from the export`);
    });
    if (actual !== sha256) {
      throw new ValidationError(
        name,
        `its SHA-256 is ${actual}, the manifest says ${sha256}: the file was changed or damaged since the export`,
      );
    }
    let count = 0;
    for await (const row of tableRows(file)) {
      count++;
      if (table === 'attachment') attachments.add(row.sha256 as string);
    }
    if (count !== rows)
      throw new ValidationError(name, `holds ${count} rows, the manifest says ${rows}`);
  }
  say(`checked ${manifest.tables.length} tables`);
  return attachments;
}

/** Checks that every file of files/ is named by its content's hash and that none is missing. */
async function checkFiles(
  dir: string,
  attachments: Set<string>,
  say: (message: string) => void,
): Promise<string[]> {
  const names = (await fileNames(filesDir(dir))).sort();
  for (const name of names) {
    const actual = await fileSha256(path.join(filesDir(dir), name));
    if (actual !== name)
      throw new ValidationError(`files/${name}`, `its content's SHA-256 is ${actual}`);
  }
  const present = new Set(names);
  const missing = [...attachments].filter((sha256) => !present.has(sha256));
  if (missing.length > 0)
    throw new ValidationError(
      `files/${missing[0]}`,
      `is missing: ${missing.length} attachment file(s) that attachment.jsonl names`,
    );
  say(`checked ${names.length} files`);
  return names;
}

/**
 * What the first start of an instance writes, and nothing more: the local site and its genesis
 * record (migration 0012), and the first admin with the record of its creation (tracelot serve).
 */
async function refuseUnlessEmpty(db: Database): Promise<void> {
  const users = await countRows(db, 'app_user');
  const allowed: Partial<Record<InstanceTable, number>> = {
    app_user: 1,
    site: 1,
    change_record: 1 + users,
    change_object: users,
  };
  const there: string[] = [];
  for (const table of INSTANCE_TABLES) {
    const rows = await countRows(db, table);
    if (rows > (allowed[table] ?? 0)) there.push(`${table} (${rows} rows)`);
  }
  if (there.length > 0) {
    throw new ConflictError(
      `the target instance is not empty: it holds ${there.join(', ')}. Import into a new database (and a new data folder)`,
      'database',
    );
  }
}

/**
 * Copies a checked file into the store (a folder or the database) by its hash, checked again as
 * it is written (a content already there is the same content).
 */
async function storeFile(store: FileStore, dir: string, sha256: string): Promise<void> {
  if ((await store.sizeOf(sha256)) !== undefined) return;
  await store.put(createReadStream(path.join(filesDir(dir), sha256)), {
    maxBytes: Number.MAX_SAFE_INTEGER,
    expect: sha256,
  });
}

/** Inserts a table's rows in batches; lots' parents once all lots are in. */
async function insertTable(
  db: Database,
  dir: string,
  table: InstanceTable,
  say: (message: string) => void,
): Promise<number> {
  const selfReference = SELF_REFERENCES[table];
  const [key] = TABLE_KEYS[table] as readonly string[];
  const references: [string, string][] = [];
  let batch: Row[] = [];
  let rows = 0;
  const flush = async () => {
    await insertMany(db, table, batch as never[], { keepIds: true });
    batch = [];
  };
  for await (const row of tableRows(tableFile(dir, table))) {
    if (selfReference && row[selfReference] !== null) {
      references.push([row[key!] as string, row[selfReference] as string]);
      row[selfReference] = null;
    }
    batch.push(row);
    rows++;
    if (batch.length === IMPORT_BATCH) await flush();
  }
  await flush();
  if (selfReference) await setByKey(db, table, selfReference, references);
  say(`${table}: ${rows} rows`);
  return rows;
}

/** The rows of a `<table>.jsonl`, one JSON object a line. */
async function* tableRows(file: string): AsyncGenerator<Row> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    try {
      yield JSON.parse(line) as Row;
    } catch {
      throw new ValidationError(path.basename(file), `line ${n} is not JSON`);
    }
  }
}
