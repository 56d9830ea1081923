import { requireSignature, verifySignature } from '../signatures/signature.service.js';
import { now, withDb, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { shortCode } from '../domain/code.js';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.js';
import { checkReversal } from '../domain/build-progress.js';
import type { Actor } from '../domain/roles.js';
import { formatRanges, rangeSize } from '../domain/serial-ranges.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { reverseOperation } from '../stock/ledger.js';
import {
  listCompletions,
  listConsumption,
  lockBuildInProgress,
  markCompletionReversed,
} from './build.repository.js';
import { ReverseRequest, type CompletionReversal } from './build.schemas.js';
import { getBuildProgress, getBuildRow, toConsumed } from './build-view.service.js';

/*
 * Correcting a stage completion (a wrong reel, the wrong units): the completion is reversed —
 * never deleted — and the stage is completed again as usual. See docs/builds.md.
 */

/**
 * Reverses a completion of a build in progress, in one transaction: what it consumed goes back
 * to the stock it came from (same lots, locations and statuses: its ledger entries negated), its
 * units miss the stage again, and the completion is marked reversed with who, when and why.
 * Refused (409) when it was reversed already, when the build is finished or cancelled, and
 * while a later stage is completed for its units or some of them were scrapped since.
 */
export async function reverseCompletion(
  ctx: Context,
  actor: Actor,
  buildRef: string,
  completionId: number,
  input: ReverseRequest,
): Promise<CompletionReversal> {
  const { reason, signature: signing } = parseInput(ReverseRequest, input);
  if (!Number.isSafeInteger(completionId) || completionId < 1)
    throw new ValidationError('completion', 'must be a whole number from 1');
  const at = now(ctx);
  const operation = ctx.newCode();
  const signature = await verifySignature(ctx, actor, ['completion_reversed'], signing);
  const reversed = await inTransaction(ctx.db, async (db) => {
    await requireSignature(db, ['completion_reversed'], signature, at);
    const build = await getBuildRow(withDb(ctx, db), buildRef);
    const notFound = () =>
      new NotFoundError(
        'completion',
        String(completionId),
        'completion',
        `build ${shortCode(build.code)} has no completion ${completionId}`,
      );
    // Locked first (the build row, until the transaction ends), then read: of two reversals of
    // one completion the second reads it reversed, and the guarded mark below holds if not.
    if (build.status !== 'in_progress' || !(await lockBuildInProgress(db, build.code, at))) {
      const all = await listCompletions(db, build.code, 'all');
      if (!all.some((c) => c.id === completionId)) throw notFound();
      throw new ConflictError(
        `the build is ${(await getBuildRow(withDb(ctx, db), build.code)).status}: the completions of a finished or cancelled build stay as they are`,
        'build',
      );
    }
    const all = await listCompletions(db, build.code, 'all');
    const completion = all.find((c) => c.id === completionId);
    if (!completion) throw notFound();
    if (completion.reversed_at !== null) throw alreadyReversed(completion);
    checkReversal(await getBuildProgress(db, build), completion);
    if (
      !(await markCompletionReversed(db, build.code, completion.id, {
        at,
        actor,
        reason,
        operation,
      }))
    )
      throw alreadyReversed(completion);
    const rows = await listConsumption(db, build.code, completion.id, 'all');
    await reverseOperation(
      db,
      { operation, type: 'reversed', actor, at, note: reason, ref: build.code },
      { operation: completion.operation, lots: [...new Set(rows.map((r) => r.lot_code))] },
    );
    const serials = completion.ranges.length === 0 ? 'all' : formatRanges(completion.ranges);
    const units =
      completion.ranges.length === 0 ? Number(build.quantity) : rangeSize(completion.ranges);
    await appendHistory(db, actor, at, [
      {
        subjectCode: build.code,
        type: 'completion_reversed',
        data: { completion: completion.id, stage: completion.stage, units, serials, reason },
      },
    ]);
    return {
      completion: completion.id,
      stage: completion.stage,
      units,
      serials,
      returned: toConsumed(rows, [completion]),
    };
  });
  return { ...reversed, reversedAt: at, reversedBy: actor.name, reason };
}

function alreadyReversed(c: {
  id: number;
  reversed_at: string | null;
  reversed_by: string | null;
}) {
  return new ConflictError(
    `completion ${c.id} was reversed already${c.reversed_at ? ` (${c.reversed_at}, by ${c.reversed_by ?? 'someone'})` : ''}: complete the stage again instead`,
    'completion',
  );
}
