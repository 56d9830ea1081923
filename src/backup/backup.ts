import { constants, existsSync, realpathSync } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { fileStoreIn, storedFiles, type FolderFileStore } from '../attachments/file-store.js';
import { SQLITE_FILE } from '../db/database.js';
import { ValidationError } from '../domain/errors.js';

/** What a backup copied. */
export interface BackupResult {
  /** The copied SQLite file; null when the data lives in PostgreSQL (back it up with pg_dump). */
  database: { file: string; bytes: number } | null;
  files: { copied: number; present: number; bytes: number };
}

export interface BackupOptions {
  /** The data folder being backed up. */
  dataDir: string;
  /** The backup folder: a data folder itself, so `--data <it>` serves the copy. */
  target: string;
  /** True when the database is PostgreSQL: only the files are copied. */
  postgres: boolean;
  /** Told what is being copied, and now and then how many files are done. */
  onProgress?: (message: string) => void;
}

/**
 * Copies a data folder while servers keep running: first the SQLite database as one consistent
 * snapshot (SQLite's online backup, page for page, into a temporary file renamed into place),
 * then every attachment file the target does not hold yet. In that order every file the copied
 * database names is copied too: files are never deleted and a file's name is its content's hash,
 * so a file already present is the same file. Run again into the same folder, it replaces the
 * database and adds only new files.
 */
export async function backUp(options: BackupOptions): Promise<BackupResult> {
  const source = path.resolve(options.dataDir);
  const target = path.resolve(options.target);
  const onProgress = options.onProgress ?? (() => undefined);
  checkTarget(source, target);
  const file = path.join(source, SQLITE_FILE);
  if (!options.postgres && !existsSync(file))
    throw new ValidationError('data', `no Tracelot database at ${file}: is --data right?`);
  await mkdir(target, { recursive: true });
  let database: BackupResult['database'] = null;
  if (!options.postgres) {
    onProgress('Copying the database…');
    database = await copyDatabase(file, target);
  }
  onProgress('Copying the files…');
  const files = await copyFiles(fileStoreIn(source), fileStoreIn(target), (done) =>
    onProgress(`Copying the files… ${done} done`),
  );
  return { database, files };
}

function checkTarget(source: string, target: string): void {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : p);
  const [from, to] = [real(source), real(target)];
  if (to === from || to.startsWith(from + path.sep) || from.startsWith(to + path.sep)) {
    throw new ValidationError(
      'target',
      `${target} is the data folder or inside it (or holds it): choose a folder elsewhere`,
    );
  }
}

async function copyDatabase(file: string, target: string): Promise<BackupResult['database']> {
  const into = path.join(target, SQLITE_FILE);
  const partial = `${into}.partial`;
  await rm(partial, { force: true });
  const sqlite = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    // All pages in one step: a snapshot that writers (in WAL mode) never wait for and never
    // restart, as they would between smaller steps.
    await sqlite.backup(partial, { progress: ({ remainingPages }) => remainingPages });
  } finally {
    sqlite.close();
  }
  await rename(partial, into);
  return { file: into, bytes: (await stat(into)).size };
}

async function copyFiles(
  from: FolderFileStore,
  to: FolderFileStore,
  onFiles: (done: number) => void,
): Promise<BackupResult['files']> {
  const result = { copied: 0, present: 0, bytes: 0 };
  for (const file of await storedFiles(from)) {
    const dest = path.join(to.dir, path.relative(from.dir, file));
    if (existsSync(dest)) {
      result.present++;
    } else {
      await mkdir(path.dirname(dest), { recursive: true });
      const partial = `${dest}.partial`;
      await copyFile(file, partial, constants.COPYFILE_FICLONE);
      await rename(partial, dest);
      result.copied++;
      result.bytes += (await stat(dest)).size;
    }
    const done = result.copied + result.present;
    if (done % 1000 === 0) onFiles(done);
  }
  return result;
}
