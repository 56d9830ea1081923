import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { parseCode } from '../domain/code.js';
import { ConflictError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import { requireSignature, verifySignature } from '../signatures/signature.service.js';
import { findBomApproval } from './bom-approvals.js';
import { bomOf, lockProject } from './bom.service.js';
import { BomApprovalRequest, type Bom } from './project.schemas.js';

/*
 * Approval of a BOM revision (`bom_approved`): a history event on the project naming the
 * revision, signable like the other signable operations. Whether a revision is approved is
 * read from those events, never from a flag; and an approved revision is never changed in
 * place — the next change of the BOM makes a new revision (nextBomRevision), so an approval
 * always names the BOM the approver saw.
 */

/**
 * Approves the project's current BOM revision. Under the project's lock, which a change of the
 * BOM also takes: a `revision` that is no longer current (the BOM changed under the approver)
 * or one approved already is a 409, and of two concurrent approvals one wins.
 */
export async function approveBom(
  ctx: Context,
  actor: Actor,
  ref: string,
  input: BomApprovalRequest,
): Promise<Bom> {
  const { revision, note, signature: signing } = parseInput(BomApprovalRequest, input);
  const code = parseCode(ref, 'code');
  const at = now(ctx);
  const signature = await verifySignature(ctx, actor, ['bom_approved'], signing);
  await inTransaction(ctx.db, async (db) => {
    const project = await lockProject(db, code);
    if (revision !== project.bom_revision) {
      throw new ConflictError(
        `revision ${revision} is not the BOM's current revision ${project.bom_revision}: the BOM changed; review revision ${project.bom_revision} and approve it`,
        'revision',
      );
    }
    const approved = await findBomApproval(db, project.code, revision);
    if (approved) {
      throw new ConflictError(
        `revision ${revision} was approved already, by ${approved.by.name} at ${approved.at}`,
        'revision',
      );
    }
    await requireSignature(db, ['bom_approved'], signature, at);
    await appendHistory(db, actor, at, [
      { subjectCode: project.code, type: 'bom_approved', data: { revision, note } },
    ]);
  });
  return bomOf(ctx.db, code);
}
