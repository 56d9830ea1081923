import type { Selectable } from 'kysely';
import type { Database } from '../db/database.js';
import type { AttachmentTable } from '../db/schema.js';

export type AttachmentRow = Selectable<AttachmentTable>;

export async function findSubjectKind(db: Database, code: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('object_code')
    .select('kind')
    .where('code', '=', code)
    .executeTakeFirst();
  return row?.kind;
}

export async function insertAttachment(db: Database, row: AttachmentRow): Promise<void> {
  await db.insertInto('attachment').values(row).execute();
}

export async function findAttachment(
  db: Database,
  code: string,
): Promise<AttachmentRow | undefined> {
  return db.selectFrom('attachment').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Oldest first; removed ones only when asked. */
export async function listAttachmentRows(
  db: Database,
  subjectCode: string,
  withRemoved: boolean,
): Promise<AttachmentRow[]> {
  let query = db.selectFrom('attachment').selectAll().where('subject_code', '=', subjectCode);
  if (!withRemoved) query = query.where('removed_at', 'is', null);
  return query.orderBy('created_at').orderBy('code').execute();
}

/**
 * Marks an attachment removed unless it is already: a guarded update, so of two concurrent
 * removals exactly one succeeds. Returns the updated row, or undefined when nothing changed.
 */
export async function markRemoved(
  db: Database,
  code: string,
  removal: { at: string; by: string; reason: string },
): Promise<AttachmentRow | undefined> {
  return db
    .updateTable('attachment')
    .set({ removed_at: removal.at, removed_by: removal.by, removed_reason: removal.reason })
    .where('code', '=', code)
    .where('removed_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

/** Which of these attachments are removed. */
export async function removedAttachmentCodes(
  db: Database,
  codes: readonly string[],
): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db
    .selectFrom('attachment')
    .select('code')
    .where('code', 'in', codes)
    .where('removed_at', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.code));
}

/** Every content (hash and size) that an attachment names, removed ones included, once each. */
export async function listAttachmentContents(db: Database) {
  return db.selectFrom('attachment').select(['sha256', 'size']).distinct().execute();
}

/** Whether any attachment exists (removed ones too): then its file is somewhere already. */
export async function hasAttachments(db: Database): Promise<boolean> {
  return (
    (await db.selectFrom('attachment').select('code').limit(1).executeTakeFirst()) !== undefined
  );
}
