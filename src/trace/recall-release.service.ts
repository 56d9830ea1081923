import { now, type Context } from '../context.js';
import { inTransaction, type Database } from '../db/database.js';
import { shortCode } from '../domain/code.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory, listHistoryOf } from '../history/history.repository.js';
import { signaturesByRecord } from '../history/signed-events.js';
import { lockLots } from '../lots/lot.repository.js';
import { requireSignature, verifySignature } from '../signatures/signature.service.js';
import { releaseHeldStock } from '../stock/ledger.js';
import { summarizeHeld } from './held-summary.js';
import { resolveLot } from './trace.service.js';
import {
  RecallReleaseRequest,
  type RecallHold,
  type RecallHolds,
  type RecallReleaseResult,
} from './trace.schemas.js';

/*
 * Releasing a recall hold (`recall_released`), the inverse of holdRecall: the stock the hold
 * put on held goes back to the status it had. Which holds a lot has and which are released is
 * read from the lot's `recall_held` and `recall_released` history events, never from a flag.
 */

/** The recall holds of a lot, oldest first, each with its release if it was released. */
export async function listRecallHolds(ctx: Context, ref: string): Promise<RecallHolds> {
  return { items: await holdsOf(ctx.db, await resolveLot(ctx, ref)) };
}

/**
 * Releases a hold of the lot (`operation`, default its latest hold not yet released): in one
 * transaction under the lot's lock, so that of two concurrent releases of one hold one wins
 * and the other, reading the first one's event, is refused (409). Balances whose held stock
 * was moved or consumed since the hold are skipped and counted.
 */
export async function releaseRecall(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: RecallReleaseRequest,
): Promise<RecallReleaseResult> {
  const { operation: wanted, note, signature: signing } = parseInput(RecallReleaseRequest, input);
  const code = await resolveLot(ctx, ref);
  const operation = ctx.newCode();
  const at = now(ctx);
  const signature = await verifySignature(ctx, actor, ['recall_released'], signing);
  return inTransaction(ctx.db, async (db) => {
    await lockLots(db, [code]);
    const hold = chooseHold(code, await holdsOf(db, code), wanted);
    await requireSignature(db, ['recall_released'], signature, at);
    const op = { operation, type: 'status_changed' as const, actor, at, note, ref: code };
    const { released, skipped } = await releaseHeldStock(db, op, hold.operation);
    const result = {
      hold: hold.operation,
      operation: released.length > 0 ? operation : null,
      ...summarizeHeld(released),
      skipped: skipped.length,
    };
    // Written even when every balance was skipped: the hold is released all the same.
    await appendHistory(db, actor, at, [
      {
        subjectCode: code,
        type: 'recall_released',
        data: {
          hold: hold.operation,
          operation: result.operation,
          note,
          balances: result.balances,
          skipped: result.skipped,
        },
      },
    ]);
    return result;
  });
}

function chooseHold(code: string, holds: RecallHold[], wanted: string | undefined): RecallHold {
  if (wanted === undefined) {
    const open = holds.filter((h) => h.release === null).at(-1);
    if (!open) {
      throw new ConflictError(`lot ${shortCode(code)} has no recall hold to release`, 'operation');
    }
    return open;
  }
  const hold = holds.find((h) => h.operation === wanted);
  if (!hold) {
    throw new NotFoundError(
      'recall hold',
      wanted,
      'operation',
      `lot ${shortCode(code)} has no recall hold ${wanted}`,
    );
  }
  if (hold.release) {
    throw new ConflictError(
      `the hold ${wanted} was released already, by ${hold.release.by} at ${hold.release.at}`,
      'operation',
    );
  }
  return hold;
}

async function holdsOf(db: Database, code: string): Promise<RecallHold[]> {
  const events = await listHistoryOf(db, [code], ['recall_held', 'recall_released', 'signed']);
  const signatures = signaturesByRecord(events);
  const signed = (e: (typeof events)[number]) => ({
    by: e.actor.name,
    at: e.at,
    note: String(e.data.note ?? ''),
    signature: (e.change && signatures.get(e.change)) || null,
  });
  const releases = new Map(
    events.filter((e) => e.type === 'recall_released').map((e) => [String(e.data.hold), e]),
  );
  return events
    .filter((e) => e.type === 'recall_held')
    .map((e) => {
      const release = releases.get(String(e.data.operation));
      return {
        ...signed(e),
        operation: String(e.data.operation),
        lots: Number(e.data.lots),
        balances: Number(e.data.balances),
        release: release
          ? {
              ...signed(release),
              operation: (release.data.operation as string | null) ?? null,
              balances: Number(release.data.balances),
              skipped: Number(release.data.skipped),
            }
          : null,
      };
    });
}
