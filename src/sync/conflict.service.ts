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
import { locationsOfOtherSites } from '../db/site.repository.js';
import type { UnitState } from '../domain/unit-state.js';
import { appendHistory } from '../history/history.repository.js';
import { setUnitStates } from '../lots/lot.repository.js';
import { entriesOfChange, rebuildBalances } from '../stock/ledger.repository.js';
import { recordMovements } from '../stock/ledger.js';
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
 * in the unit's history). The stock the other side moved of the conflict's subject is moved back
 * (ledger entries of type `reversed`, naming the conflict): a unit scrapped at one site and
 * shipped at another was taken out twice, and its balance stood below zero until now. When
 * that side is the one in effect, a unit's state becomes the standing side's. Other records
 * (the shipment, the serial) stay as they were; the person carries out the rest with the usual
 * operations, which the note can name. Stock is moved only by the site whose locations hold it
 * (ledger.ts), so such a conflict is resolved there.
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
    const [stands, falls] =
      keep === 'kept' ? [conflict.kept, conflict.other] : [conflict.other, conflict.kept];
    // What the side that falls moved of the subject, to move back: only where it is.
    const taken = await entriesOfChange(db, falls.change, conflict.subject);
    const [elsewhere] = await locationsOfOtherSites(db, [
      ...new Set(taken.map((e) => e.location_code)),
    ]);
    if (elsewhere)
      throw new ConflictError(
        `resolve this conflict at ${elsewhere.site}: the stock it corrects is at ${elsewhere.name}, a location of that site`,
        'code',
      );
    const text = JSON.stringify({ keep, note });
    if (!(await resolveConflictRow(db, conflict.code, { at, by: actor.name, text })))
      throw new ConflictError(`conflict ${conflict.code} is resolved already`, 'code');
    if (taken.length > 0) {
      await recordMovements(
        db,
        {
          operation: ctx.newCode(),
          type: 'reversed',
          actor,
          at,
          note: `conflict ${conflict.code} resolved: ${note}`,
          ref: conflict.subject,
        },
        taken.map((e) => ({
          lot_code: e.lot_code,
          location_code: e.location_code,
          status: e.status,
          part_code: e.part_code,
          quantity: -e.quantity,
        })),
      );
      // A balance brought back to zero goes, as a balance emptied by any operation does.
      await rebuildBalances(db, [conflict.subject]);
    }
    if (conflict.kind === 'unit_state' && keep === 'other')
      await setUnitStates(db, [conflict.subject], String(stands.row.unit_state) as UnitState);
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
