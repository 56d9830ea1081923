import { Readable, Writable } from 'node:stream';
import type { Database } from '../db/database.js';
import { violatedUnique } from '../db/errors.js';
import { newCode } from '../domain/code.js';
import {
  deleteContent,
  findChunk,
  findContent,
  insertChunk,
  insertUpload,
  listContents,
  listStaleUploads,
  publishUpload,
  chunkTotals,
} from './file-content.repository.js';
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  isSha256,
  receive,
  type FileStore,
  type PartFiles,
  type PutOptions,
  type StoredFile,
} from './file-store.js';

/**
 * Bytes per stored chunk: large enough that a 50 MB file is 200 rows, small enough that a
 * reader or writer holds only a few hundred KB of any file at a time.
 */
export const CHUNK_BYTES = 256 * 1024;

/**
 * An upload not published after this long died with its server or client. Longer than the
 * folder's hour since an upload's row is stamped once, when it starts, not at every write.
 */
export const STALE_UPLOAD_MS = 24 * 60 * 60 * 1000;

/** Contents listed per query. */
const PAGE = 500;

/**
 * Attachment contents in PostgreSQL (`tracelot serve --files database`, docs/attachments.md):
 * any number of servers on one database share the files with no shared disk.
 *
 * An upload is a file_content row without a hash, whose chunks are written as the bytes arrive
 * (each insert committed on its own, so no transaction or connection is held for as long as a
 * client takes to send); once the whole content is in and hashed, it is published by setting
 * its sha256. The unique index on sha256 decides between two uploads of the same bytes, on one
 * server or two: the first to publish keeps its chunks, the other drops its own. A reader finds
 * only published contents, and reads them a chunk per query.
 */
export class DatabaseFileStore implements FileStore {
  readonly kind = 'database';
  readonly where = 'the database';

  constructor(
    private readonly db: Database,
    readonly maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES,
  ) {}

  async put(input: Readable, options: PutOptions = {}): Promise<StoredFile> {
    const id = newCode();
    await insertUpload(this.db, id, new Date().toISOString());
    const writer = new ChunkWriter(this.db, id);
    try {
      const stored = await receive(input, writer, {
        maxBytes: options.maxBytes ?? this.maxUploadBytes,
        expect: options.expect,
      });
      if (await findContent(this.db, stored.sha256)) {
        await deleteContent(this.db, id);
        return stored;
      }
      const published = { sha256: stored.sha256, size: stored.size, chunkCount: writer.chunks };
      await publishUpload(this.db, id, published).catch(async (error: unknown) => {
        // Another upload of the same bytes published between the lookup and here: keep its.
        if (violatedUnique(error) !== 'file_content_sha256') throw error;
        await deleteContent(this.db, id);
      });
      return stored;
    } catch (error) {
      // A chunk insert may still be running when the input fails: removed after it ends, so
      // nothing of the upload is left behind (or, should the removal fail, it is left to the
      // next start's removal of stale uploads).
      await writer.idle();
      await deleteContent(this.db, id).catch(() => undefined);
      throw error;
    }
  }

  async open(sha256: string): Promise<Readable | undefined> {
    if (!isSha256(sha256)) return undefined;
    const row = await findContent(this.db, sha256);
    if (!row) return undefined;
    const db = this.db;
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let seq = 0; seq < row!.chunk_count; seq++) {
        const data = await findChunk(db, row!.id, seq);
        if (!data)
          throw new Error(
            `chunk ${seq} of the ${row!.chunk_count} of ${sha256} is missing from the database`,
          );
        yield Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      }
    }
    // Not in object mode: a byte stream whose buffer (16 KB) is below a chunk, so the next
    // chunk is fetched only once the reader has taken the one before.
    return Readable.from(chunks(), { objectMode: false });
  }

  async sizeOf(sha256: string): Promise<number | undefined> {
    return isSha256(sha256) ? (await findContent(this.db, sha256))?.size : undefined;
  }

  async problemOf(sha256: string, size: number): Promise<string | undefined> {
    const row = isSha256(sha256) ? await findContent(this.db, sha256) : undefined;
    if (!row) return 'not in the database';
    if (row.size !== size) return `${row.size} bytes in the database`;
    const stored = await chunkTotals(this.db, row.id);
    if (stored.chunks !== row.chunk_count || stored.lastSeq !== row.chunk_count - 1)
      return `${stored.chunks} of its ${row.chunk_count} chunks in the database`;
    if (stored.bytes !== row.size) return `its chunks hold ${stored.bytes} bytes`;
    return undefined;
  }

  async *contents(): AsyncIterable<{ sha256: string; size: number }> {
    let after = '';
    for (;;) {
      const page = await listContents(this.db, after, PAGE);
      for (const row of page) yield { sha256: row.sha256, size: row.size };
      if (page.length < PAGE) return;
      after = page.at(-1)!.sha256;
    }
  }

  async remove(sha256: string): Promise<void> {
    const row = isSha256(sha256) ? await findContent(this.db, sha256) : undefined;
    if (row) await deleteContent(this.db, row.id);
  }

  async staleUploads(now = new Date()): Promise<PartFiles> {
    const stale = await listStaleUploads(this.db, staleBefore(now));
    return { count: stale.length, bytes: stale.reduce((n, s) => n + s.bytes, 0) };
  }

  async removeStaleUploads(now = new Date()): Promise<PartFiles> {
    const stale = await listStaleUploads(this.db, staleBefore(now));
    for (const upload of stale) await deleteContent(this.db, upload.id);
    return { count: stale.length, bytes: stale.reduce((n, s) => n + s.bytes, 0) };
  }
}

function staleBefore(now: Date): string {
  return new Date(now.getTime() - STALE_UPLOAD_MS).toISOString();
}

/** Cuts the bytes written to it into CHUNK_BYTES rows of one upload, numbered from 0. */
class ChunkWriter extends Writable {
  chunks = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database,
    private readonly contentId: string,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (e?: Error | null) => void) {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < CHUNK_BYTES) return done();
    this.writing = this.writeFull();
    this.writing.then(() => done(), done);
  }

  override _final(done: (e?: Error | null) => void) {
    if (this.pendingBytes === 0) return done();
    this.writing = this.writeChunk(Buffer.concat(this.pending));
    this.writing.then(() => done(), done);
  }

  /** Once no chunk insert is running. */
  async idle(): Promise<void> {
    await this.writing.catch(() => undefined);
  }

  private async writeFull(): Promise<void> {
    while (this.pendingBytes >= CHUNK_BYTES) {
      const all = Buffer.concat(this.pending);
      const rest = Buffer.from(all.subarray(CHUNK_BYTES));
      await this.writeChunk(all.subarray(0, CHUNK_BYTES));
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
  }

  private async writeChunk(data: Buffer): Promise<void> {
    await insertChunk(this.db, this.contentId, this.chunks, data);
    this.chunks++;
  }
}
