import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Database } from '../db/database.js';
import { listAttachmentContents } from './attachment.repository.js';
import type { FileStore, FileStoreKind, PartFiles } from './file-store.js';

/** What `checkFiles` found: the contents the database names against the file store. */
export interface FileCheck {
  ok: boolean;
  /** Where the files are: the data folder or the database. */
  store: FileStoreKind;
  /** Distinct contents the attachments name. */
  contents: number;
  /**
   * Named by an attachment but not in the store, of another size, or (in the database) with
   * chunks missing: attachments that are lost.
   */
  missing: { sha256: string; size: number; problem: string }[];
  /** With `hash`: contents whose bytes no longer hash to their name (disk, copy or row damage). */
  damaged: string[];
  /** Contents no attachment names: an upload whose database write failed (or is in progress). */
  orphans: { count: number; bytes: number };
  /** What interrupted uploads left (temporary files, or unpublished uploads in the database). */
  parts: PartFiles;
}

/**
 * Checks the attachment files against the database: every content an attachment names is in
 * the store with its size (and, in the database, all its chunks), and, with `hash`, still
 * hashes to its name (reads every byte). Removed attachments count too: their files are kept
 * for admins.
 */
export async function checkFiles(
  db: Database,
  store: FileStore,
  hash: boolean,
): Promise<FileCheck> {
  const rows = await listAttachmentContents(db);
  const named = new Map(rows.map((r) => [r.sha256, Number(r.size)]));
  const missing: FileCheck['missing'] = [];
  const damaged: string[] = [];
  for (const [sha256, size] of named) {
    const problem = await store.problemOf(sha256, size);
    if (problem) missing.push({ sha256, size, problem });
    else if (hash && (await sha256Of(store, sha256)) !== sha256) damaged.push(sha256);
  }
  const orphans = { count: 0, bytes: 0 };
  for await (const content of store.contents()) {
    if (named.has(content.sha256)) continue;
    orphans.count++;
    orphans.bytes += content.size;
  }
  return {
    ok: missing.length === 0 && damaged.length === 0,
    store: store.kind,
    contents: named.size,
    missing,
    damaged,
    orphans,
    parts: await store.staleUploads(),
  };
}

/** The SHA-256 of a stored content's bytes, or undefined when they cannot be read whole. */
async function sha256Of(store: FileStore, sha256: string): Promise<string | undefined> {
  const input = await store.open(sha256);
  if (!input) return undefined;
  const hash = createHash('sha256');
  try {
    await pipeline(input, hash);
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}
