import { changeAttributes, type AttributeInput } from '../attributes/attribute.service.js';
import type { Database } from '../db/database.js';
import type { Actor } from '../domain/roles.js';
import { diffColumns } from '../domain/changes.js';
import { appendHistory, type NewHistoryEvent } from './history.repository.js';

export interface Edit<R> {
  columns: { [K in keyof R]?: R[K] | undefined };
  attributes: AttributeInput;
  /** For archivable objects: true archives, false restores. */
  archived?: boolean | undefined;
  /** The API's names of columns named otherwise in the database, for the history. */
  names?: { [K in keyof R]?: string };
}

/**
 * Edits an object the one way every object is edited: writes the columns that changed,
 * replaces tags and custom fields that changed, and records an `updated` event with each
 * change's before and after (plus `archived`/`restored`). Nothing changed: nothing written.
 */
export async function applyEdit<R extends { code: string; archived?: number }>(
  db: Database,
  actor: Actor,
  at: string,
  row: R,
  edit: Edit<R>,
  write: (set: Partial<R> & { updated_at: string }) => Promise<void>,
): Promise<void> {
  const { set, changes: columnChanges } = diffColumns(row, edit.columns);
  const changes = Object.fromEntries(
    Object.entries(columnChanges).map(([column, change]) => [
      edit.names?.[column as keyof R] ?? column,
      change,
    ]),
  );
  Object.assign(changes, await changeAttributes(db, row.code, edit.attributes));
  const events: NewHistoryEvent[] = [];
  if (Object.keys(changes).length > 0)
    events.push({ subjectCode: row.code, type: 'updated', data: changes });
  const archived = edit.archived === undefined ? undefined : edit.archived ? 1 : 0;
  if (archived !== undefined && archived !== row.archived) {
    (set as { archived?: number }).archived = archived;
    events.push({ subjectCode: row.code, type: archived ? 'archived' : 'restored', data: {} });
  }
  if (events.length === 0) return;
  await write({ ...set, updated_at: at });
  await appendHistory(db, actor, at, events);
}
