import { createHash, type Hash } from 'node:crypto';
import type { Row } from '../db/instance-rows.js';
import type { Vector } from '../db/sync-rows.js';
import type { StoredRecord } from '../domain/change-record.js';

/**
 * A sync bundle (docs/sites.md "How sites sync"): what one site sends another, as JSON lines —
 * the same bytes over HTTPS and in a `.tlsync` file. In order: a header; the change records the
 * receiver lacks, in clock order; the rows those records last wrote, table by table in
 * foreign-key order; the attachment files those rows name; an end line with the counts and the
 * SHA-256 of every line before it, so that a cut or changed bundle is refused whole.
 */
export const BUNDLE_FORMAT = 1;

export interface BundleHeader {
  format: number;
  /** A random id of this bundle. */
  id: string;
  /** The sending site, and every site whose records it holds. */
  site: { id: string; name: string };
  sites: { id: string; name: string }[];
  /** What the sender held as it wrote the bundle, and what it took the receiver to hold. */
  vector: Vector;
  since: Vector;
  createdAt: string;
}

export interface BundleEnd {
  records: number;
  rows: number;
  files: number;
  sha256: string;
}

export type BundleLine =
  | { bundle: BundleHeader }
  | { record: StoredRecord }
  | { rows: string; data: Row[] }
  | { file: string; data: string }
  | { end: BundleEnd };

/** The running SHA-256 of a bundle's lines (each with its newline), as the end line states it. */
export class BundleDigest {
  private readonly hash: Hash = createHash('sha256');
  add(line: string): void {
    this.hash.update(line).update('\n');
  }
  hex(): string {
    return this.hash.digest('hex');
  }
}

const NEWLINE = 0x0a;

/**
 * The lines of a bundle as its bytes come (a file, an HTTP body): split at each newline, each
 * decoded as UTF-8 once whole (a character cut between two chunks is joined first). readline
 * took several times as long on lines of megabytes (a page of 5,000 rows is one line). A line's
 * trailing `\r` is dropped; the empty line after the last newline is none.
 */
export async function* linesOf(
  input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
      const piece = bytes.subarray(start, end);
      yield textOf(pending.length === 0 ? piece : Buffer.concat([...pending, piece]));
      pending = [];
      start = end + 1;
    }
    if (start < bytes.length) pending.push(bytes.subarray(start));
  }
  if (pending.length > 0) yield textOf(Buffer.concat(pending));
}

function textOf(line: Buffer): string {
  const text = line.toString('utf8');
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}
