import { readContent, type FileStore } from '../attachments/file-store.js';
import type { Database } from '../db/database.js';
import { inReadSnapshot } from '../db/instance-rows.js';
import { listSiteRows } from '../db/site.repository.js';
import { readVector, recordsBeyond, rowsBeyond, type Vector } from '../db/sync-rows.js';
import { SYNCED_TABLES } from '../db/synced-tables.js';
import { newCode } from '../domain/code.js';
import { BUNDLE_FORMAT, BundleDigest, type BundleLine } from './bundle.js';

/** Records or rows per bundle line. */
const PAGE = 1_000;

export interface BundleOptions {
  onProgress?: ((what: string) => void) | undefined;
  /** Records or rows per line (tests vary it: an apply must not depend on where pages end). */
  page?: number | undefined;
}

/**
 * Writes the bundle for a site that holds `since` (docs/sites.md "How sites sync") to `sink`, a
 * line at a time: every record held here beyond it, the rows they last wrote, the files those
 * rows name — all read in one snapshot, so that a write meanwhile is wholly in it or not at all.
 * The snapshot stays open until the sink has taken the last line: for a file, whose writes are
 * quick, not for a network peer (bundleLines).
 */
export async function writeBundle(
  db: Database,
  store: FileStore,
  since: Vector,
  sink: (line: string) => Promise<void> | void,
  options: BundleOptions = {},
): Promise<void> {
  const say = options.onProgress ?? (() => undefined);
  const page = options.page ?? PAGE;
  await inReadSnapshot(db, async (snapshot) => {
    const digest = new BundleDigest();
    // A promise only when the sink asks to wait: a line is no await of its own (a bundle of
    // everything is a million record lines).
    const emit = (line: BundleLine): Promise<void> | void => {
      const text = JSON.stringify(line);
      digest.add(text);
      return sink(text);
    };
    const sites = await listSiteRows(snapshot);
    const local = sites.find((s) => s.local === 1)!;
    await emit({
      bundle: {
        format: BUNDLE_FORMAT,
        id: newCode(),
        site: { id: local.id, name: local.name },
        sites: sites.map((s) => ({ id: s.id, name: s.name })),
        vector: await readVector(snapshot),
        since,
        createdAt: new Date().toISOString(),
      },
    });
    let records = 0;
    for await (const found of recordsBeyond(snapshot, since, page)) {
      for (const record of found) {
        const wait = emit({ record });
        if (wait) await wait;
      }
      records += found.length;
    }
    say(`${records} records`);
    const hashes = new Set<string>();
    let rows = 0;
    for (const table of SYNCED_TABLES) {
      let count = 0;
      for await (const data of rowsBeyond(snapshot, table, since, page)) {
        await emit({ rows: table, data });
        count += data.length;
        if (table === 'attachment') for (const r of data) hashes.add(r.sha256 as string);
      }
      if (count > 0) say(`${table}: ${count} rows`);
      rows += count;
    }
    let files = 0;
    for (const sha256 of [...hashes].sort()) {
      // A bundle line holds a whole file (base64): bundles carry files as JSON lines.
      const data = await readContent(store, sha256);
      if (!data) continue; // a file missing here: the receiver's check names it
      await emit({ file: sha256, data: data.toString('base64') });
      files++;
    }
    if (files > 0) say(`${files} files`);
    await sink(JSON.stringify({ end: { records, rows, files, sha256: digest.hex() } }));
  });
}

/**
 * The lines of a bundle (writeBundle) for a network peer: gathered first and then yielded, so a
 * slow reader never holds the database's snapshot open. (Bundles are what one site lacks of
 * another: their size is the work done apart; whole instances move with export/import.)
 */
export async function* bundleLines(
  db: Database,
  store: FileStore,
  since: Vector,
  options: BundleOptions = {},
): AsyncGenerator<string> {
  const lines: string[] = [];
  await writeBundle(db, store, since, (line) => void lines.push(line), options);
  yield* lines;
}

/** Bytes of bundle text per chunk sent over HTTP. */
const CHUNK = 1 << 16;

/**
 * Bundle lines as text chunks of about 64 kB, each line with its newline: what goes over HTTP,
 * where a chunk per line (a bundle of everything has one per record) costs a write each.
 */
export async function* bundleText(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let chunk = '';
  for await (const line of lines) {
    chunk += `${line}\n`;
    if (chunk.length >= CHUNK) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
