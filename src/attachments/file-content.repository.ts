import type { Database } from '../db/database.js';

/**
 * SQL of the attachment contents kept in the database (migration 0027): file_content,
 * file_chunk and the instance_setting that says where the files are. None of these is a record
 * of the change log; their writes run outside any change (see UNLOGGED in db/change-log.ts).
 */

export interface ContentRow {
  id: string;
  sha256: string;
  size: number;
  chunk_count: number;
}

/** Starts an upload: a content without a hash, which no reader can find. */
export async function insertUpload(db: Database, id: string, createdAt: string): Promise<void> {
  await db
    .insertInto('file_content')
    .values({ id, sha256: null, size: 0, chunk_count: 0, created_at: createdAt })
    .execute();
}

export async function insertChunk(
  db: Database,
  contentId: string,
  seq: number,
  data: Uint8Array,
): Promise<void> {
  await db.insertInto('file_chunk').values({ content_id: contentId, seq, data }).execute();
}

/**
 * Publishes an upload under its hash. Fails with a violation of file_content_sha256 when another
 * upload published the same content first (the caller then drops this one).
 */
export async function publishUpload(
  db: Database,
  id: string,
  content: { sha256: string; size: number; chunkCount: number },
): Promise<void> {
  await db
    .updateTable('file_content')
    .set({ sha256: content.sha256, size: content.size, chunk_count: content.chunkCount })
    .where('id', '=', id)
    .where('sha256', 'is', null)
    .execute();
}

/** Removes a content and its chunks (an upload dropped, or a content moved elsewhere). */
export async function deleteContent(db: Database, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('file_chunk').where('content_id', '=', id).execute();
    await trx.deleteFrom('file_content').where('id', '=', id).execute();
  });
}

/** A published content by its hash. */
export async function findContent(db: Database, sha256: string): Promise<ContentRow | undefined> {
  const row = await db
    .selectFrom('file_content')
    .select(['id', 'sha256', 'size', 'chunk_count'])
    .where('sha256', '=', sha256)
    .executeTakeFirst();
  return row && { ...row, sha256: row.sha256!, size: Number(row.size) };
}

/** One chunk's bytes, or undefined when it is missing. */
export async function findChunk(
  db: Database,
  contentId: string,
  seq: number,
): Promise<Uint8Array | undefined> {
  const row = await db
    .selectFrom('file_chunk')
    .select('data')
    .where('content_id', '=', contentId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.data;
}

/** How many chunks a content has and their bytes, as stored. */
export async function chunkTotals(
  db: Database,
  contentId: string,
): Promise<{ chunks: number; bytes: number; lastSeq: number }> {
  const row = await db
    .selectFrom('file_chunk')
    .select((eb) => [
      eb.fn.countAll<number>().as('chunks'),
      eb.fn.coalesce(eb.fn.sum<number>(eb.fn('length', ['data'])), eb.lit(0)).as('bytes'),
      eb.fn.coalesce(eb.fn.max('seq'), eb.lit(-1)).as('last_seq'),
    ])
    .where('content_id', '=', contentId)
    .executeTakeFirstOrThrow();
  return { chunks: Number(row.chunks), bytes: Number(row.bytes), lastSeq: Number(row.last_seq) };
}

/** Published contents in hash order, a page at a time after `after`. */
export async function listContents(
  db: Database,
  after: string,
  limit: number,
): Promise<ContentRow[]> {
  const rows = await db
    .selectFrom('file_content')
    .select(['id', 'sha256', 'size', 'chunk_count'])
    .where('sha256', 'is not', null)
    .where('sha256', '>', after)
    .orderBy('sha256')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ ...r, sha256: r.sha256!, size: Number(r.size) }));
}

/** Uploads never published that were started before `before`, with the bytes their chunks hold. */
export async function listStaleUploads(
  db: Database,
  before: string,
): Promise<{ id: string; bytes: number }[]> {
  const rows = await db
    .selectFrom('file_content as c')
    .leftJoin('file_chunk as k', 'k.content_id', 'c.id')
    .select((eb) => [
      'c.id',
      eb.fn.coalesce(eb.fn.sum<number>(eb.fn('length', ['k.data'])), eb.lit(0)).as('bytes'),
    ])
    .where('c.sha256', 'is', null)
    .where('c.created_at', '<', before)
    .groupBy('c.id')
    .execute();
  return rows.map((r) => ({ id: r.id, bytes: Number(r.bytes) }));
}

export async function findSetting(db: Database, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('instance_setting')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.value;
}

/** Sets a setting only if it has none yet; returns the value in effect afterwards. */
export async function initSetting(
  db: Database,
  key: string,
  value: string,
  at: string,
): Promise<string> {
  await db
    .insertInto('instance_setting')
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await findSetting(db, key))!;
}

export async function setSetting(
  db: Database,
  key: string,
  value: string,
  at: string,
): Promise<void> {
  await db
    .insertInto('instance_setting')
    .values({ key, value, updated_at: at })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
    .execute();
}
