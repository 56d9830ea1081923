import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { rename, rm } from 'node:fs/promises';
import type { FileStore } from '../attachments/file-store.js';
import type { Context } from '../context.js';
import type { Vector } from '../db/sync-rows.js';
import { listSiteRows } from '../db/site.repository.js';
import { NotFoundError } from '../domain/errors.js';
import { applyBundle, type ApplyResult } from './bundle-apply.service.js';
import { linesOf } from './bundle.js';
import { writeBundle } from './bundle-write.service.js';

/**
 * Sync through files (`tracelot sync export` / `sync import`), for sites with no connection:
 * the bundle of bundle.ts written to a file, carried over (a USB stick), applied there.
 */

/**
 * What a bundle for `siteName` starts after: what that site held when its records last came
 * here; everything, for a site never heard from (applying what is there already changes nothing).
 */
export async function vectorFor(ctx: Context, siteName: string | undefined): Promise<Vector> {
  if (siteName === undefined) return {};
  const sites = await listSiteRows(ctx.db);
  const site = sites.find(
    (s) => s.name.toLowerCase() === siteName.toLowerCase() || s.id === siteName,
  );
  if (!site || site.local === 1)
    throw new NotFoundError('site', `no other site named ${siteName} is known here`);
  return JSON.parse(site.peer_vector) as Vector;
}

/** Records or rows per line of a bundle file. */
const FILE_PAGE = 5_000;

/** Bundle text per write to a file. */
const WRITE_BYTES = 1 << 20;

/** Writes a bundle to `file` (through a temporary file, renamed when complete). */
export async function exportBundle(
  ctx: Context,
  store: FileStore,
  file: string,
  since: Vector,
  onProgress?: (what: string) => void,
): Promise<{ file: string; lines: number }> {
  const part = `${file}.part`;
  const out = createWriteStream(part, { flags: 'wx' });
  let lines = 0;
  let text = '';
  try {
    // Streamed: a file takes lines as fast as they are read, so a bundle of a whole instance
    // never sits in memory.
    await writeBundle(
      ctx.db,
      store,
      since,
      (line) => {
        // Lines gathered into writes of about 1 MB: a write per line costs more than its line.
        lines++;
        text += `${line}\n`;
        if (text.length < WRITE_BYTES) return;
        const ok = out.write(text);
        text = '';
        if (!ok) return once(out, 'drain').then(() => undefined);
      },
      // Longer lines than over HTTPS: fewer queries and lines for an export of everything.
      { onProgress, page: FILE_PAGE },
    );
    out.end(text);
    await once(out, 'finish');
    await rename(part, file);
  } catch (error) {
    out.destroy();
    await rm(part, { force: true });
    throw error;
  }
  return { file, lines };
}

/** Applies a bundle file (see applyBundle). */
export async function importBundle(
  ctx: Context,
  store: FileStore,
  file: string,
  onProgress?: (what: string) => void,
): Promise<ApplyResult> {
  // Large reads: a bundle of everything is hundreds of megabytes.
  const input = createReadStream(file, { highWaterMark: 1 << 20 });
  try {
    return await applyBundle(ctx.db, store, linesOf(input), onProgress);
  } finally {
    input.destroy();
  }
}
