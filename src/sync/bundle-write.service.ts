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

/**
 * The lines of a bundle for a site that holds `since` (docs/sites.md "How sites sync"): every
 * record held here beyond it, the rows they last wrote, the files those rows name, read in one
 * snapshot so that a write meanwhile is wholly in it or not at all.
 */
export async function* bundleLines(
  db: Database,
  store: FileStore,
  since: Vector,
  onProgress: (what: string) => void = () => undefined,
): AsyncGenerator<string> {
  // A snapshot is one connection held open: the lines are gathered into pages first and then
  // yielded, so a slow reader never holds the database. (Bundles are what one site lacks of
  // another: their size is the work done apart.)
  const lines = await inReadSnapshot(db, async (snapshot) => {
    const out: BundleLine[] = [];
    const sites = await listSiteRows(snapshot);
    const local = sites.find((s) => s.local === 1)!;
    out.push({
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
    for await (const page of recordsBeyond(snapshot, since, PAGE)) {
      for (const record of page) out.push({ record });
      records += page.length;
    }
    onProgress(`${records} records`);
    const hashes = new Set<string>();
    for (const table of SYNCED_TABLES) {
      let rows = 0;
      for await (const data of rowsBeyond(snapshot, table, since, PAGE)) {
        out.push({ rows: table, data });
        rows += data.length;
        if (table === 'attachment') for (const r of data) hashes.add(r.sha256 as string);
      }
      if (rows > 0) onProgress(`${table}: ${rows} rows`);
    }
    return { out, hashes, records };
  });
  const digest = new BundleDigest();
  let rows = 0;
  for (const line of lines.out) {
    if ('rows' in line) rows += line.data.length;
    const text = JSON.stringify(line);
    digest.add(text);
    yield text;
  }
  let files = 0;
  for (const sha256 of [...lines.hashes].sort()) {
    // A bundle line holds a whole file (base64): bundles carry files as JSON lines.
    const data = await readContent(store, sha256);
    if (!data) continue; // a file missing here: the receiver's check names it
    const text = JSON.stringify({ file: sha256, data: data.toString('base64') });
    digest.add(text);
    files++;
    yield text;
  }
  if (files > 0) onProgress(`${files} files`);
  yield JSON.stringify({ end: { records: lines.records, rows, files, sha256: digest.hex() } });
}
