import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { newCode, shortCode } from '../domain/code.js';
import { ConflictError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import {
  findLocalSiteRow,
  listSiteRows,
  otherSitesNamed,
  renameSiteRow,
  startEpoch,
  type SiteRow,
} from '../db/site.repository.js';
import { SiteUpdate, type Site, type SiteBrief, type SiteList } from './site.schemas.js';

/** This instance's site: its id, name and chain head (DESIGN.md "Sites"). */
export async function getLocalSite(ctx: Context): Promise<Site> {
  return toSite(await findLocalSiteRow(ctx.db));
}

/** Every site this instance knows: itself first. */
export async function listSites(ctx: Context): Promise<SiteList> {
  return { items: (await listSiteRows(ctx.db)).map(toSite) };
}

/**
 * Names this site. The id never changes (records and locations name the site by it); the name
 * is what people read, so it differs from every other known site's, ignoring case.
 */
export async function renameLocalSite(
  ctx: Context,
  actor: Actor,
  input: SiteUpdate,
): Promise<Site> {
  const { name } = parseInput(SiteUpdate, input);
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    const site = await findLocalSiteRow(db);
    if (site.name === name) return;
    if ((await otherSitesNamed(db, name)).length > 0)
      throw new ConflictError(`another site is named '${name}'`, 'name');
    await renameSiteRow(db, site.id, name);
    await appendHistory(db, actor, at, [
      { subjectCode: site.id, type: 'updated', data: { name: { from: site.name, to: name } } },
    ]);
  });
  return getLocalSite(ctx);
}

/** Every known site as objects name it, by id. */
export async function siteBriefs(ctx: Context): Promise<Map<string, SiteBrief>> {
  const rows = await listSiteRows(ctx.db);
  // An earlier epoch of this site (local = 2) is this site: its locations are this site's.
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, local: r.local !== 0 }]));
}

function toSite(row: SiteRow): Site {
  return {
    id: row.id,
    shortCode: shortCode(row.id),
    name: row.name,
    local: row.local === 1,
    records: Number(row.head_seq),
    head: { seq: Number(row.head_seq), hash: row.head_hash, hlc: row.head_hlc },
  };
}

/**
 * After a backup of this site was restored (docs/sites.md "Restore"): the site takes a new id, so
 * that what it writes from now on never reuses the numbers of the records the backup lacked,
 * which its peers still hold and the next sync brings back under the old id. Logged as the new
 * epoch's first record, naming the id and chain head it continues from.
 */
export async function markRestored(ctx: Context, actor: Actor): Promise<Site> {
  const at = now(ctx);
  const id = newCode();
  await inTransaction(ctx.db, async (db) => {
    const site = await findLocalSiteRow(db);
    let former = `${site.name} (until ${at.slice(0, 10)})`;
    for (let n = 2; (await otherSitesNamed(db, former)).length > 0; n++)
      former = `${site.name} (until ${at.slice(0, 10)}, ${n})`;
    await startEpoch(db, id, former);
    await appendHistory(db, actor, at, [
      {
        subjectCode: id,
        type: 'updated',
        data: { restoredFrom: { site: site.id, seq: Number(site.head_seq), hash: site.head_hash } },
      },
    ]);
  });
  return getLocalSite(ctx);
}
