import type { Readable } from 'node:stream';
import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { parseCode, shortCode } from '../domain/code.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { detectMediaType, sanitizeFileName } from '../domain/media-type.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { registerCodes } from '../db/object-code.repository.js';
import {
  findAttachment,
  findSubjectKind,
  insertAttachment,
  listAttachmentRows,
  markRemoved,
  type AttachmentRow,
} from './attachment.repository.js';
import {
  ATTACHABLE_KINDS,
  ListQuery,
  RemoveRequest,
  UploadQuery,
  type Attachment,
} from './attachment.schemas.js';
import { openContent, storeStream, type FileStore } from './file-store.js';

/**
 * Stores an uploaded file and attaches it to its subject. Everything about the request is
 * checked before the body is read; the bytes are written to the store first (content-addressed,
 * so a failed insert leaves at most an unreferenced file, never a row without its file).
 */
export async function uploadAttachment(
  ctx: Context,
  store: FileStore,
  actor: Actor,
  query: UploadQuery,
  body: Readable,
): Promise<Attachment> {
  const input = parseInput(UploadQuery, query);
  const subject = await getSubject(ctx, input.subject);
  const fileName = sanitizeFileName(input.name);
  if (fileName === '') throw new ValidationError('name', 'must be a file name');
  const stored = await storeStream(store, body);
  const row: AttachmentRow = {
    code: ctx.newCode(),
    subject_code: subject,
    sha256: stored.sha256,
    size: stored.size,
    media_type: detectMediaType(stored.head, fileName),
    file_name: fileName,
    note: input.note,
    created_by: actor.name,
    created_by_code: actor.code,
    created_at: now(ctx),
    removed_at: null,
    removed_by: null,
    removed_reason: null,
  };
  await inTransaction(ctx.db, async (trx) => {
    await registerCodes(trx, 'attachment', [row.code]);
    await insertAttachment(trx, row);
    await appendHistory(trx, actor, row.created_at, [
      {
        subjectCode: subject,
        type: 'attachment_added',
        data: {
          attachment: row.code,
          fileName,
          size: row.size,
          mediaType: row.media_type,
        },
      },
    ]);
  });
  return toAttachment(row);
}

/** The attachments of an object; removed ones too when an admin asks. */
export async function listAttachments(
  ctx: Context,
  actor: Actor,
  query: ListQuery,
): Promise<Attachment[]> {
  const input = parseInput(ListQuery, query);
  if (input.removed && actor.role !== 'admin')
    throw new ForbiddenError('only admins may list removed attachments', 'removed');
  const subject = await getSubject(ctx, input.subject);
  const rows = await listAttachmentRows(ctx.db, subject, input.removed);
  return rows.map(toAttachment);
}

/** An attachment; a removed one only for admins (for everyone else it is gone). */
export async function getAttachment(ctx: Context, actor: Actor, ref: string): Promise<Attachment> {
  return toAttachment(await getRow(ctx, actor, ref));
}

export async function openAttachmentContent(
  ctx: Context,
  store: FileStore,
  actor: Actor,
  ref: string,
): Promise<{ attachment: Attachment; content: Readable }> {
  const row = await getRow(ctx, actor, ref);
  const content = await openContent(store, row.sha256);
  if (!content)
    throw new NotFoundError(
      'file',
      row.sha256,
      'code',
      `the file of attachment '${row.code}' is missing from ${store.where}`,
    );
  return { attachment: toAttachment(row), content };
}

/** Marks an attachment removed and records why; the file itself is kept. */
export async function removeAttachment(
  ctx: Context,
  actor: Actor,
  ref: string,
  request: RemoveRequest,
): Promise<Attachment> {
  const { reason } = parseInput(RemoveRequest, request);
  const code = parseCode(ref, 'code');
  const at = now(ctx);
  return inTransaction(ctx.db, async (db) => {
    const row = await markRemoved(db, code, { at, by: actor.name, reason });
    if (!row) {
      const existing = await findAttachment(db, code);
      if (!existing) throw new NotFoundError('attachment', code, 'code');
      throw new ConflictError(`attachment '${code}' was removed already`, 'code');
    }
    await appendHistory(db, actor, at, [
      {
        subjectCode: row.subject_code,
        type: 'attachment_removed',
        data: { attachment: row.code, fileName: row.file_name, reason },
      },
    ]);
    return toAttachment(row);
  });
}

async function getSubject(ctx: Context, ref: string): Promise<string> {
  const code = parseCode(ref, 'subject');
  const kind = await findSubjectKind(ctx.db, code);
  if (!kind) throw new NotFoundError('object', code, 'subject', `nothing has the code '${code}'`);
  if (!(ATTACHABLE_KINDS as readonly string[]).includes(kind))
    throw new ValidationError('subject', `a ${kind.replace('_', ' ')} cannot have attachments`);
  return code;
}

async function getRow(ctx: Context, actor: Actor, ref: string): Promise<AttachmentRow> {
  const code = parseCode(ref, 'code');
  const row = await findAttachment(ctx.db, code);
  if (!row || (row.removed_at !== null && actor.role !== 'admin'))
    throw new NotFoundError('attachment', code, 'code');
  return row;
}

function toAttachment(row: AttachmentRow): Attachment {
  return {
    code: row.code,
    shortCode: shortCode(row.code),
    subjectCode: row.subject_code,
    fileName: row.file_name,
    mediaType: row.media_type,
    size: Number(row.size),
    sha256: row.sha256,
    note: row.note,
    createdBy: { code: row.created_by_code, name: row.created_by },
    createdAt: row.created_at,
    removed:
      row.removed_at === null
        ? null
        : { at: row.removed_at, by: row.removed_by ?? '', reason: row.removed_reason ?? '' },
    url: `/api/v1/attachments/${row.code}/content`,
  };
}
