import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import type { SyncConflictTable } from '../db/schema.js';
import {
  findConflictRow,
  listConflictRows,
  recordOrigins,
  resolveConflictRow,
} from '../db/sync-rows.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import {
  ConflictQuery,
  ResolveConflict,
  type Conflict,
  type ConflictPage,
} from './conflict.schemas.js';

/** The conflicts list (docs/sites.md "Merge rules"): what sync could not merge silently. */
export async function listConflicts(ctx: Context, query: ConflictQuery): Promise<ConflictPage> {
  const { all, limit, offset } = parseInput(ConflictQuery, query);
  const { rows, total } = await listConflictRows(ctx.db, { all, limit, offset });
  const origins = await recordOrigins(
    ctx.db,
    rows.flatMap((r) => [r.kept_change, r.other_change]),
  );
  return { items: rows.map((r) => toConflict(r, origins)), total, limit, offset };
}

export async function getConflict(ctx: Context, code: string): Promise<Conflict> {
  const row = await findConflictRow(ctx.db, code.toUpperCase());
  if (!row) throw new NotFoundError('conflict', `no conflict ${code}`);
  return toConflict(row, await recordOrigins(ctx.db, [row.kept_change, row.other_change]));
}

/**
 * Settles a conflict: a person says which side stands and why, a change like any other (logged,
 * in the unit's history). Nothing is undone here: when the other side is to stand, the person
 * makes it so with the usual operations, which the note can name.
 */
export async function resolveConflict(
  ctx: Context,
  actor: Actor,
  code: string,
  input: ResolveConflict,
): Promise<Conflict> {
  const { keep, note } = parseInput(ResolveConflict, input);
  const conflict = await getConflict(ctx, code);
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    const text = JSON.stringify({ keep, note });
    if (!(await resolveConflictRow(db, conflict.code, { at, by: actor.name, text })))
      throw new ConflictError(`conflict ${conflict.code} is resolved already`, 'code');
    await appendHistory(db, actor, at, [
      {
        subjectCode: conflict.subject,
        type: 'conflict_resolved',
        data: { conflict: conflict.code, kind: conflict.kind, keep, note },
      },
    ]);
  });
  return getConflict(ctx, conflict.code);
}

function toConflict(
  row: SyncConflictTable,
  origins: Map<string, { at: string; actor: string; site: string }>,
): Conflict {
  const side = (change: string, image: string) => ({
    change,
    site: origins.get(change)?.site ?? null,
    at: origins.get(change)?.at ?? null,
    actor: origins.get(change)?.actor ?? null,
    row: JSON.parse(image) as Record<string, unknown>,
  });
  const resolution = row.resolution
    ? (JSON.parse(row.resolution) as { keep: 'kept' | 'other'; note: string })
    : null;
  return {
    code: row.code,
    kind: row.kind as Conflict['kind'],
    subject: row.subject_code,
    table: row.table_name,
    detectedAt: row.detected_at,
    kept: side(row.kept_change, row.kept),
    other: side(row.other_change, row.other),
    resolution:
      resolution && row.resolved_at && row.resolved_by
        ? { at: row.resolved_at, by: row.resolved_by, ...resolution }
        : null,
  };
}
