import type { Selectable } from 'kysely';
import { GENESIS_PREVIOUS } from '../domain/change-record.js';
import type { Database } from './database.js';
import { isPostgres } from './migrations/helpers.js';
import type { SiteTable } from './schema.js';

// The site table's one writer: the change log's (src/db/change-log.ts) moves each chain head as
// it appends records, and a site's name changes here (src/sites).

export type SiteRow = Selectable<SiteTable>;
export type Head = { id: string; head_seq: number; head_hash: string; head_hlc: string };

/**
 * This site's chain head, locked until the transaction ends: records of one site are appended
 * one at a time. Taken last, after every other lock of the transaction, and held only while it
 * commits, so it orders writers without deadlocking them.
 */
export async function lockHead(db: Database): Promise<Head> {
  return selectHead(db, true);
}

/** This site's chain head as it stands, unlocked (the benchmarks' floors start from it). */
export async function readHead(db: Database): Promise<Head> {
  return selectHead(db, false);
}

async function selectHead(db: Database, lock: boolean): Promise<Head> {
  const query = db
    .selectFrom('site')
    .select(['id', 'head_seq', 'head_hash', 'head_hlc'])
    .where('local', '=', 1);
  const head = await (lock && isPostgres(db) ? query.forUpdate() : query).executeTakeFirst();
  if (!head) throw new Error('this database has no local site: run its migrations');
  return head;
}

export async function setSiteHead(db: Database, head: Head): Promise<void> {
  await db
    .updateTable('site')
    .set({ head_seq: head.head_seq, head_hash: head.head_hash, head_hlc: head.head_hlc })
    .where('id', '=', head.id)
    .execute();
}

/** Every site this instance knows: itself, then those whose records came by sync, by name. */
export async function listSiteRows(db: Database): Promise<SiteRow[]> {
  return db.selectFrom('site').selectAll().orderBy('local', 'desc').orderBy('name').execute();
}

/** This instance's own site (made by the change log's migration, 0012). */
export async function findLocalSiteRow(db: Database): Promise<SiteRow> {
  const row = await db.selectFrom('site').selectAll().where('local', '=', 1).executeTakeFirst();
  if (!row) throw new Error('this database has no local site: run its migrations');
  return row;
}

export async function renameSiteRow(db: Database, id: string, name: string): Promise<void> {
  await db.updateTable('site').set({ name }).where('id', '=', id).execute();
}

/** The sites other than this one named `name`, ignoring case. */
export async function otherSitesNamed(db: Database, name: string): Promise<SiteRow[]> {
  return db
    .selectFrom('site')
    .selectAll()
    .where('local', '<>', 1)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .execute();
}

/**
 * Whether this instance knows any site but itself (records of others came by sync or import):
 * until then no location is another site's. A read of the few-row site table, no join.
 */
export async function knowsOtherSites(db: Database): Promise<boolean> {
  const row = await db
    .selectFrom('site')
    .select('id')
    .where('local', '=', 0)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The locations among `codes` that belong to another site, with that site's name: stock there
 * is that site's to move (DESIGN.md "Sites").
 */
export async function locationsOfOtherSites(
  db: Database,
  codes: readonly string[],
): Promise<{ code: string; name: string; site: string }[]> {
  if (codes.length === 0) return [];
  return db
    .selectFrom('location')
    .innerJoin('site', 'site.id', 'location.site_id')
    .select(['location.code', 'location.name', 'site.name as site'])
    .where('location.code', 'in', [...codes])
    .where('site.local', '=', 0)
    .execute();
}

/** A site whose records came by sync, before its first record is applied. */
export async function addSiteRow(db: Database, site: { id: string; name: string }): Promise<void> {
  await db
    .insertInto('site')
    .values({ ...site, local: 0, head_seq: 0, head_hash: GENESIS_PREVIOUS, head_hlc: '' })
    .execute();
}

/** What a site held when its records last came here: a bundle for it starts after that. */
export async function setPeerVector(db: Database, id: string, vector: object): Promise<void> {
  await db
    .updateTable('site')
    .set({ peer_vector: JSON.stringify(vector) })
    .where('id', '=', id)
    .execute();
}

/**
 * Moves this site's clock past a stamp of another site's record applied here, so that what this
 * site writes next is later by the clock than everything it has seen (hybrid logical clock).
 */
export async function advanceLocalClock(db: Database, hlc: string): Promise<void> {
  await db
    .updateTable('site')
    .set({ head_hlc: hlc })
    .where('local', '=', 1)
    .where('head_hlc', '<', hlc)
    .execute();
}

/**
 * Locks every site's row until the transaction ends (PostgreSQL; SQLite's writer is alone): a sync
 * applying records and this site writing its own take their turns.
 */
export async function lockSites(db: Database): Promise<void> {
  if (isPostgres(db)) await db.selectFrom('site').select('id').forUpdate().execute();
}

/**
 * Gives this site a new id, a new epoch (docs/sites.md "Restore"): its chain starts again after
 * the last record this database holds; the id it had becomes an earlier epoch of this site
 * (local = 2) named `formerName`, whose locations stay this site's and whose lost records the
 * next sync brings back under that id. The clock goes on from where it was.
 */
export async function startEpoch(db: Database, id: string, formerName: string): Promise<SiteRow> {
  const current = await findLocalSiteRow(db);
  await db
    .updateTable('site')
    .set({ local: 2, name: formerName })
    .where('id', '=', current.id)
    .execute();
  await db
    .insertInto('site')
    .values({
      id,
      name: current.name,
      local: 1,
      head_seq: 0,
      head_hash: GENESIS_PREVIOUS,
      head_hlc: current.head_hlc,
    })
    .execute();
  return current;
}
