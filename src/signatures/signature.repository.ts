import type { Database } from '../db/database.js';
import type { SignableOperation } from '../domain/signature.js';

export async function listSignatureRequirements(
  db: Database,
): Promise<{ operation: SignableOperation; required_since: string }[]> {
  return db.selectFrom('signature_requirement').selectAll().orderBy('operation').execute();
}

export async function addSignatureRequirements(
  db: Database,
  operations: readonly SignableOperation[],
  at: string,
): Promise<void> {
  if (operations.length === 0) return;
  await db
    .insertInto('signature_requirement')
    .values(operations.map((operation) => ({ operation, required_since: at })))
    .execute();
}

export async function removeSignatureRequirements(
  db: Database,
  operations: readonly SignableOperation[],
): Promise<void> {
  if (operations.length === 0) return;
  await db.deleteFrom('signature_requirement').where('operation', 'in', operations).execute();
}
