import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { TracelotError, ValidationError } from '../domain/errors.js';
import { SNIFF_BYTES } from '../domain/media-type.js';

/** Default upload limit: 50 MB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/**
 * Where attachment bytes live: `<dir>/sha256/<ab>/<cd>/<hash>`, one file per distinct content.
 * With PostgreSQL the files still live here: several servers on one database must share this
 * folder (a network file system), since each may serve a file another received.
 */
export interface FileStore {
  dir: string;
  maxUploadBytes: number;
}

/** The files folder of a data folder. */
export function fileStoreIn(dataDir: string, maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES): FileStore {
  return { dir: path.join(path.resolve(dataDir), 'files'), maxUploadBytes };
}

export class PayloadTooLargeError extends TracelotError {
  readonly code = 'payload_too_large';
  constructor(limit: number) {
    super(`is larger than the limit of ${formatBytes(limit)}`, 'file');
  }
}

export interface StoredFile {
  sha256: string;
  size: number;
  /** The first bytes, for detecting the media type. */
  head: Uint8Array;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The path of a stored content; the hash is checked, so no input ever becomes a path. */
export function contentPath(store: FileStore, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
  return path.join(store.dir, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/**
 * Streams `input` into the store, hashing and counting as it goes. Past the size limit the
 * upload stops with PayloadTooLargeError; an empty upload is a ValidationError. Either way
 * the temporary file is removed. The content is written to a temporary file and renamed into
 * place, so a reader never sees a partial file; content that is there already is kept
 * (same hash, same bytes) and the new copy dropped.
 */
export async function storeStream(store: FileStore, input: Readable): Promise<StoredFile> {
  const tmpDir = path.join(store.dir, 'tmp');
  await mkdir(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
  const hash = createHash('sha256');
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > store.maxUploadBytes)
        return callback(new PayloadTooLargeError(store.maxUploadBytes));
      hash.update(chunk);
      if (headLength < SNIFF_BYTES) {
        headChunks.push(chunk.subarray(0, SNIFF_BYTES - headLength));
        headLength += Math.min(chunk.length, SNIFF_BYTES - headLength);
      }
      callback(null, chunk);
    },
  });
  try {
    // The request is piped by hand, not through pipeline(): past the limit pipeline would
    // destroy the request, and the client would see a reset connection instead of the 413.
    // Unpiped, the rest of the body is read and dropped and the answer reaches the client.
    const onInputError = (error: Error) => meter.destroy(error);
    // A client that goes away mid-upload closes the request without ending it.
    const onInputClose = () => {
      if (!input.readableEnded) meter.destroy(new Error('the upload was interrupted'));
    };
    input.once('error', onInputError);
    input.once('close', onInputClose);
    input.pipe(meter);
    try {
      await pipeline(meter, createWriteStream(tmp, { flags: 'wx' }));
    } catch (error) {
      input.unpipe(meter);
      input.resume();
      throw error;
    } finally {
      input.off('error', onInputError);
      input.off('close', onInputClose);
    }
    if (size === 0) throw new ValidationError('file', 'is empty');
    const sha256 = hash.digest('hex');
    const target = contentPath(store, sha256);
    if (await exists(target)) {
      await rm(tmp, { force: true });
    } else {
      await mkdir(path.dirname(target), { recursive: true });
      // Two uploads of the same content may both get here: rename replaces atomically with
      // identical bytes, so either order leaves one complete file.
      await rename(tmp, target);
    }
    return { sha256, size, head: new Uint8Array(Buffer.concat(headChunks)) };
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/**
 * An upload's temporary file (`tmp/*.part`) not written to for this long belongs to an upload
 * that died with its server or client: one in progress writes as its bytes arrive. Younger parts
 * are left alone, since another server on the same data folder may be receiving them right now.
 */
export const STALE_PART_MS = 60 * 60 * 1000;

export interface PartFiles {
  count: number;
  bytes: number;
}

/** The temporary files of uploads not written to for STALE_PART_MS before `now`. */
export async function staleParts(
  store: FileStore,
  now = new Date(),
): Promise<{ file: string; size: number }[]> {
  const tmpDir = path.join(store.dir, 'tmp');
  const parts: { file: string; size: number }[] = [];
  for (const name of await readdir(tmpDir).catch(() => [])) {
    if (!name.endsWith('.part')) continue;
    const file = path.join(tmpDir, name);
    const found = await stat(file).catch(() => undefined);
    if (found?.isFile() && now.getTime() - found.mtimeMs >= STALE_PART_MS)
      parts.push({ file, size: found.size });
  }
  return parts;
}

/** Removes what interrupted uploads left (see STALE_PART_MS); a server does so as it starts. */
export async function removeStaleParts(store: FileStore, now = new Date()): Promise<PartFiles> {
  const parts = await staleParts(store, now);
  for (const part of parts) await rm(part.file, { force: true });
  return { count: parts.length, bytes: parts.reduce((n, p) => n + p.size, 0) };
}

/** Every stored content's file (not the temporary files of uploads in progress). */
export async function storedFiles(store: FileStore): Promise<string[]> {
  const root = path.join(store.dir, 'sha256');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** A stored content for reading, or undefined when the file is missing from the folder. */
export async function openContent(
  store: FileStore,
  sha256: string,
): Promise<ReadStream | undefined> {
  const file = contentPath(store, sha256);
  if (!(await exists(file))) return undefined;
  return createReadStream(file);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** `50 MB`, `512 KB`, `12 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
