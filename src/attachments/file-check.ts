import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Database } from '../db/database.js';
import { listAttachmentContents } from './attachment.repository.js';
import {
  contentPath,
  staleParts,
  storedFiles,
  type FileStore,
  type PartFiles,
} from './file-store.js';

/** What `checkFiles` found: the contents the database names against the files in the folder. */
export interface FileCheck {
  ok: boolean;
  /** Distinct contents the attachments name. */
  contents: number;
  /** Named by an attachment but not in the folder, or of another size: attachments that are lost. */
  missing: { sha256: string; size: number; problem: string }[];
  /** With `hash`: files whose bytes no longer hash to their name (disk or copy damage). */
  damaged: string[];
  /** Files no attachment names: an upload whose database write failed (or is in progress). */
  orphans: { count: number; bytes: number };
  /** Temporary files of uploads that were interrupted (not written to for an hour). */
  parts: PartFiles;
}

/**
 * Checks the attachment files against the database: every content an attachment names is in
 * the folder with its size, and, with `hash`, still hashes to its name (reads every byte).
 * Removed attachments count too: their files are kept for admins.
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
    const file = contentPath(store, sha256);
    const found = await stat(file).catch(() => undefined);
    if (!found) missing.push({ sha256, size, problem: 'not in the folder' });
    else if (found.size !== size)
      missing.push({ sha256, size, problem: `${found.size} bytes in the folder` });
    else if (hash && (await sha256Of(file)) !== sha256) damaged.push(sha256);
  }
  const orphans = { count: 0, bytes: 0 };
  for (const file of await storedFiles(store)) {
    if (named.has(path.basename(file))) continue;
    orphans.count++;
    orphans.bytes += (await stat(file)).size;
  }
  const parts = await staleParts(store);
  return {
    ok: missing.length === 0 && damaged.length === 0,
    contents: named.size,
    missing,
    damaged,
    orphans,
    parts: { count: parts.length, bytes: parts.reduce((n, p) => n + p.size, 0) },
  };
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}
