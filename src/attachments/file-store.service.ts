import type { Database } from '../db/database.js';
import { isPostgres } from '../db/migrations/helpers.js';
import { ConflictError, ValidationError } from '../domain/errors.js';
import { hasAttachments, listAttachmentContents } from './attachment.repository.js';
import { DatabaseFileStore } from './database-file-store.js';
import { findSetting, initSetting, setSetting } from './file-content.repository.js';
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  fileStoreIn,
  formatBytes,
  type FileStore,
  type FileStoreKind,
} from './file-store.js';

/** The instance_setting that says where this instance keeps its files. */
const FILES_SETTING = 'files';

export interface FileStoreOptions {
  /** The data folder (its `files` folder is the folder store). */
  dataDir: string;
  maxUploadBytes?: number | undefined;
}

/**
 * The store this instance keeps its files in, as its database says (the folder when it says
 * nothing yet): every CLI command that reads or writes files opens it so, and so agrees with the
 * servers without a flag of its own.
 */
export async function openFileStore(db: Database, options: FileStoreOptions): Promise<FileStore> {
  const kind = ((await findSetting(db, FILES_SETTING)) ?? 'folder') as FileStoreKind;
  return fileStoreOf(db, kind, options);
}

/**
 * The store of a starting server. The choice is the instance's, kept in its database: the first
 * server to start sets it (`--files`, default folder), and every later one must agree or is
 * refused. A server that kept its own idea would look for files where the others never put them;
 * the database is the one thing all servers and CLI commands share. Moving the files (and so
 * changing the choice) is `tracelot files migrate`.
 */
export async function chooseFileStore(
  db: Database,
  options: FileStoreOptions & { requested?: FileStoreKind | undefined },
): Promise<FileStore> {
  if (options.requested === 'database') requirePostgres(db, 'files');
  let kind = (await findSetting(db, FILES_SETTING)) as FileStoreKind | undefined;
  if (kind === undefined) {
    const first = options.requested ?? 'folder';
    // Attachments made before the choice was kept have their files in the folder.
    if (first === 'database' && (await hasAttachments(db)))
      throw new ConflictError(
        'this instance has attachments whose files are in the data folder: move them into the database first with `tracelot files migrate --to database`',
        'files',
      );
    kind = (await initSetting(db, FILES_SETTING, first, new Date().toISOString())) as FileStoreKind;
  }
  if (options.requested !== undefined && options.requested !== kind)
    throw new ConflictError(
      `this instance keeps its files in ${kind === 'database' ? 'the database' : 'the data folder'}, so every server must: start with --files ${kind} (or without --files), or move them with \`tracelot files migrate --to ${options.requested}\``,
      'files',
    );
  return fileStoreOf(db, kind, options);
}

function fileStoreOf(db: Database, kind: FileStoreKind, options: FileStoreOptions): FileStore {
  const limit = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  return kind === 'database'
    ? new DatabaseFileStore(db, limit)
    : fileStoreIn(options.dataDir, limit);
}

function requirePostgres(db: Database, field: string): void {
  if (!isPostgres(db))
    throw new ValidationError(
      field,
      "'database' needs PostgreSQL (--database postgres://…): with SQLite one server serves the data folder, and the files stay in it",
    );
}

export interface MigrateFilesResult {
  from: FileStoreKind;
  to: FileStoreKind;
  /** Contents copied now, each checked against its SHA-256 as it was written. */
  copied: { count: number; bytes: number };
  /** Contents the target held already (an earlier run, or the same content twice). */
  present: number;
  /** Contents of the source that could not be copied: their bytes do not match their hash, or are missing. */
  damaged: { sha256: string; problem: string }[];
  /** Contents attachments name that the target still lacks after the copy. */
  missing: { sha256: string; size: number; problem: string }[];
  /** Whether the instance now keeps its files in `to` (only when none is missing). */
  switched: boolean;
  /** Source contents removed (`deleteSource`, only once switched). */
  deleted: number;
}

/**
 * Moves every content from the other store into `to`, then makes `to` the instance's store
 * when it holds every content an attachment names. Idempotent and resumable: what the target
 * holds is skipped, so a run cut short, or run again after servers uploaded meanwhile, copies
 * only the rest. The source is kept unless `deleteSource`, and then only once switched, and only
 * the contents the target holds.
 */
export async function migrateFiles(
  db: Database,
  options: {
    dataDir: string;
    to: FileStoreKind;
    deleteSource?: boolean;
    onProgress?: (line: string) => void;
  },
): Promise<MigrateFilesResult> {
  if (options.to === 'database') requirePostgres(db, 'to');
  const say = options.onProgress ?? (() => undefined);
  const from: FileStoreKind = options.to === 'database' ? 'folder' : 'database';
  const unlimited = { dataDir: options.dataDir, maxUploadBytes: Number.MAX_SAFE_INTEGER };
  const source = fileStoreOf(db, from, unlimited);
  const target = fileStoreOf(db, options.to, unlimited);
  const result: MigrateFilesResult = {
    from,
    to: options.to,
    copied: { count: 0, bytes: 0 },
    present: 0,
    damaged: [],
    missing: [],
    switched: false,
    deleted: 0,
  };
  const moved: string[] = [];
  say(`Moving the files from ${source.where} to ${target.where}…`);
  for await (const content of source.contents()) {
    if ((await target.sizeOf(content.sha256)) === content.size) {
      result.present++;
      moved.push(content.sha256);
      continue;
    }
    try {
      const input = await source.open(content.sha256);
      if (!input) throw new Error('it is gone from the source');
      await target.put(input, { expect: content.sha256 });
      result.copied.count++;
      result.copied.bytes += content.size;
      moved.push(content.sha256);
    } catch (error) {
      result.damaged.push({ sha256: content.sha256, problem: (error as Error).message });
    }
    const done = result.copied.count + result.damaged.length;
    if (done % 100 === 0)
      say(
        `  ${done} copied (${formatBytes(result.copied.bytes)}), ${result.present} there already`,
      );
  }
  for (const named of await listAttachmentContents(db)) {
    const problem = await target.problemOf(named.sha256, Number(named.size));
    if (problem) result.missing.push({ sha256: named.sha256, size: Number(named.size), problem });
  }
  if (result.missing.length === 0) {
    await setSetting(db, FILES_SETTING, options.to, new Date().toISOString());
    result.switched = true;
    if (options.deleteSource) {
      for (const sha256 of moved) await source.remove(sha256);
      result.deleted = moved.length;
    }
  }
  return result;
}
