import { now, type Context } from '../context.js';
import { inTransaction } from '../db/database.js';
import { parseCode } from '../domain/code.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Actor, Role } from '../domain/roles.js';
import { parseInput } from '../domain/validate.js';
import { appendHistory } from '../history/history.repository.js';
import {
  findActiveKeyByHash,
  findApiKeyRow,
  insertApiKey,
  listApiKeyRows,
  revokeApiKeyRow,
  type ApiKeyRow,
} from './api-key.repository.js';
import { ApiKeyCreate, type ApiKey, type ApiKeyCreated } from './auth.schemas.js';
import { randomSecret, sha256 } from './secrets.js';

export const API_KEY_PREFIX = 'tl_';

/** Creates a key; the key itself is returned only here, and stored only as a hash. */
export async function createApiKey(
  ctx: Context,
  actor: Actor,
  input: ApiKeyCreate,
): Promise<ApiKeyCreated> {
  const data = parseInput(ApiKeyCreate, input);
  const key = API_KEY_PREFIX + randomSecret(40);
  const code = ctx.newCode();
  const at = now(ctx);
  await inTransaction(ctx.db, async (db) => {
    await insertApiKey(db, {
      code,
      name: data.name,
      role: data.role,
      key_hash: sha256(key),
      created_at: at,
      revoked_at: null,
    });
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'created', data: { name: data.name, role: data.role } },
    ]);
  });
  return { apiKey: toApiKey((await findApiKeyRow(ctx.db, code))!), key };
}

export async function listApiKeys(ctx: Context): Promise<ApiKey[]> {
  return (await listApiKeyRows(ctx.db)).map(toApiKey);
}

export async function revokeApiKey(ctx: Context, actor: Actor, ref: string): Promise<ApiKey> {
  const code = parseCode(ref);
  await inTransaction(ctx.db, async (db) => {
    const row = await findApiKeyRow(db, code);
    if (!row) throw new NotFoundError('API key', code, 'code');
    const at = now(ctx);
    if (!(await revokeApiKeyRow(db, code, at)))
      throw new ConflictError('the key is revoked already', 'code');
    await appendHistory(db, actor, at, [
      { subjectCode: code, type: 'archived', data: { revoked: true } },
    ]);
  });
  return toApiKey((await findApiKeyRow(ctx.db, code))!);
}

/** The actor a bearer key stands for, or undefined for an unknown or revoked key. */
export async function authenticateApiKey(ctx: Context, key: string): Promise<Actor | undefined> {
  if (!key.startsWith(API_KEY_PREFIX)) return undefined;
  const row = await findActiveKeyByHash(ctx.db, sha256(key));
  return row && { code: row.code, name: `key:${row.name}`, role: row.role as Role };
}

function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    code: row.code,
    name: row.name,
    role: row.role as Role,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}
