import { now, type Context } from '../context.js';
import { claimLoginAttempt, loginFailed, loginSucceeded } from '../auth/login-throttle.service.js';
import { verifyPassword } from '../auth/secrets.js';
import { findUserRow } from '../auth/user.repository.js';
import { noteSignature } from '../db/change-log.js';
import { inTransaction, type Database } from '../db/database.js';
import { SIGNATURE_MEANINGS, type SignatureMeaning } from '../domain/signature.js';
import { ConflictError, ForbiddenError } from '../domain/errors.js';
import type { Actor } from '../domain/roles.js';
import {
  SIGNABLE_OPERATIONS,
  SIGNABLE_OPERATION_LABELS,
  type SignableOperation,
} from '../domain/signature.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import {
  addSignatureRequirements,
  listSignatureRequirements,
  removeSignatureRequirements,
} from './signature.repository.js';
import {
  SignatureSettingsUpdate,
  type SignatureInput,
  type SignatureSettings,
} from './signature.schemas.js';

/** The subject of the configuration's history: settings are no object with a code of their own. */
export const SIGNATURE_SETTINGS_SUBJECT = 'settings:signatures';

export async function getSignatureSettings(ctx: Context): Promise<SignatureSettings> {
  const rows = new Map(
    (await listSignatureRequirements(ctx.db)).map((r) => [r.operation, r.required_since]),
  );
  return {
    operations: SIGNABLE_OPERATIONS.map((operation) => ({
      operation,
      label: SIGNABLE_OPERATION_LABELS[operation],
      required: rows.has(operation),
      requiredSince: rows.get(operation) ?? null,
    })),
    meanings: [...SIGNATURE_MEANINGS],
  };
}

/** Sets which operations require a signature; the change is logged (nothing logged if none). */
export async function setSignatureSettings(
  ctx: Context,
  actor: Actor,
  input: SignatureSettingsUpdate,
): Promise<SignatureSettings> {
  const wanted = new Set(parseInput(SignatureSettingsUpdate, input).require);
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    const before = (await listSignatureRequirements(db)).map((r) => r.operation);
    const added = SIGNABLE_OPERATIONS.filter((o) => wanted.has(o) && !before.includes(o));
    const removed = before.filter((o) => !wanted.has(o));
    if (added.length === 0 && removed.length === 0) return;
    await removeSignatureRequirements(db, removed);
    await addSignatureRequirements(db, added, at);
    await appendHistory(db, actor, at, [
      {
        subjectCode: SIGNATURE_SETTINGS_SUBJECT,
        type: 'updated',
        data: { signaturesRequired: { from: before, to: [...wanted].sort() } },
      },
    ]);
  });
  return getSignatureSettings(ctx);
}

/** A signature whose password was checked: only verifySignature makes one. */
export interface VerifiedSignature {
  readonly signer: { code: string; name: string };
  readonly meaning: SignatureMeaning;
  readonly verified: true;
}

/**
 * Checks a signature given with `operations`, before their transaction (§11.200: the signer
 * enters the password again). A wrong password is refused (403) and the refusal is logged in a
 * transaction of its own — the operation's transaction never starts, so the record of the
 * refusal survives — and counted by the login throttle under the signer's username, so that
 * signing is no way around it to guess passwords. Only a user signs: an API key or the local
 * command line has no password to enter (409).
 */
export async function verifySignature(
  ctx: Context,
  actor: Actor,
  operations: readonly SignableOperation[],
  input: SignatureInput | undefined,
): Promise<VerifiedSignature | undefined> {
  if (input === undefined) return undefined;
  const user = actor.code === null ? undefined : await findUserRow(ctx.db, actor.code);
  if (!user) {
    throw new ConflictError(
      `only a user signs, with their own password: ${actor.name} (an API key or the command line) cannot`,
      'signature',
    );
  }
  const attempt = await claimLoginAttempt(ctx, user.username, `signature:${user.code}`);
  const ok = (await verifyPassword(input.password, user.password_hash)) && user.disabled === 0;
  if (!ok) {
    await loginFailed(ctx, attempt);
    await inTransaction(ctx.db, (db) =>
      appendHistory(db, actor, now(ctx), [
        {
          subjectCode: user.code,
          type: 'signature_refused',
          data: { operations: [...operations], meaning: input.meaning },
        },
      ]),
    );
    throw new ForbiddenError(
      'wrong password: the signature is refused and nothing was changed',
      'signature.password',
    );
  }
  await loginSucceeded(ctx, attempt);
  return {
    signer: { code: user.code, name: user.username },
    meaning: input.meaning,
    verified: true,
  };
}

/**
 * Inside the operation's transaction: refuses it (409, nothing changed) when one of
 * `operations` requires a signature and none was given; otherwise signs it with the signature
 * given, required or voluntary. The requirement is read in the same transaction as the work,
 * so a configuration changed meanwhile applies either wholly or not at all.
 */
export async function requireSignature(
  db: Database,
  operations: readonly SignableOperation[],
  signature: VerifiedSignature | undefined,
  at: string,
): Promise<void> {
  if (signature === undefined) {
    const required = (await listSignatureRequirements(db))
      .map((r) => r.operation)
      .filter((o) => operations.includes(o));
    if (required.length > 0) {
      throw new ConflictError(
        `${required.map((o) => SIGNABLE_OPERATION_LABELS[o]).join(' and ')} requires an electronic signature: give signature { password, meaning: ${SIGNATURE_MEANINGS.join(' | ')} }`,
        'signature',
      );
    }
    return;
  }
  noteSignature({ signer: signature.signer, meaning: signature.meaning, at });
}
