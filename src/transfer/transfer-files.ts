import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConflictError } from '../domain/errors.js';

/** The SHA-256 (hex) of a file's content, read as a stream. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Copies `from` to `to` while hashing what it copies; a copy whose hash is not `sha256` is
 * removed and reported, so no file lands under a name that its content does not match.
 * Returns the bytes copied.
 */
export async function copyVerified(
  from: string | Readable,
  to: string,
  sha256: string,
): Promise<number> {
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const input = typeof from === 'string' ? createReadStream(from) : from;
  await pipeline(input, meter, createWriteStream(to, { flags: 'wx' }));
  const got = hash.digest('hex');
  if (got !== sha256) {
    await rm(to, { force: true });
    const name = typeof from === 'string' ? from : `the stored content ${sha256}`;
    throw new ConflictError(`${name} is damaged: its content's SHA-256 is ${got}, not ${sha256}`);
  }
  return bytes;
}

/** Whether a path is missing or an empty directory (a file, or a directory with entries, is not). */
export async function isNewOrEmptyDir(dir: string): Promise<boolean> {
  const found = await stat(dir).catch(() => undefined);
  if (!found) return true;
  return found.isDirectory() && (await readdir(dir)).length === 0;
}

/** The names of the files in a directory (none when it is missing). */
export async function fileNames(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

export const tableFile = (dir: string, table: string) => path.join(dir, `${table}.jsonl`);
export const filesDir = (dir: string) => path.join(dir, 'files');
