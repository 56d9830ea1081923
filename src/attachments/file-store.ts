import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConflictError, TracelotError, ValidationError } from '../domain/errors.js';
import { SNIFF_BYTES } from '../domain/media-type.js';

/** Default upload limit: 50 MB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Where an instance keeps its attachment contents (`tracelot serve --files`). */
export const FILE_STORE_KINDS = ['folder', 'database'] as const;
export type FileStoreKind = (typeof FILE_STORE_KINDS)[number];

/**
 * Where attachment bytes live, one content per distinct SHA-256: the data folder
 * (FolderFileStore, `<dir>/sha256/<ab>/<cd>/<hash>`) or, with PostgreSQL, the database
 * (DatabaseFileStore, chunks of 256 KiB). Every user of files (attachments, sync bundles,
 * export and import, `check --files`, `files migrate`) goes through this interface, so either
 * store serves them all.
 */
export interface FileStore {
  readonly kind: FileStoreKind;
  /** For messages: "the data folder /srv/tracelot/files", "the database". */
  readonly where: string;
  /** The upload limit of `put` when it is given none. */
  readonly maxUploadBytes: number;
  /**
   * Streams `input` into the store, hashing and counting as it goes; never holds the whole
   * content. Past the limit: PayloadTooLargeError; empty: ValidationError; with `expect`, a
   * content of another hash: ConflictError. Nothing is kept on failure. A content that is
   * there already is kept and the new copy dropped.
   */
  put(input: Readable, options?: PutOptions): Promise<StoredFile>;
  /** A stored content as a stream, or undefined when the store does not hold it. */
  open(sha256: string): Promise<Readable | undefined>;
  /** A stored content's size, or undefined when the store does not hold it. */
  sizeOf(sha256: string): Promise<number | undefined>;
  /** What is wrong with a content named with this size, or undefined when it is whole. */
  problemOf(sha256: string, size: number): Promise<string | undefined>;
  /** Every stored content, in no promised order. */
  contents(): AsyncIterable<{ sha256: string; size: number }>;
  /** Removes a stored content (`files migrate --delete-source`); nothing when it is absent. */
  remove(sha256: string): Promise<void>;
  /** What interrupted uploads left (old enough that none is still in progress). */
  staleUploads(now?: Date): Promise<PartFiles>;
  /** Removes what staleUploads finds; a server does so as it starts. */
  removeStaleUploads(now?: Date): Promise<PartFiles>;
}

export interface PutOptions {
  /** Default: the store's maxUploadBytes. */
  maxBytes?: number;
  /** The SHA-256 the content must have (a copy from another store or an export). */
  expect?: string;
}

/** The files folder of a data folder. */
export function fileStoreIn(
  dataDir: string,
  maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES,
): FolderFileStore {
  return new FolderFileStore(path.join(path.resolve(dataDir), 'files'), maxUploadBytes);
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

/** Whether a text is a SHA-256 hex digest (a content's name). */
export function isSha256(text: string): boolean {
  return SHA256.test(text);
}

/** The path of a stored content; the hash is checked, so no input ever becomes a path. */
export function contentPath(store: { dir: string }, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
  return path.join(store.dir, 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/**
 * Streams `input` into `sink`, hashing and counting as it goes: what both stores share. Past
 * `maxBytes` it stops with PayloadTooLargeError; an empty input is a ValidationError; with
 * `expect`, another hash is a ConflictError. The sink is written and finished (or destroyed
 * with the error); the caller keeps or drops what it wrote.
 */
export async function receive(
  input: Readable,
  sink: Writable,
  options: { maxBytes: number; expect?: string | undefined },
): Promise<StoredFile> {
  const hash = createHash('sha256');
  const headChunks: Buffer[] = [];
  let headLength = 0;
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > options.maxBytes) return callback(new PayloadTooLargeError(options.maxBytes));
      hash.update(chunk);
      if (headLength < SNIFF_BYTES) {
        headChunks.push(chunk.subarray(0, SNIFF_BYTES - headLength));
        headLength += Math.min(chunk.length, SNIFF_BYTES - headLength);
      }
      callback(null, chunk);
    },
  });
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
    await pipeline(meter, sink);
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
  if (options.expect !== undefined && sha256 !== options.expect)
    throw new ConflictError(
      `the content named ${options.expect} is damaged: its SHA-256 is ${sha256}`,
      'file',
    );
  return { sha256, size, head: new Uint8Array(Buffer.concat(headChunks)) };
}

/** Streams `input` into the store (see FileStore.put). */
export function storeStream(store: FileStore, input: Readable): Promise<StoredFile> {
  return store.put(input);
}

/** A stored content for reading, or undefined when the store does not hold it. */
export function openContent(store: FileStore, sha256: string): Promise<Readable | undefined> {
  return store.open(sha256);
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

/** The contents of a files folder (see FileStore). */
export class FolderFileStore implements FileStore {
  readonly kind = 'folder';
  readonly where: string;

  constructor(
    readonly dir: string,
    readonly maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES,
  ) {
    this.where = `the data folder ${dir}`;
  }

  /**
   * The content is written to a temporary file and renamed into place, so a reader never sees
   * a partial file; content that is there already is kept (same hash, same bytes).
   */
  async put(input: Readable, options: PutOptions = {}): Promise<StoredFile> {
    const tmpDir = path.join(this.dir, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = path.join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    try {
      const stored = await receive(input, createWriteStream(tmp, { flags: 'wx' }), {
        maxBytes: options.maxBytes ?? this.maxUploadBytes,
        expect: options.expect,
      });
      const target = contentPath(this, stored.sha256);
      if (await exists(target)) {
        await rm(tmp, { force: true });
      } else {
        await mkdir(path.dirname(target), { recursive: true });
        // Two uploads of the same content may both get here: rename replaces atomically with
        // identical bytes, so either order leaves one complete file.
        await rename(tmp, target);
      }
      return stored;
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async open(sha256: string): Promise<Readable | undefined> {
    const file = contentPath(this, sha256);
    if (!(await exists(file))) return undefined;
    return createReadStream(file);
  }

  async sizeOf(sha256: string): Promise<number | undefined> {
    return (await stat(contentPath(this, sha256)).catch(() => undefined))?.size;
  }

  async problemOf(sha256: string, size: number): Promise<string | undefined> {
    const found = await this.sizeOf(sha256);
    if (found === undefined) return 'not in the folder';
    if (found !== size) return `${found} bytes in the folder`;
    return undefined;
  }

  async *contents(): AsyncIterable<{ sha256: string; size: number }> {
    for (const file of await storedFiles(this)) {
      const sha256 = path.basename(file);
      if (!SHA256.test(sha256)) continue;
      const found = await stat(file).catch(() => undefined);
      if (found) yield { sha256, size: found.size };
    }
  }

  async remove(sha256: string): Promise<void> {
    await rm(contentPath(this, sha256), { force: true });
  }

  async staleUploads(now = new Date()): Promise<PartFiles> {
    const parts = await staleParts(this, now);
    return { count: parts.length, bytes: parts.reduce((n, p) => n + p.size, 0) };
  }

  removeStaleUploads(now = new Date()): Promise<PartFiles> {
    return removeStaleParts(this, now);
  }
}

/** The temporary files of uploads not written to for STALE_PART_MS before `now`. */
export async function staleParts(
  store: { dir: string },
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
export async function removeStaleParts(
  store: { dir: string },
  now = new Date(),
): Promise<PartFiles> {
  const parts = await staleParts(store, now);
  for (const part of parts) await rm(part.file, { force: true });
  return { count: parts.length, bytes: parts.reduce((n, p) => n + p.size, 0) };
}

/** Every stored content's file (not the temporary files of uploads in progress). */
export async function storedFiles(store: { dir: string }): Promise<string[]> {
  const root = path.join(store.dir, 'sha256');
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
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

/** A whole stored content in memory (for a sync bundle's line), or undefined when it is absent. */
export async function readContent(store: FileStore, sha256: string): Promise<Buffer | undefined> {
  const input = await store.open(sha256);
  if (!input) return undefined;
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of input) chunks.push(chunk as Buffer);
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks);
}
